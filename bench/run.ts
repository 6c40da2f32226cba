/**
 * `npm run bench`: every engine on the three workloads, side by side in one run — the pure-TS
 * core in Node, PyTorch on the CPU (when Debian's python3-torch is installed), and in headless
 * Chromium (WebGPU enabled) tf.layers.lstm, the app's custom tfjs LSTM and the core inside a
 * worker — plus the main thread's health while the app trains workload (b). Writes
 * bench/results.json and bench/RESULTS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium } from '@playwright/test';
import { build, createServer, preview } from 'vite';
import { CHROME_ARGS, CHROME_PATH } from '../e2e/browser';
import { coreRunner } from './core';
import { WORKLOADS, measure, type BenchRow, type WorkloadId } from './workloads';
import { measureVariants, variantTable } from './variants';
import { coldLoad, learnerSession, sessionTable, type ColdLoad, type Session } from './session';
import { digitEpoch, digitEpochTable, type DigitEpoch } from './digitEpoch';
import type { EngineProfile, MatMulLimit } from './engineProfile';
import { profileTable } from './profileTable';

const quick = process.argv.includes('--quick');
// --gpu: for a machine with a real GPU — fused vs per-op WebGPU vs WASM vs PyTorch, nothing else.
// Add --headed where headless Chromium gets no hardware adapter.
const gpu = process.argv.includes('--gpu');
const headed = process.argv.includes('--headed');
// --health: only the main-thread measurement (for iterating on UI performance).
const healthOnly = process.argv.includes('--health');
/** How long the main thread is watched while the app trains (issue 16: 20 s). */
const HEALTH_SECONDS = 20;
const rows: BenchRow[] = [];
const notes: string[] = [];
const say = (s: string) => process.stdout.write(`${s}\n`);

// 1. The core in Node.
for (const w of healthOnly || gpu ? [] : WORKLOADS) {
  const { ms, runs } = await measure(coreRunner(w));
  rows.push({ workload: w.id, impl: 'core', backend: 'node', msPerUnit: ms, unit: w.unit, runs });
  say(`core/node/${w.id}: ${ms.toFixed(2)} ms per ${w.unit}`);
}

// 1b. The gate lab's variants in the core, beside the race's LSTM.
const variantRows = healthOnly || gpu ? [] : await measureVariants();
for (const r of variantRows)
  say(`variant/node/${r.contestant}: ${r.msPerStep.toFixed(2)} ms per step`);

// 2. PyTorch, when this machine has it.
const PY = '/usr/bin/python3';
let torchVersion: string | null = null;
if (healthOnly) {
  notes.push('--health: only the main-thread measurement was run.');
} else if (spawnSync(PY, ['-c', 'import torch']).status === 0) {
  const out = JSON.parse(
    execFileSync(PY, ['bench/torch_bench.py', JSON.stringify(WORKLOADS)], { encoding: 'utf8' }),
  ) as { torch: string; threads: number; rows: BenchRow[] };
  torchVersion = `${out.torch} (${out.threads} threads)`;
  rows.push(...out.rows);
  for (const r of out.rows)
    say(`pytorch/cpu/${r.workload}: ${r.msPerUnit.toFixed(2)} ms per ${r.unit}`);
} else {
  notes.push(
    'PyTorch rows are missing: `/usr/bin/python3 -c "import torch"` failed (install Debian python3-torch).',
  );
}

// 3. Chromium: a Vite dev server serves the bench page and the app.
const server = await createServer({ server: { port: 5188, strictPort: true }, logLevel: 'error' });
await server.listen();
const base = 'http://localhost:5188';
const browser = await chromium.launch({
  executablePath: CHROME_PATH,
  args: CHROME_ARGS,
  headless: !headed,
});
const chromeVersion = browser.version();
interface Health {
  scenario: string;
  longTasks: number;
  longestMs: number;
  fps: number;
  seconds: number;
  epochs: number;
  /** The long animation frames (> 50 ms), with the scripts that ran in them. */
  longFrames: string[];
}
const health: Health[] = [];
let cold: ColdLoad | null = null;
let session: Session | null = null;
let digits: DigitEpoch | null = null;
let profiles: EngineProfile[] = [];
let limits: MatMulLimit[] = [];
try {
  if (!healthOnly) {
    const page = await browser.newPage();
    page.on(
      'response',
      (r) => r.status() >= 400 && notes.push(`bench page: HTTP ${r.status()} for ${r.url()}`),
    );
    // WebGPU in a quick run: the fused and per-op rows only (a software adapter here).
    const backends = quick || gpu ? 'webgpu,wasm' : 'webgpu,webgl,wasm,cpu';
    await page.goto(
      `${base}/bench/index.html?backends=${backends}${quick || gpu ? '&gpu' : ''}${gpu ? '&core=0' : ''}`,
    );
    await page.waitForFunction(
      () => (window as unknown as { __bench: { done: boolean } }).__bench.done,
      null,
      {
        timeout: 30 * 60_000,
        polling: 1000,
      },
    );
    const result = await page.evaluate(
      () =>
        (
          window as unknown as {
            __bench: {
              rows: BenchRow[];
              logs: string[];
              profiles: EngineProfile[];
              limits: MatMulLimit[];
            };
          }
        ).__bench,
    );
    rows.push(...result.rows);
    ({ profiles, limits } = result);
    notes.push(...result.logs);
    for (const r of result.rows)
      say(
        `${r.impl}/${r.backend}/${r.workload}: ${r.msPerUnit.toFixed(2)} ms per ${r.unit} (${r.runs} runs)${r.dispatchesPerBatch ? `, ${r.dispatchesPerBatch} dispatches per batch` : ''}`,
      );
    await page.close();
  }

  // 4. Main-thread health while the Stock lab trains workload (b) in the app, as users get it:
  // the production build (React's development mode alone would add long tasks).
  // The dev server above set NODE_ENV=development in this process; without resetting it the
  // build bundles React's development mode (measured here: 5–17 long tasks in 20 s instead of 0).
  process.env.NODE_ENV = 'production';
  await build({ mode: 'production', logLevel: 'error' });
  const prod = await preview({ preview: { port: 5189, strictPort: true }, logLevel: 'error' });
  const app = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  app.on(
    'response',
    (r) => r.status() >= 400 && notes.push(`app: HTTP ${r.status()} for ${r.url()}`),
  );
  // Each scenario starts a run in the app, scrolls the charts into view, lets the first epoch
  // pass, then counts long tasks and frames for HEALTH_SECONDS. Passed as source text: tsx
  // would wrap a function literal in helpers the page lacks.
  const scenarios: { scenario: string; start: () => Promise<void> }[] = [
    {
      scenario: 'S&P 500, next-day recipe (bundled, 5,105 rows)',
      start: async () => {
        await app
          .getByRole('button', { name: /S&P 500/ })
          .first()
          .click();
        await app.waitForFunction(
          () =>
            (
              window as unknown as {
                __lstmLab: { stock: { getState(): { data: { source: string } | null } } };
              }
            ).__lstmLab.stock.getState().data?.source === 'sp500',
          null,
          { timeout: 60_000 },
        );
        await app.getByRole('button', { name: 'Train', exact: true }).click();
      },
    },
    {
      scenario: 'workload (b): 1,000 windows × 30 steps × 5 features, hidden 32, batch 64',
      start: () =>
        app.evaluate(`(async () => {
          const { stock, syntheticStockTable } = window.__lstmLab;
          const table = syntheticStockTable({ days: 1281 });
          stock.setState({
            data: { key: 999, name: 'bench', source: 'synthetic', table },
            recipe: 'custom',
            config: {
              features: ['Open', 'High', 'Low', 'Close', 'Volume'],
              target: 'Close',
              seqLen: 30,
              horizon: 1,
              split: { kind: 'rows', rows: 1031 },
              scaleFit: 'train',
              hiddenSize: 32,
              numLayers: 1,
              headSize: 128,
              learningRate: 1e-3,
              epochs: 100000,
              batchSize: 64,
              seed: 0,
            },
          });
          stock.getState().train();
        })()`),
    },
  ];
  for (const { scenario, start } of gpu ? [] : scenarios) {
    await app.goto('http://localhost:5189/?debug=1#/stock');
    await app.waitForFunction(
      () => 'stock' in ((window as unknown as { __lstmLab?: object }).__lstmLab ?? {}),
      null,
      { timeout: 60_000 },
    );
    await start();
    await app.getByTestId('loss-chart').scrollIntoViewIfNeeded({ timeout: 60_000 });
    await app.waitForTimeout(3000); // engine start and first epoch
    const h = await app.evaluate<Omit<Health, 'scenario'>>(`(async () => {
      const { stock } = window.__lstmLab;
      let longTasks = 0;
      let longestMs = 0;
      const obs = new PerformanceObserver(function (list) {
        for (const e of list.getEntries()) {
          longTasks++;
          longestMs = Math.max(longestMs, e.duration);
        }
      });
      obs.observe({ type: 'longtask' });
      // What the long frames ran (Long Animation Frames: script, entry point, duration).
      const frames = [];
      const loaf = new PerformanceObserver(function (list) {
        for (const e of list.getEntries()) {
          if (e.duration <= 50) continue;
          frames.push(Math.round(e.duration) + ' ms: ' + e.scripts.map(function (x) {
            return x.invoker + ' ' + (x.sourceURL || '').split('/').pop() + ' ' + Math.round(x.duration);
          }).join(', '));
        }
      });
      loaf.observe({ type: 'long-animation-frame' });
      let count = 0;
      let on = true;
      function tick() {
        count++;
        if (on) requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
      const seconds = ${HEALTH_SECONDS};
      const e0 = stock.getState().run ? stock.getState().run.epoch : 0;
      await new Promise(function (r) { setTimeout(r, seconds * 1000); });
      on = false;
      obs.disconnect();
      loaf.disconnect();
      const epochs = (stock.getState().run ? stock.getState().run.epoch : 0) - e0;
      stock.getState().stop();
      return { longTasks, longestMs: Math.round(longestMs), fps: count / seconds, seconds, epochs, longFrames: frames.slice(0, 5) };
    })()`);
    health.push({ scenario, ...h });
    say(`main thread while training ${scenario}: ${JSON.stringify(h)}`);
  }
  // 5. Issue 25: a phone-class cold load and a scripted learner session, on the same build.
  if (!gpu) {
    cold = await coldLoad(browser, 'http://localhost:5189');
    say(`cold load 390×844, CPU 4× slower: ${JSON.stringify(cold)}`);
    session = await learnerSession(browser, 'http://localhost:5189');
    say(`learner session: ${JSON.stringify(session)}`);
    digits = await digitEpoch(browser, 'http://localhost:5189');
    say(`digit epoch: ${JSON.stringify(digits)}`);
  }
  await prod.close();
} finally {
  await browser.close();
  await server.close();
}

// 5. Results (a --health run only prints: the checked-in tables stay those of a full run).
if (healthOnly) process.exit(0);

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}; Node ${process.version}; Chromium ${chromeVersion}${torchVersion ? `; PyTorch ${torchVersion}` : ''}`;
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ machine, date: new Date().toISOString(), rows, profiles, limits, variantRows, health, cold, session, digits, notes }, null, 2)}\n`,
);

const fmt = (ms: number | undefined) =>
  ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const ratio = (a: number | undefined, b: number | undefined) =>
  a && b ? `${(a / b).toFixed(2)}×` : '—';
const find = (w: WorkloadId, impl: string, backend?: string) =>
  rows.filter((r) => r.workload === w && r.impl === impl && (!backend || r.backend === backend));
const best = (list: BenchRow[]) =>
  list.reduce<BenchRow | undefined>((m, r) => (!m || r.msPerUnit < m.msPerUnit ? r : m), undefined);

const md: string[] = [
  '# Benchmark results',
  '',
  `Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\`${quick ? ' --quick (WASM, WebGPU fused/per-op, core, PyTorch)' : gpu ? ' --gpu' : ''}, everything in the same run.`,
  '',
  "Milliseconds per unit (epoch for a and b, one training step for c), median after a warm-up. `layers` is `tf.layers.lstm` (recurrentActivation sigmoid); `custom` is the app's tfjs LSTM op (input projection and weight gradients as single matMuls; on CPU/WASM a step is a matMul and one cell kernel; on WebGPU `custom` is tfjs autodiff over the per-op graph and `fused` the app's fused whole-batch step, src/ml/webgpu/fusedStep.ts); `core` is the pure-TS LSTM. `webgpu-software` is SwiftShader (no GPU here).",
  '',
  '| workload | unit | impl | backend | ms | runs | dispatches per batch | notes |',
  '|---|---|---|---|---|---|---|---|',
  ...[...rows]
    .sort((a, b) => a.workload.localeCompare(b.workload) || a.msPerUnit - b.msPerUnit)
    .map(
      (r) =>
        `| ${r.workload} | ${r.unit} | ${r.impl} | ${r.backend} | ${fmt(r.msPerUnit)} | ${r.runs} | ${r.dispatchesPerBatch ?? ''} | ${r.notes ?? ''} |`,
    ),
  '',
  '## WebGPU: fused whole-batch step vs per-op graph, same adapter, same run (timed alternately)',
  '',
  'Targets: fused ≥ 10× faster than per-op on (b), ≥ 3× on (c); ≤ 10 dispatches per training batch.',
  '',
  '| workload | adapter | fused ms | per-op ms | per-op ÷ fused | dispatches fused | dispatches per-op |',
  '|---|---|---|---|---|---|---|',
];
for (const w of WORKLOADS) {
  for (const fused of rows.filter((r) => r.workload === w.id && r.impl === 'fused')) {
    const perOp = find(w.id, 'custom', fused.backend)[0];
    md.push(
      `| ${w.id} | ${fused.backend} | ${fmt(fused.msPerUnit)} | ${fmt(perOp?.msPerUnit)} | ${ratio(perOp?.msPerUnit, fused.msPerUnit)} | ${fused.dispatchesPerBatch ?? '—'} | ${perOp?.dispatchesPerBatch ?? '—'} |`,
    );
  }
}
md.push(
  '',
  '## Targets ("fastest of ours" = the fastest row among the candidates Auto considers here: the custom LSTM on WASM, the pure-TS core in a worker and, on a hardware adapter only, the fused WebGPU kernels. The bench does not run the app\'s AutoChooser, whose short probe can pick differently.)',
  '',
  '| workload | fastest of ours (engine) ms | best tf.layers.lstm | tf.layers ÷ ours (target ≥ 3×) | best overall | ours ÷ PyTorch CPU (same run, same host) | target |',
  '|---|---|---|---|---|---|---|',
);
const targets: Record<WorkloadId, string> = { a: '≤ 1.0×', b: '≤ 1.5×', c: '≤ 2.5×' };
const engineLabel = (r: BenchRow) =>
  r.impl === 'core' ? 'core' : r.impl === 'fused' ? 'WebGPU fused' : 'WASM';
for (const w of WORKLOADS) {
  const auto = best([
    ...find(w.id, 'custom', 'wasm'),
    ...find(w.id, 'core', 'browser-worker'),
    ...find(w.id, 'fused', 'webgpu'),
  ]);
  const layers = best(find(w.id, 'layers'));
  const all = best(rows.filter((r) => r.workload === w.id && r.impl !== 'pytorch'));
  const torch = find(w.id, 'pytorch')[0];
  md.push(
    `| ${w.id} (${w.name}) | ${auto ? `${engineLabel(auto)} ${fmt(auto.msPerUnit)}` : '—'} | ${fmt(layers?.msPerUnit)} (${layers?.backend ?? '—'}) | ${ratio(layers?.msPerUnit, auto?.msPerUnit)} | ${all ? `${all.impl}/${all.backend} ${fmt(all.msPerUnit)}` : '—'} | ${ratio(auto?.msPerUnit, torch?.msPerUnit)} | ${targets[w.id]} |`,
  );
}
md.push(
  '',
  '## Main thread while the app trains (production build, 1280×800, charts in view; target: zero long tasks over 50 ms, ≥ 50 frames/s)',
  '',
  '| run | seconds | long tasks | longest | frames/s | epochs trained meanwhile |',
  '|---|---|---|---|---|---|',
  ...health.map(
    (h) =>
      `| ${h.scenario} | ${h.seconds} | ${h.longTasks} | ${h.longTasks ? `${h.longestMs} ms` : '—'} | ${h.fps.toFixed(0)} | ${h.epochs} |`,
  ),
  '',
  ...profileTable(profiles, limits, rows),
  ...sessionTable(cold, session),
  ...digitEpochTable(digits),
  ...variantTable(variantRows),
  '## Reading the WebGPU rows',
  '',
  '`webgpu-software` is SwiftShader, a CPU rasteriser: each dispatch costs ~0.5 ms and its kernels are bound by memory loads (a 1920×32×128 tfjs matMul takes ~50 ms), so these rows say how many dispatches each path needs and how much the fused kernels save even there, not how fast a GPU is. `fused` is a whole training batch in 3L + 2 dispatches (5 here, L = 1): forward per layer with the input projection folded into the persistent recurrence, the head and loss sample by sample, backward per layer, one program per layer that sums each parameter’s gradient and applies Adam over a flat buffer of parameters and moments, and one slice for the loss. Run `npm run bench -- --gpu` on a machine with a GPU for the rows that matter.',
  '',
  '## Notes',
  '',
  ...(notes.length ? notes.map((n) => `- ${n}`) : ['- none']),
  '',
);
writeFileSync('bench/RESULTS.md', md.join('\n'));
say('wrote bench/results.json and bench/RESULTS.md');
