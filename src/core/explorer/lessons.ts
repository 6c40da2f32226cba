import { createRng } from '../random';
import type { StateDict } from '../lstm/stateDict';

/**
 * Ready-made toy cells whose hand-set weights do one recognisable job, as an nn.LSTMCell
 * state_dict (gate rows i, f, g, o) plus an input sequence that shows it.
 */
export type LessonId = 'remember' | 'ignoreNoise' | 'count';

export interface Lesson {
  id: LessonId;
  stateDict: StateDict;
  input: number[][];
  /** Names of the input features, for labels. */
  features: string[];
}

/** One unit, rows i, f, g, o: input weights per row, recurrent weight per row, bias per row. */
function cell(wIh: number[][], wHh: number[], bias: number[]): StateDict {
  return {
    weight_ih: wIh,
    weight_hh: wHh.map((w) => [w]),
    bias_ih: bias,
    bias_hh: [0, 0, 0, 0],
  };
}

export const LESSONS: Record<LessonId, Lesson> = {
  // The input gate opens only when the "first" flag is 1; the forget gate stays near 1, so
  // the first value is kept in c for the rest of the sequence.
  remember: {
    id: 'remember',
    stateDict: cell(
      [
        [0, 10],
        [0, 0],
        [1.5, 0],
        [0, 0],
      ],
      [0, 0, 0, 0],
      [-5, 6, 0, 4],
    ),
    input: [
      [0.8, 1],
      [-0.3, 0],
      [0.5, 0],
      [-0.9, 0],
      [0.2, 0],
      [-0.6, 0],
    ],
    features: ['value', 'first?'],
  },
  // Small inputs barely pass the input gate (bias −6); only the large spike is written.
  ignoreNoise: {
    id: 'ignoreNoise',
    stateDict: cell([[8], [0], [2], [0]], [0, 0, 0, 0], [-6, 6, 0, 4]),
    input: [[0.1], [-0.08], [0.05], [1], [0.06], [-0.1], [0.04]],
    features: ['signal'],
  },
  // Each 1 opens the input gate and adds the same small candidate; nothing is forgotten,
  // so c grows by one step per 1 seen: the cell counts.
  count: {
    id: 'count',
    stateDict: cell([[12], [0], [0], [0]], [0, 0, 0, 0], [-6, 8, 0.2, 4]),
    input: [[1], [0], [1], [1], [0], [1], [0]],
    features: ['is one?'],
  },
};

/**
 * A toy nn.LSTMCell state_dict resized to `hidden` units and `inputs` features: weights that
 * exist are kept (per gate block), new ones are drawn from a seeded uniform(−0.5, 0.5).
 */
export function resizeToyCell(sd: StateDict, hidden: number, inputs: number, seed = 1): StateDict {
  const rng = createRng(seed);
  const oldIh = sd.weight_ih as number[][];
  const oldHh = sd.weight_hh as number[][];
  const oldH = oldHh[0]?.length ?? 0;
  const pick = (old: number[] | undefined, k: number) =>
    old && k < old.length ? old[k] : rng.uniform(-0.5, 0.5);
  const rows = (fn: (gate: number, unit: number) => number[] | number) =>
    Array.from({ length: 4 * hidden }, (_, r) => fn(Math.floor(r / hidden), r % hidden));
  const oldRow = (m: unknown[], gate: number, unit: number) =>
    unit < oldH ? m[gate * oldH + unit] : undefined;
  return {
    weight_ih: rows((g, u) =>
      Array.from({ length: inputs }, (_, k) => pick(oldRow(oldIh, g, u) as number[], k)),
    ) as number[][],
    weight_hh: rows((g, u) =>
      Array.from({ length: hidden }, (_, k) => pick(oldRow(oldHh, g, u) as number[], k)),
    ) as number[][],
    bias_ih: rows((g, u) => {
      const old = oldRow(sd.bias_ih as number[], g, u) as number | undefined;
      return old ?? rng.uniform(-0.5, 0.5);
    }) as number[],
    bias_hh: rows(
      (g, u) => (oldRow(sd.bias_hh as number[], g, u) as number | undefined) ?? 0,
    ) as number[],
  };
}

/** Whether a toy still holds a lesson's own weights and inputs (its fixed description is true). */
export function isLessonAsShipped(
  id: LessonId,
  toy: { stateDict: StateDict; input: number[][] },
): boolean {
  const l = LESSONS[id];
  return (
    JSON.stringify(l.stateDict) === JSON.stringify(toy.stateDict) &&
    JSON.stringify(l.input) === JSON.stringify(toy.input)
  );
}
