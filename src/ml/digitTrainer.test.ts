import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import { setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DIGIT_DEFAULTS,
  DigitTrainer,
  createDigitModel,
  digitBatch,
  splitMnist,
} from '../core/index';
import { loadMnistPackage } from '../cli/mnist';
import { TfDigitTrainer, classifyDigitPixels } from './digitTrainer';
import { partGradients, readWeights, writeWeights, type GradientHelper } from './splitBatch';
import { disposeModel, tfModelFromCore } from './tfLstm';

beforeAll(async () => {
  expect(await setBackend('cpu')).toBe(true);
});

describe('the two digit trainers share one data path', () => {
  it('for the same seed the core and tfjs trainers see identical, shifted batches', async () => {
    const set = loadMnistPackage();
    const { train, test } = splitMnist(set.labels, 0);
    const few = train.subarray(0, 150);
    const config = { ...DIGIT_DEFAULTS, hiddenSize: 4, batchSize: 64, epochs: 2, seed: 5 };
    const core = new DigitTrainer(set, few, config);
    const tf = new TfDigitTrainer(set, few, test.subarray(0, 10), config);
    let shifted = 0;
    // 3 batches an epoch: 5 steps cross into the second epoch's reshuffle.
    for (let step = 0; step < 5; step++) {
      const a = core.stepBatch();
      const b = await tf.stepBatch();
      expect(b.epochDone).toBe(a.epochDone);
      const ca = core.lastBatch!;
      const cb = tf.lastBatch!;
      expect(cb.rows).toEqual(ca.rows);
      expect(cb.labels).toEqual(ca.labels);
      expect(Buffer.compare(Buffer.from(cb.x.data.buffer), Buffer.from(ca.x.data.buffer))).toBe(0);
      const plain = digitBatch(set, ca.rows, Float32Array);
      if (plain.data.some((v, k) => v !== ca.x.data[k])) shifted++;
    }
    expect(core.epoch).toBe(1);
    expect(tf.epoch).toBe(1);
    // The ±2 px augmentation reaches the tfjs trainer too.
    expect(shifted).toBe(5);
    tf.dispose();
  });
});

describe('a batch split between two workers is the whole-batch step', () => {
  // 150 digits in batches of 64: 64, 64 and 22 (split 32 + 32 and 11 + 11). 129 digits: the last
  // batch holds one digit, which cannot be split: this worker trains it alone.
  it.each([
    [150, 6],
    [129, 4],
  ])(
    'with a helper taking half of every batch, %i digits: weights and losses match training alone',
    async (count, helped) => {
      const set = loadMnistPackage();
      const { train, test } = splitMnist(set.labels, 0);
      const few = train.subarray(0, count);
      const config = { ...DIGIT_DEFAULTS, hiddenSize: 8, batchSize: 64, epochs: 2, seed: 3 };
      const alone = new TfDigitTrainer(set, few, test.subarray(0, 10), config);
      // The helper's model: another copy, given this worker's weights before each part.
      const twin = tfModelFromCore(createDigitModel(config.hiddenSize, 99, Float32Array));
      const start = readWeights(alone.model)[0].slice();
      let parts = 0;
      const classified: number[] = [];
      const helper: GradientHelper = {
        gradients: (weights, part) => {
          parts++;
          writeWeights(twin, weights);
          return Promise.resolve(partGradients(twin, part));
        },
        classify: (weights, x, n) => {
          classified.push(n);
          writeWeights(twin, weights);
          return classifyDigitPixels(twin, x, n);
        },
      };
      const split = new TfDigitTrainer(set, few, test.subarray(0, 10), config, helper);
      const losses: [number, number][] = [];
      for (let step = 0; step < 6; step++) {
        const a = await alone.stepBatch();
        const b = await split.stepBatch();
        if (a.epochDone) losses.push([a.epochLoss, b.epochLoss]);
      }
      expect(parts).toBe(helped);
      expect(losses).toHaveLength(2);
      for (const [a, b] of losses) expect(b).toBeCloseTo(a, 5);
      const wa = readWeights(alone.model);
      const wb = readWeights(split.model);
      let worst = 0;
      wa.forEach((w, k) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - wb[k][j])))));
      // Six Adam steps of lr 1e-3 moved the weights by ~6e-3; the two agree to float rounding.
      expect(worst).toBeLessThan(1e-5);
      const moved = wa[0].some((v, j) => Math.abs(v - start[j]) > 1e-4);
      expect(moved).toBe(true);
      // The held-out read is split too: the helper classifies the last 5 of the 10 test digits,
      // at this worker's weights, and the classes come back in order. (Weights scaled up so the
      // ten digits are not all read as one class, which any order would match.)
      const loud = wa.map((w) => w.map((v) => 8 * v));
      writeWeights(alone.model, loud);
      writeWeights(split.model, loud);
      const want = await alone.predictTest();
      expect(await split.predictTest()).toEqual(want);
      expect(classified).toEqual([5]);
      expect(new Set(want).size).toBeGreaterThan(1);
      alone.dispose();
      split.dispose();
      disposeModel(twin);
    },
  );
});
