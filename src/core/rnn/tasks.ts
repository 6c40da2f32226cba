import type { SequenceBatch } from '../lstm/lstm';
import type { Rng } from '../random';

/**
 * Long-memory tasks for the race, generated from a seed:
 *  - first:  a random symbol (one-hot) at every step, step 0 flagged; name the flagged one.
 *            Chance is 1/K.
 *  - adding: random values with two marked steps (one in the first tenth); output their sum.
 */
export type MemoryTask = 'first' | 'adding';

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

/** The loss of the best constant answer: what "learned nothing" scores on each task. */
export function chanceLoss(task: MemoryTask): number {
  // Cross-entropy of a uniform guess; MSE of always answering 1 (the mean of a sum of two U(0,1)).
  return task === 'first' ? Math.log(FIRST_SYMBOLS) : 1 / 6;
}
