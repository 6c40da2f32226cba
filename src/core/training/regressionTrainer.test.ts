import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../data/csv';
import { readShared } from '../../test/shared';
import { RegressionTrainer } from './regressionTrainer';
import { SEED_RECIPE } from './stockConfig';
import { prepareStockDataset } from './stockData';

const table = parseCsvText(readShared('data', 'SBUX.csv'));
const config = { ...SEED_RECIPE, headSize: 16, learningRate: 1e-3 };
const dataset = prepareStockDataset(table, config);

describe('RegressionTrainer (pure-TS core)', () => {
  it('learns on the seed recipe and judges itself against the naive baseline', () => {
    const t = new RegressionTrainer(dataset, config);
    const first = t.stepEpoch();
    let last = first;
    for (let e = 0; e < 49; e++) last = t.stepEpoch();
    expect(last.epoch).toBe(50);
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    const ev = t.evaluate();
    expect(ev.model.n).toBe(53);
    expect(ev.naive.rmse).toBeGreaterThan(0);
    expect(Number.isNaN(ev.naive.directionAccuracy)).toBe(true);
    expect(ev.beatsNaive).toBe(ev.model.rmse < ev.naive.rmse);
  });

  it('resumes from a checkpoint: same weights, same epoch count', () => {
    const a = new RegressionTrainer(dataset, config);
    for (let e = 0; e < 5; e++) a.stepEpoch();
    const checkpoint = { epoch: a.epoch, stateDict: a.stateDict() };
    const b = new RegressionTrainer(dataset, { ...config, seed: 99 }, Float64Array, checkpoint);
    expect(b.epoch).toBe(5);
    expect(b.stateDict()).toEqual(checkpoint.stateDict);
    expect(Array.from(b.predictAll())).toEqual(Array.from(a.predictAll()));
    expect(b.stepEpoch().epoch).toBe(6);
  });

  it('steps one mini-batch at a time, the same as a whole epoch', () => {
    const cfg = { ...config, batchSize: 64 };
    const a = new RegressionTrainer(dataset, cfg);
    const b = new RegressionTrainer(dataset, cfg);
    const whole = a.stepEpoch();
    expect(b.batchesPerEpoch).toBe(Math.ceil(dataset.train.count / 64));
    const first = b.stepBatch();
    expect(first).toMatchObject({ batch: 1, epoch: null });
    const rest = b.stepEpoch(); // finishes the epoch that was started
    expect(rest).toEqual(whole);
    expect(b.stateDict()).toEqual(a.stateDict());
    expect(b.stepBatch().batch).toBe(1);
  });
});
