import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's own copy of the golden values and real CSVs (see reference/README.md). */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'reference');

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

export function readShared(...parts: string[]): string {
  return readFileSync(sharedPath(...parts), 'utf8');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Golden = any;

let golden: Golden | undefined;
export function loadGolden(): Golden {
  golden ??= JSON.parse(readShared('golden', 'lstm_golden.json'));
  return golden;
}

/** Max |a − b| over two equally shaped nested arrays (throws on a shape mismatch). */
export function maxAbsDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
    throw new Error(
      `shape mismatch: ${JSON.stringify(a)?.slice(0, 60)} vs ${JSON.stringify(b)?.slice(0, 60)}`,
    );
  }
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, maxAbsDiff(a[i], b[i]));
  return m;
}

let modelsGolden: Golden | undefined;
/** PyTorch's values for the seed's two whole models (heads, losses, 10 Adam steps) and metrics. */
export function loadModelsGolden(): Golden {
  modelsGolden ??= JSON.parse(readShared('golden', 'models_golden.json'));
  return modelsGolden;
}
