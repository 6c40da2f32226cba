import type { Matrix } from './scalers';

/**
 * Sliding windows over time-ordered rows: window k reads rows k … k+seqLen−1 and predicts the
 * target at row k+seqLen−1+horizon. Horizon 0 predicts the last input row's own target (the
 * seed's setup: today's features → today's volume); horizon 1 predicts tomorrow.
 *
 * Windows are views, not copies: they keep the scaled rows once and each window's first row,
 * and a batch's [n][seqLen][features] block is gathered when it is needed (windowBatch). Memory
 * grows with the rows, never with rows × seqLen × features (a million minute bars fit).
 */
export interface WindowSpec {
  seqLen: number;
  horizon: number;
}

export interface Windows {
  /** The scaled input rows, [row][feature], shared by all window sets of one dataset. */
  rows: Float64Array;
  /** First input row of each window. */
  start: Int32Array;
  y: Float64Array;
  /** Row index of each window's target. */
  targetRow: Int32Array;
  count: number;
  seqLen: number;
  features: number;
}

export function windowCount(rows: number, spec: WindowSpec): number {
  return Math.max(0, rows - spec.seqLen - spec.horizon + 1);
}

export function makeWindows(x: Matrix, y: ArrayLike<number>, spec: WindowSpec): Windows {
  const { seqLen, horizon } = spec;
  if (!Number.isInteger(seqLen) || seqLen < 1)
    throw new Error('the sequence length must be a whole number ≥ 1');
  if (!Number.isInteger(horizon) || horizon < 0)
    throw new Error('the horizon must be a whole number ≥ 0');
  const count = windowCount(x.rows, spec);
  const start = new Int32Array(count);
  const target = new Float64Array(count);
  const targetRow = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const r = k + seqLen - 1 + horizon;
    start[k] = k;
    target[k] = y[r];
    targetRow[k] = r;
  }
  return { rows: x.data, start, y: target, targetRow, count, seqLen, features: x.cols };
}

/** Keeps the windows whose index passes `keep` (used to split by target row). */
export function pickWindows(w: Windows, keep: (k: number) => boolean): Windows {
  const idx: number[] = [];
  for (let k = 0; k < w.count; k++) if (keep(k)) idx.push(k);
  return {
    rows: w.rows,
    start: Int32Array.from(idx, (k) => w.start[k]),
    y: Float64Array.from(idx, (k) => w.y[k]),
    targetRow: Int32Array.from(idx, (k) => w.targetRow[k]),
    count: idx.length,
    seqLen: w.seqLen,
    features: w.features,
  };
}

/**
 * The inputs of some windows as one batch-major block [n][seqLen][features]: the windows
 * `which` (indices), or the range [from, to). Written into `out` when it is given and large
 * enough (a trainer reuses one buffer per batch size).
 */
export function gatherWindows<T extends Float64Array | Float32Array>(
  w: Windows,
  which: ArrayLike<number> | { from: number; to: number },
  out: T,
): T {
  const per = w.seqLen * w.features;
  const F = w.features;
  const n = 'from' in which ? which.to - which.from : which.length;
  for (let j = 0; j < n; j++) {
    const k = 'from' in which ? which.from + j : which[j];
    const src = w.start[k] * F;
    // set() converts float64 rows to float32 where the engine wants it.
    out.set(w.rows.subarray(src, src + per), j * per);
  }
  return out;
}
