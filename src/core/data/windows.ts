import type { Matrix } from './scalers';

/**
 * Sliding windows over time-ordered rows: window k reads rows k … k+seqLen−1 and predicts the
 * target at row k+seqLen−1+horizon. Horizon 0 predicts the last input row's own target (the
 * seed's setup: today's features → today's volume); horizon 1 predicts tomorrow.
 */
export interface WindowSpec {
  seqLen: number;
  horizon: number;
}

export interface Windows {
  /** [n][seqLen][features], batch-major. */
  x: Float64Array;
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
  const F = x.cols;
  const out = new Float64Array(count * seqLen * F);
  const target = new Float64Array(count);
  const targetRow = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    out.set(x.data.subarray(k * F, (k + seqLen) * F), k * seqLen * F);
    const r = k + seqLen - 1 + horizon;
    target[k] = y[r];
    targetRow[k] = r;
  }
  return { x: out, y: target, targetRow, count, seqLen, features: F };
}

/** Keeps the windows whose index passes `keep` (used to split by target row). */
export function pickWindows(w: Windows, keep: (k: number) => boolean): Windows {
  const idx: number[] = [];
  for (let k = 0; k < w.count; k++) if (keep(k)) idx.push(k);
  const per = w.seqLen * w.features;
  const x = new Float64Array(idx.length * per);
  idx.forEach((k, j) => x.set(w.x.subarray(k * per, (k + 1) * per), j * per));
  return {
    x,
    y: Float64Array.from(idx, (k) => w.y[k]),
    targetRow: Int32Array.from(idx, (k) => w.targetRow[k]),
    count: idx.length,
    seqLen: w.seqLen,
    features: w.features,
  };
}
