import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { COUNT_TASK, countChanceLoss, makeCountBatch } from '../rnn/tasks';
import { KnockoutLearner } from './knockout';
import type { CellVariant } from './variants';

describe('the continual counting task', () => {
  it('counts the 1s since the last reset, over 10', () => {
    const { x, y } = makeCountBatch(40, 50, createRng(3));
    for (let b = 0; b < 50; b++) {
      let count = 0;
      for (let t = 0; t < 40; t++) {
        const o = (b * 40 + t) * 2;
        if (x.data[o + 1] === 1) count = 0;
        if (x.data[o] === 1) count++;
      }
      expect(y[b]).toBeCloseTo(count / 10, 12);
    }
  });

  it('"learned nothing" is the variance of the answer: 0.73 at T = 60 with p = 0.5 / 0.05', () => {
    expect(COUNT_TASK).toEqual({ pBit: 0.5, pReset: 0.05 });
    expect(countChanceLoss(60)).toBeCloseTo(0.73, 1);
  });
});

/** Test MSE after `steps` Adam steps, for each seed. */
function race(variant: CellVariant, seeds: number[], T: number, H: number, steps: number) {
  return seeds.map((seed) => {
    const l = new KnockoutLearner({ variant, hiddenSize: H, learningRate: 1e-2, seed });
    const rng = createRng(seed * 7919 + 1);
    for (let s = 0; s < steps; s++) l.trainStep(makeCountBatch(T, 32, rng));
    return l.evaluate(makeCountBatch(T, 512, createRng(999))).loss;
  });
}

describe('KnockoutLearner', () => {
  it('every variant learns the count far below "learned nothing"', () => {
    const chance = countChanceLoss(30);
    for (const v of ['lstm', 'nig', 'nog', 'niaf', 'noaf', 'cifg', 'gru'] as const) {
      const [loss] = race(v, [1], 30, 8, 150);
      expect(loss, v).toBeLessThan(chance / 4);
    }
  });

  it('without a forget gate the cell cannot clear its count: worse than the LSTM on every seed', () => {
    const seeds = [1, 2, 3];
    const lstm = race('lstm', seeds, 30, 8, 300);
    const nfg = race('nfg', seeds, 30, 8, 300);
    expect(Math.max(...lstm)).toBeLessThan(Math.min(...nfg));
  });
});
