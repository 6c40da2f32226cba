/**
 * The three benchmark workloads of issue 3, shared by the browser, Node and PyTorch runs:
 *  a: the seed's Starbucks recipe, 200 windows × 1 step × 5 features, hidden 2, full batch
 *  b: windowed, 1000 windows × 30 steps × 5 features, hidden 32, batch 64
 *  c: sequential MNIST, one batch of 64 × 28 steps × 28 pixels, hidden 128, 10 classes
 * Data are seeded random numbers of the right shapes (speed does not depend on the values).
 */
import { createRng } from '../src/core/index';

export type WorkloadId = 'a' | 'b' | 'c';

export interface Workload {
  id: WorkloadId;
  name: string;
  samples: number;
  time: number;
  features: number;
  hidden: number;
  batchSize: number;
  head: 'regressor' | 'classifier';
  /** What one measurement covers. */
  unit: 'epoch' | 'step';
}

export const WORKLOADS: Workload[] = [
  {
    id: 'a',
    name: 'seed recipe',
    samples: 200,
    time: 1,
    features: 5,
    hidden: 2,
    batchSize: 200,
    head: 'regressor',
    unit: 'epoch',
  },
  {
    id: 'b',
    name: 'windowed',
    samples: 1000,
    time: 30,
    features: 5,
    hidden: 32,
    batchSize: 64,
    head: 'regressor',
    unit: 'epoch',
  },
  {
    id: 'c',
    name: 'sequential MNIST',
    samples: 64,
    time: 28,
    features: 28,
    hidden: 128,
    batchSize: 64,
    head: 'classifier',
    unit: 'step',
  },
];

export function workloadData(w: Workload): { x: Float32Array; y: Float32Array } {
  const rng = createRng(42);
  const x = Float32Array.from({ length: w.samples * w.time * w.features }, () => rng.normal());
  const y = Float32Array.from({ length: w.samples }, () =>
    w.head === 'classifier' ? rng.int(10) : rng.next(),
  );
  return { x, y };
}

export interface BenchRow {
  workload: WorkloadId;
  /** custom: the app's LSTM op; on WebGPU `fused` is the one-dispatch recurrence, `custom` per-op. */
  impl: 'layers' | 'custom' | 'fused' | 'core' | 'pytorch';
  backend: string;
  msPerUnit: number;
  unit: 'epoch' | 'step';
  runs: number;
  /** WebGPU rows: compute dispatches in one training batch (forward, backward, head, loss, Adam). */
  dispatchesPerBatch?: number;
  notes?: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times one unit of work the same way for every implementation (PyTorch's script does the same):
 * warm up for at least 300 ms (JIT, shader compilation; at least one run), then the median of
 * enough runs to fill about a second — 5 to 200, or 2–3 when one run is slower than `slowMs`.
 */
export async function measure(
  run: () => void | Promise<void>,
  slowMs = 20000,
): Promise<{ ms: number; runs: number }> {
  const t0 = performance.now();
  let n = 0;
  do {
    await run();
    n++;
  } while (performance.now() - t0 < 300);
  const per = (performance.now() - t0) / n;
  const runs =
    per > slowMs ? 2 : per > slowMs / 5 ? 3 : Math.max(5, Math.min(200, Math.floor(1000 / per)));
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const s = performance.now();
    await run();
    times.push(performance.now() - s);
  }
  return { ms: median(times), runs };
}

/**
 * Times two implementations of the same unit alternately (a, b, a, b, …) after warming each for
 * 300 ms: `rounds` runs of each, medians. Slow drift in the machine's speed then lands on both,
 * so their ratio is fair even where single timings wander.
 */
export async function measurePair(
  a: () => void | Promise<void>,
  b: () => void | Promise<void>,
  rounds: number,
): Promise<[{ ms: number; runs: number }, { ms: number; runs: number }]> {
  for (const run of [a, b]) {
    const t0 = performance.now();
    do await run();
    while (performance.now() - t0 < 300);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let k = 0; k < rounds; k++) {
    for (const [run, times] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const s = performance.now();
      await run();
      times.push(performance.now() - s);
    }
  }
  return [
    { ms: median(ta), runs: rounds },
    { ms: median(tb), runs: rounds },
  ];
}

/**
 * What an epoch costs when only its first `timedBatches` batches were timed: scaled by rows, not
 * batches, because the last batch of an epoch is usually short (b: 15 full batches and one of 40).
 */
export function epochScale(
  w: Pick<Workload, 'samples' | 'batchSize'>,
  timedBatches: number,
): number {
  const batches = Math.ceil(w.samples / w.batchSize);
  const timedRows = Math.min(w.samples, Math.min(batches, timedBatches) * w.batchSize);
  return w.samples / timedRows;
}
