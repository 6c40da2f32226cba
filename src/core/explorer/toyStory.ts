import type { StateDict } from '../lstm/stateDict';
import type { CellTrace } from './trace';

/**
 * What a toy cell's numbers do, read from its trace, so a lesson sentence is computed from the
 * weights the learner has now and never states a claim an edit has made false.
 */
export interface MemoryStory {
  steps: number;
  minF: number;
  maxF: number;
  meanF: number;
  /** Of what c held after step 0, the share still in c at the last step: ∏ f_t for t ≥ 1. */
  kept: number;
  /** 'kept' (at least half survives), 'fades' (under 5 %), or 'partly'. */
  verdict: 'kept' | 'partly' | 'fades';
  /** Steps where the input gate is more open than shut (i > 0.5): when content is written. */
  writes: number[];
}

export function memoryStory(trace: CellTrace, unit: number): MemoryStory {
  const f = trace.steps.map((s) => s.f[unit]);
  const kept = f.slice(1).reduce((a, b) => a * b, 1);
  return {
    steps: f.length,
    minF: Math.min(...f),
    maxF: Math.max(...f),
    meanF: f.reduce((a, b) => a + b, 0) / f.length,
    kept,
    verdict: kept >= 0.5 ? 'kept' : kept < 0.05 ? 'fades' : 'partly',
    writes: trace.steps.filter((s) => s.i[unit] > 0.5).map((s) => s.t),
  };
}

/** σ⁻¹: the pre-activation at which a sigmoid gate reads p. */
export const logit = (p: number) => Math.log(p / (1 - p));

/**
 * The toy cell with one unit's forget gate pinned to `f` at every step: its input and recurrent
 * weights set to 0 and its bias to σ⁻¹(f) (b_hh to 0), as nn.LSTMCell rows i, f, g, o lay them out.
 */
export function withForgetGate(sd: StateDict, unit: number, f: number): StateDict {
  const wHh = sd.weight_hh as number[][];
  const H = wHh[0].length;
  const row = H + unit;
  const zeroRow = (m: number[][]) => m.map((r, k) => (k === row ? r.map(() => 0) : r));
  const setRow = (b: number[], v: number) => b.map((x, k) => (k === row ? v : x));
  return {
    ...sd,
    weight_ih: zeroRow(sd.weight_ih as number[][]),
    weight_hh: zeroRow(wHh),
    bias_ih: setRow(sd.bias_ih as number[], Math.round(logit(f) * 1000) / 1000),
    bias_hh: setRow(sd.bias_hh as number[], 0),
  };
}
