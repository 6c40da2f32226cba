import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house rules, checked on every source file: none over 400 lines, imports only run
 * downward (app/cli → features → components → state → worker → ml → core), and no circles.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 400;

/** A layer's rank: a file may import its own layer or lower ones (i18n and core import none). */
const RANK: Record<string, number> = {
  core: 0,
  i18n: 0,
  ml: 1,
  worker: 2,
  state: 3,
  components: 4,
  features: 5,
  app: 6,
  cli: 6,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

const layerOf = (file: string) => relative(SRC, file).split('/')[0];

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Relative imports of a file (static, dynamic, type-only and re-exports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g),
    ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g),
    ...text.matchAll(/^import\s+'(\.[^']+)'/gm),
    ...text.matchAll(/new URL\(\s*'(\.[^']+\.tsx?)'/g),
  ].map((m) => m[1]);
  return specs
    .map((s) => resolveImport(file, s))
    .filter((f): f is string => f !== null && /\.(ts|tsx)$/.test(f) && !f.includes('/test/'));
}

const files = sourceFiles(SRC).filter((f) => layerOf(f) !== 'test');
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the house rules', () => {
  it(`no source file is over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > MAX_LINES)
      .map(([f, n]) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it('imports run downward only', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      const from = RANK[layerOf(file)];
      if (from === undefined) continue;
      for (const dep of deps) {
        const to = RANK[layerOf(dep)];
        if (to !== undefined && to > from && layerOf(dep) !== layerOf(file)) {
          upward.push(`${relative(SRC, file)} → ${relative(SRC, dep)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('no import circles', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const dep of graph.get(f) ?? []) {
        if (state.get(dep) === 'open') {
          const cycle = stack.slice(stack.indexOf(dep)).map((x) => relative(SRC, x));
          circles.push([...cycle, relative(SRC, dep)].join(' → '));
        } else if (!state.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  it('sees the layers it checks (a rule that reads nothing would pass anything)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(new Set(files.map(layerOf))).toEqual(new Set(Object.keys(RANK)));
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });
});
