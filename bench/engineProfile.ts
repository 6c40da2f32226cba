/**
 * Where a training step's time goes on tfjs-WASM, and how close it comes to the browser's limit:
 * a per-kernel profile of one step (tf.profile) and the matrix-multiply GFLOP/s it achieves,
 * beside tfjs-WASM's own large square matMul measured in the same worker.
 */
import { getKernel, matMul, profile, randomNormal, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { median, type Workload, type WorkloadId } from './workloads';

/** The kinds of work a step is made of, for the profile table. */
export type KernelGroup = 'matMul' | 'cell' | 'transpose' | 'reduce' | 'other';

export interface EngineProfile {
  workload: WorkloadId;
  /** Wall time of the profiled step(s), per unit, and the kernels' own time summed by group. */
  wallMs: number;
  groups: Record<KernelGroup, number>;
  /** Kernels run per unit and bytes newly allocated by them (tensors made, freed or not). */
  kernels: number;
  allocatedMB: number;
  /** The heaviest single kernels (name and shapes), ms per unit. */
  top: { kernel: string; ms: number; calls: number }[];
}

export interface MatMulLimit {
  n: number;
  ms: number;
  gflops: number;
}

const GROUP_OF: Record<string, KernelGroup> = {
  BatchMatMul: 'matMul',
  _FusedMatMul: 'matMul',
  LstmLabCellForward: 'cell',
  LstmLabCellBackward: 'cell',
  Transpose: 'transpose',
  Sum: 'reduce',
  Max: 'reduce',
  Mean: 'reduce',
};

/**
 * Multiply-add work of one unit of a workload's training (2 FLOPs per multiply-add): the LSTM
 * forward 2·N·T·4H·(In+H) for N sequences, the backward twice that (input and weight gradients),
 * plus the head's dense layers three times over. Elementwise work is not counted.
 */
export function trainingFlops(w: Workload): number {
  const n = w.unit === 'step' ? Math.min(w.batchSize, w.samples) : w.samples;
  const lstm = 3 * 2 * n * w.time * 4 * w.hidden * (w.features + w.hidden);
  const head = w.head === 'regressor' ? w.hidden * 128 + 128 : w.hidden * 10;
  return lstm + 3 * 2 * n * head;
}

/**
 * Profiles `units` runs of a step. Only registered kernels are summed: tf.profile also lists
 * composite ops (a customGrad's forward, logSoftmax) whose time already includes their kernels.
 */
export async function profileUnit(
  w: Workload,
  run: () => Promise<void>,
  units: number,
): Promise<EngineProfile> {
  const t0 = performance.now();
  const info = await profile(async () => {
    for (let k = 0; k < units; k++) await run();
  });
  const wallMs = (performance.now() - t0) / units;
  const groups: Record<KernelGroup, number> = {
    matMul: 0,
    cell: 0,
    transpose: 0,
    reduce: 0,
    other: 0,
  };
  const byKernel = new Map<string, { ms: number; calls: number }>();
  let kernels = 0;
  let bytes = 0;
  for (const k of info.kernels) {
    if (!getKernel(k.name, 'wasm')) continue;
    const ms = Number(k.kernelTimeMs) || 0;
    kernels++;
    bytes += Math.max(0, k.bytesAdded);
    groups[GROUP_OF[k.name] ?? 'other'] += ms / units;
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s.join('×')}]`).join(' ')}`;
    const e = byKernel.get(key) ?? { ms: 0, calls: 0 };
    e.ms += ms / units;
    e.calls += 1 / units;
    byKernel.set(key, e);
  }
  const top = [...byKernel]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 6)
    .map(([kernel, e]) => ({ kernel, ms: e.ms, calls: Math.round(e.calls) }));
  return {
    workload: w.id,
    wallMs,
    groups,
    kernels: Math.round(kernels / units),
    allocatedMB: bytes / units / 2 ** 20,
    top,
  };
}

/** tfjs-WASM's square matMul at a few sizes (median of 5 after 2 warm-ups): the browser's limit. */
export async function matMulLimit(sizes = [256, 512, 768, 1024]): Promise<MatMulLimit[]> {
  const out: MatMulLimit[] = [];
  for (const n of sizes) {
    const [a, b] = tidy(() => [randomNormal([n, n]), randomNormal([n, n])]) as [Tensor, Tensor];
    const once = async () => {
      const s = performance.now();
      const c = matMul(a, b);
      await c.data();
      c.dispose();
      return performance.now() - s;
    };
    await once();
    await once();
    const times: number[] = [];
    for (let k = 0; k < 5; k++) times.push(await once());
    const ms = median(times);
    out.push({ n, ms, gflops: (2 * n ** 3) / ms / 1e6 });
    a.dispose();
    b.dispose();
  }
  return out;
}
