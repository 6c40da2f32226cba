import type { SequenceBatch } from '../lstm/lstm';
import { softmaxRows } from '../lstm/models';
import { createRng, type Rng } from '../random';

/**
 * Long-memory tasks for the race, generated from a seed:
 *  - first:  a random symbol (one-hot) at every step, step 0 flagged; name the flagged one.
 *            Chance is 1/K.
 *  - adding: random values with two marked steps (one in the first tenth); output their sum.
 *  - count:  a bit at every step (1 with p = 0.5) and now and then a reset marker (p = 0.05);
 *            output the count of 1s since the last reset, over 10. A *continual* task: memory
 *            must be cleared again at each reset, which a cell without a forget gate cannot do
 *            directly.
 */
export type MemoryTask = 'first' | 'adding' | 'count';
export const MEMORY_TASKS: readonly MemoryTask[] = ['first', 'adding', 'count'];

export interface CountTask {
  pBit: number;
  pReset: number;
}
export const COUNT_TASK: CountTask = { pBit: 0.5, pReset: 0.05 };

export const FIRST_SYMBOLS = 4;

export interface TaskBatch {
  x: SequenceBatch;
  /** Class per sample for 'first', target sum for 'adding'. */
  y: Float64Array;
}

export function taskShape(task: MemoryTask): { inputs: number; outputs: number } {
  return task === 'first'
    ? { inputs: FIRST_SYMBOLS + 1, outputs: FIRST_SYMBOLS }
    : { inputs: 2, outputs: 1 };
}

export function makeTaskBatch(task: MemoryTask, T: number, B: number, rng: Rng): TaskBatch {
  if (task === 'count') return makeCountBatch(T, B, rng);
  const { inputs } = taskShape(task);
  const data = new Float64Array(B * T * inputs);
  const y = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const base = b * T * inputs;
    if (task === 'first') {
      // A random symbol at every step; a marker bit flags step 0, the one to remember.
      for (let t = 0; t < T; t++) {
        const s = rng.int(FIRST_SYMBOLS);
        data[base + t * inputs + s] = 1;
        if (t === 0) {
          data[base + FIRST_SYMBOLS] = 1;
          y[b] = s;
        }
      }
    } else {
      const first = rng.int(Math.max(1, Math.floor(T / 10)));
      let second = first + 1 + rng.int(Math.max(1, T - first - 1));
      if (second >= T) second = T - 1;
      for (let t = 0; t < T; t++) {
        const v = rng.next();
        data[base + t * inputs] = v;
        if (t === first || t === second) {
          data[base + t * inputs + 1] = 1;
          y[b] += v;
        }
      }
    }
  }
  return { x: { data, batch: B, time: T, features: inputs }, y };
}

export function makeCountBatch(
  T: number,
  B: number,
  rng: Rng,
  task: CountTask = COUNT_TASK,
): TaskBatch {
  const data = new Float64Array(B * T * 2);
  const y = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let count = 0;
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * 2;
      if (t > 0 && rng.next() < task.pReset) {
        data[o + 1] = 1;
        count = 0;
      }
      if (rng.next() < task.pBit) {
        data[o] = 1;
        count++;
      }
    }
    y[b] = count / 10;
  }
  return { x: { data, batch: B, time: T, features: 2 }, y };
}

/** The count task's "learned nothing": the MSE of always answering the mean, on a large sample. */
export function countChanceLoss(T: number, task: CountTask = COUNT_TASK): number {
  // 20,000 sequences per call, and charts ask on every redraw: computed once per setting.
  const key = `${T}:${task.pBit}:${task.pReset}`;
  const known = countChanceCache.get(key);
  if (known !== undefined) return known;
  const { y } = makeCountBatch(T, 20_000, createRng(12345), task);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const loss = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
  countChanceCache.set(key, loss);
  return loss;
}
const countChanceCache = new Map<string, number>();

/** The loss of the best constant answer: what "learned nothing" scores on each task. */
export function chanceLoss(task: MemoryTask, T: number): number {
  // Cross-entropy of a uniform guess; MSE of always answering 1 (the mean of a sum of two U(0,1));
  // the count's spread depends on the length.
  if (task === 'count') return countChanceLoss(T);
  return task === 'first' ? Math.log(FIRST_SYMBOLS) : 1 / 6;
}

/**
 * A task's loss and its gradient with respect to the head's output, averaged over the batch:
 * cross-entropy for 'first', MSE otherwise. `correct` counts the right class, or an answer
 * within 0.04 of the target.
 */
export function taskLoss(
  task: MemoryTask,
  out: ArrayLike<number>,
  y: Float64Array,
  B: number,
): { loss: number; dOut: Float64Array; correct: number } {
  if (task === 'first') {
    const K = FIRST_SYMBOLS;
    const probs = softmaxRows(Float64Array.from(out), B, K);
    const dOut = Float64Array.from(probs);
    let loss = 0;
    let correct = 0;
    for (let b = 0; b < B; b++) {
      const label = y[b];
      loss -= Math.log(Math.max(probs[b * K + label], 1e-300));
      dOut[b * K + label] -= 1;
      let best = 0;
      for (let k = 1; k < K; k++) if (probs[b * K + k] > probs[b * K + best]) best = k;
      if (best === label) correct++;
    }
    for (let j = 0; j < dOut.length; j++) dOut[j] /= B;
    return { loss: loss / B, dOut, correct };
  }
  const dOut = new Float64Array(B);
  let loss = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const e = out[b] - y[b];
    loss += e * e;
    dOut[b] = (2 * e) / B;
    if (Math.abs(e) < 0.04) correct++;
  }
  return { loss: loss / B, dOut, correct };
}
