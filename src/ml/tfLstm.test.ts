import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import { memory, setBackend, tensor, type Tensor1D, type Tensor3D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  NEXT_DAY_RECIPE,
  RegressionTrainer,
  createRegressor,
  paramsToStateDict,
  parseCsvText,
  prepareStockDataset,
  toNested,
} from '../core/index';
import { hasTorch } from '../test/python';
import { nestWindows, torchLossCurve } from '../test/torchCurve';
import { loadGolden, loadModelsGolden, maxAbsDiff, readShared } from '../test/shared';
import { DEVICE_RESIDENT, TfRegressionTrainer } from './regressionTrainer';
import { PyTorchAdam } from './adam';
import { trainStep } from './train';
import { runModelSelfTest, runSelfTest, type SelfTestResult } from './selfTest';
import { disposeModel, tfModelFromCore, tfModelToStateDict } from './tfLstm';

const golden = loadGolden();
const F32 = 1e-5;

beforeAll(async () => {
  expect(await setBackend('cpu')).toBe(true);
});

describe.each([
  ['nn.LSTMCell', 'lstm_cell'],
  ['2-layer nn.LSTM', 'lstm'],
])('tfjs ops LSTM (%s) matches PyTorch on the CPU backend', (_label, key) => {
  const g = golden[key];
  let before = 0;
  let after = 0;
  let result: Promise<SelfTestResult>;
  beforeAll(async () => {
    before = memory().numTensors;
    result = runSelfTest(g.state_dict, golden.input, golden.meta.adam);
    await result;
    after = memory().numTensors;
  });

  it('forward: the top layer’s h at every step', async () => {
    const { output } = await result;
    expect(maxAbsDiff(output, key === 'lstm_cell' ? g.outputs_h : g.output)).toBeLessThan(F32);
  });

  it('gradients of Σ outputs w.r.t. every weight', async () => {
    const { loss, grads } = await result;
    expect(Math.abs(loss - g.loss)).toBeLessThan(F32);
    expect(Object.keys(grads).sort()).toEqual(Object.keys(g.grads).sort());
    for (const [name, want] of Object.entries(g.grads)) {
      expect(maxAbsDiff(grads[name], want), name).toBeLessThan(F32);
    }
  });

  it('one PyTorch-style Adam step (lr 0.01) gives PyTorch’s weights, leaving no tensors', async () => {
    const { adamStateDict } = await result;
    for (const [name, want] of Object.entries(g.adam_updated_state_dict)) {
      expect(maxAbsDiff(adamStateDict[name], want), name).toBeLessThan(F32);
    }
    expect(after).toBe(before);
  });
});

describe.each([
  ['the seed digit model', 'seed_digit_model'],
  ['the seed stock model', 'seed_stock_model'],
])('10 Adam steps of %s on tfjs (CPU, float32) match PyTorch within 1e-5', (_label, key) => {
  it('every loss and every final weight within 1e-5, leaving no tensors', async () => {
    const g = loadModelsGolden()[key];
    const before = memory().numTensors;
    const targets =
      key === 'seed_digit_model'
        ? (g.labels as number[])
        : (g.targets as number[][]).map((r) => r[0]);
    const r = await runModelSelfTest({
      stateDict: g.state_dict,
      input: g.input,
      targets,
      lr: g.adam.lr,
      steps: g.adam.steps,
    });
    expect(r.recurrence).toBe('cell-kernels');
    expect(maxAbsDiff(r.losses, g.adam.loss_before_each_step)).toBeLessThan(1e-5);
    for (const [name, want] of Object.entries(g.adam.state_dict_after)) {
      expect(maxAbsDiff(r.stateDict[name], want), name).toBeLessThan(1e-5);
    }
    expect(memory().numTensors).toBe(before);
  });
});

describe('training on tfjs', () => {
  it('the regressor’s state_dict round-trips with PyTorch names', async () => {
    const core = createRegressor({ inputSize: 5, hiddenSize: 3, numLayers: 2, seed: 3 });
    const model = tfModelFromCore(core);
    const sd = await tfModelToStateDict(model);
    expect(Object.keys(sd)).toEqual(core.params.map((p) => p.name));
    for (const p of core.params) {
      expect(maxAbsDiff(sd[p.name], toNested(p.value, p.shape))).toBeLessThan(1e-7);
    }
    disposeModel(model);
  });

  it('leaks no tensors over 1,000 epochs, and its loss curve is PyTorch’s (float32, 1e-5)', () => {
    const core = createRegressor({
      inputSize: 5,
      hiddenSize: 2,
      numLayers: 1,
      headSize: 8,
      seed: 1,
    });
    const xs = Array.from({ length: 16 * 5 }, (_, k) => Math.sin(k));
    const ys = Array.from({ length: 16 }, (_, k) => k / 16);
    const model = tfModelFromCore(core);
    const adam = new PyTorchAdam(model.variables, 1e-3);
    const x = tensor(xs, [16, 1, 5]) as Tensor3D;
    const y = tensor(ys, [16]) as Tensor1D;
    let after10 = 0;
    const ours: number[] = [];
    for (let epoch = 1; epoch <= 1000; epoch++) {
      const loss = trainStep(model, adam, x, y);
      ours.push(loss.dataSync()[0]);
      loss.dispose();
      if (epoch === 10) after10 = memory().numTensors;
    }
    expect(memory().numTensors).toBe(after10);
    x.dispose();
    y.dispose();
    adam.dispose();
    disposeModel(model);
    if (!hasTorch) return; // python.ts has said why this half is skipped
    const theirs = torchLossCurve({
      stateDict: paramsToStateDict(core.params),
      In: 5,
      H: 2,
      W: 8,
      x: nestWindows(xs, 16, 1, 5),
      y: ys,
      lr: 1e-3,
      epochs: 1000,
    });
    // The loss falls a long way (PyTorch's curve says how far), and ours follows it step by step.
    expect(theirs[999]).toBeLessThan(theirs[0] / 2);
    ours.forEach((l, k) => expect(Math.abs(l - theirs[k]), `epoch ${k + 1}`).toBeLessThan(1e-5));
  });
});

describe('TfRegressionTrainer', () => {
  it('mini-batches on the device, learns, and resumes from a core checkpoint', async () => {
    const table = parseCsvText(readShared('data', 'SBUX.csv'));
    const config = { ...NEXT_DAY_RECIPE, hiddenSize: 4, headSize: 8, epochs: 5 };
    const dataset = prepareStockDataset(table, config);
    const before = memory().numTensors;
    const tf = new TfRegressionTrainer(dataset, config);
    // Mini-batches in the core's shuffled order: the core (PyTorch's curve to 1e-9, in
    // core/training) is the reference, epoch by epoch.
    const reference = new RegressionTrainer(dataset, config);
    for (let e = 1; e <= 5; e++) {
      const ours = await tf.stepEpoch();
      const want = reference.stepEpoch();
      expect(Math.abs(ours.trainLoss - want.trainLoss), `train, epoch ${e}`).toBeLessThan(1e-5);
      expect(Math.abs(ours.testLoss - want.testLoss), `test, epoch ${e}`).toBeLessThan(1e-5);
    }
    tf.dispose();
    expect(memory().numTensors).toBe(before);

    const core = new RegressionTrainer(dataset, config);
    core.stepEpoch();
    const checkpoint = { epoch: core.epoch, stateDict: core.stateDict() };
    const resumed = new TfRegressionTrainer(dataset, config, checkpoint);
    expect(resumed.epoch).toBe(1);
    const sd = await resumed.stateDict();
    for (const [name, want] of Object.entries(checkpoint.stateDict)) {
      expect(maxAbsDiff(sd[name], want), name).toBeLessThan(1e-6);
    }
    resumed.dispose();
  });

  it('steps one batch at a time exactly as a whole epoch does, and leaks nothing', async () => {
    const table = parseCsvText(readShared('data', 'SBUX.csv'));
    const config = { ...NEXT_DAY_RECIPE, hiddenSize: 4, headSize: 8, batchSize: 64 };
    const dataset = prepareStockDataset(table, config);
    const before = memory().numTensors;
    const byEpoch = new TfRegressionTrainer(dataset, config);
    const byBatch = new TfRegressionTrainer(dataset, config);
    const whole = await byEpoch.stepEpoch();
    const batches = byBatch.batchesPerEpoch;
    expect(batches).toBe(Math.ceil(dataset.train.count / 64));
    let r = await byBatch.stepBatch();
    expect(r).toMatchObject({ batch: 1, batches, epoch: null });
    expect(Number.isFinite(r.loss)).toBe(true);
    for (let k = 2; k <= batches; k++) r = await byBatch.stepBatch();
    expect(r.epoch?.epoch).toBe(1);
    expect(r.epoch!.trainLoss).toBeCloseTo(whole.trainLoss, 6);
    const a = await byEpoch.stateDict();
    const b = await byBatch.stateDict();
    for (const name of Object.keys(a)) expect(maxAbsDiff(a[name], b[name]), name).toBe(0);
    byEpoch.dispose();
    byBatch.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('large sets: windows gathered per batch', () => {
  it('a set too big for the device trains exactly as a resident one, batch for batch', async () => {
    const table = parseCsvText(readShared('data', 'SBUX.csv'));
    const config = { ...NEXT_DAY_RECIPE, hiddenSize: 3, headSize: 8, batchSize: 32 };
    const dataset = prepareStockDataset(table, config);
    const resident = new TfRegressionTrainer(dataset, config);
    const saved = DEVICE_RESIDENT.values;
    DEVICE_RESIDENT.values = 0;
    const lazy = new TfRegressionTrainer(dataset, config);
    DEVICE_RESIDENT.values = saved;
    const a = await resident.stepEpoch();
    const b = await lazy.stepEpoch();
    expect(b.trainLoss).toBeCloseTo(a.trainLoss, 6);
    expect(b.testLoss).toBeCloseTo(a.testLoss, 6);
    const sa = await resident.stateDict();
    const sb = await lazy.stateDict();
    for (const name of Object.keys(sa))
      expect(maxAbsDiff(sa[name], sb[name]), name).toBeLessThan(1e-6);
    const pa = await resident.predictAll();
    const pb = await lazy.predictRange(0, dataset.all.count);
    expect(maxAbsDiff(Array.from(pa), Array.from(pb))).toBeLessThan(1e-3);
    resident.dispose();
    lazy.dispose();
  });
});
