import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import { setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGIT_DEFAULTS, DigitTrainer, digitBatch, splitMnist } from '../core/index';
import { loadMnistPackage } from '../cli/mnist';
import { TfDigitTrainer } from './digitTrainer';

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
