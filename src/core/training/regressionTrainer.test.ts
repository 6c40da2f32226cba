import { describe, expect, it } from 'vitest';
import { hasTorch } from '../../test/python';
import { nestWindows, torchLossCurve } from '../../test/torchCurve';
import { parseCsvText } from '../data/csv';
import { readShared } from '../../test/shared';
import { Adam } from '../lstm/adam';
import { createRegressor, regressorLossAndGrad, regressorPredict } from '../lstm/models';
import { zeroGrads } from '../lstm/params';
import { mse } from '../metrics/regression';
import { RegressionTrainer, WINDOW_CHUNK, asBatch } from './regressionTrainer';
import { NEXT_DAY_RECIPE, SEED_RECIPE } from './stockConfig';
import { prepareStockDataset } from './stockData';

const table = parseCsvText(readShared('data', 'SBUX.csv'));
const config = { ...SEED_RECIPE, headSize: 16, learningRate: 1e-3 };
const dataset = prepareStockDataset(table, config);

describe('RegressionTrainer (pure-TS core)', () => {
  it.skipIf(!hasTorch)(
    'learns the seed recipe exactly as PyTorch does: 50 full-batch epochs, every loss to 1e-9',
    () => {
      const t = new RegressionTrainer(dataset, config);
      const sd = t.stateDict();
      const b = asBatch(dataset.train, Float64Array);
      const ours = Array.from({ length: 50 }, () => t.stepEpoch().trainLoss);
      const theirs = torchLossCurve({
        stateDict: sd,
        In: b.features,
        H: config.hiddenSize,
        W: config.headSize,
        x: nestWindows(b.data, b.batch, b.time, b.features),
        y: Array.from(dataset.train.y),
        lr: config.learningRate,
        epochs: 50,
      });
      ours.forEach((l, k) => expect(Math.abs(l - theirs[k]), `epoch ${k + 1}`).toBeLessThan(1e-9));
      // And it learns: the curve falls as PyTorch's does.
      expect(ours[49]).toBeLessThan(ours[0]);
    },
  );

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

describe('a large set trains in bounded memory', () => {
  it('a full batch of > 4,096 windows is accumulated in chunks and equals one whole batch', () => {
    const rows = 10_000;
    const csv = [
      'Date,Close',
      ...Array.from({ length: rows }, (_, k) => {
        const day = new Date(Date.UTC(2000, 0, 1) + k * 86_400_000).toISOString().slice(0, 10);
        return `${day},${(100 + 10 * Math.sin(k / 30) + k / 100).toFixed(3)}`;
      }),
    ].join('\n');
    const config = {
      ...NEXT_DAY_RECIPE,
      seqLen: 3,
      hiddenSize: 2,
      headSize: 4,
      batchSize: 0,
      split: { kind: 'fraction' as const, fraction: 0.5 },
    };
    const ds = prepareStockDataset(parseCsvText(csv), config);
    expect(ds.train.count).toBeGreaterThan(WINDOW_CHUNK);
    expect(ds.test.count).toBeGreaterThan(WINDOW_CHUNK);
    const trainer = new RegressionTrainer(ds, config);
    // The reference: the same model, one whole batch, one Adam step.
    const ref = createRegressor({
      inputSize: 1,
      hiddenSize: 2,
      numLayers: 1,
      headSize: 4,
      seed: 0,
    });
    zeroGrads(ref.params);
    const loss = regressorLossAndGrad(ref, asBatch(ds.train, Float64Array), ds.train.y).loss;
    new Adam(ref.params, { lr: config.learningRate }).update();
    const first = trainer.stepBatch();
    expect(first.epoch).toBeNull();
    expect(first.evaluating).toBe(true);
    expect(Math.abs(first.loss - loss)).toBeLessThan(1e-12);
    trainer.model.params.forEach((p, k) => {
      let d = 0;
      for (let j = 0; j < p.value.length; j++)
        d = Math.max(d, Math.abs(p.value[j] - ref.params[k].value[j]));
      expect(d, p.name).toBeLessThan(1e-12);
    });
    // The test set is judged a chunk per call; the epoch ends with the last chunk.
    let r = first;
    let calls = 1;
    while (!r.epoch) {
      r = trainer.stepBatch();
      calls++;
    }
    expect(calls).toBe(1 + Math.ceil(ds.test.count / WINDOW_CHUNK));
    const pred = regressorPredict(trainer.model, asBatch(ds.test, Float64Array));
    expect(Math.abs(r.epoch.testLoss - mse(pred, ds.test.y))).toBeLessThan(1e-12);
    expect(trainer.epoch).toBe(1);
  });
});
