import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import {
  memory,
  setBackend,
  tensor,
  tidy,
  variableGrads,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegressor, lstmFromStateDict, toNested } from '../core/index';
import { loadGolden, maxAbsDiff } from '../test/shared';
import { PyTorchAdam } from './adam';
import { trainStep } from './train';
import {
  disposeModel,
  lstmSequence,
  modelLoss,
  tfModelFromCore,
  tfModelFromLstm,
  tfModelToStateDict,
  type TfModel,
} from './tfLstm';

const golden = loadGolden();
const F32 = 1e-5;

beforeAll(async () => {
  expect(await setBackend('cpu')).toBe(true);
});

const input = () => tensor(golden.input, undefined, 'float32') as Tensor3D;

/** ∂(Σ outputs)/∂W in PyTorch layout, read from the packed tfjs variables. */
async function gradsAsStateDict(model: TfModel) {
  const x = input();
  const { value, grads } = variableGrads(() => modelLoss(model, x, null), model.variables);
  // Put the gradients into a twin model's variables so the state_dict conversion reads them.
  const twin = tfModelFromLstm(lstmFromStateDict(await tfModelToStateDict(model)));
  twin.variables.forEach((v, k) => v.assign(grads[model.variables[k].name]));
  const sd = await tfModelToStateDict(twin);
  const loss = (await value.data())[0];
  disposeModel(twin);
  x.dispose();
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  return { sd, loss };
}

describe.each([
  ['nn.LSTMCell', 'lstm_cell'],
  ['2-layer nn.LSTM', 'lstm'],
])('tfjs ops LSTM (%s) matches PyTorch on the CPU backend', (_label, key) => {
  const g = golden[key];

  it('forward: every step’s h of every layer, and the outputs', async () => {
    const model = tfModelFromLstm(lstmFromStateDict(g.state_dict, Float32Array));
    const x = input();
    const outs = tidy(() => lstmSequence(model, x).outputs.map((h) => h.arraySync()));
    // outputs per step [t][b][H] → [b][t][H]
    const got = golden.input.map((_: unknown, b: number) => outs.map((step) => step[b]));
    expect(maxAbsDiff(got, key === 'lstm_cell' ? g.outputs_h : g.output)).toBeLessThan(F32);
    x.dispose();
    disposeModel(model);
  });

  it('gradients of Σ outputs w.r.t. every weight', async () => {
    const model = tfModelFromLstm(lstmFromStateDict(g.state_dict, Float32Array));
    const { sd, loss } = await gradsAsStateDict(model);
    expect(Math.abs(loss - g.loss)).toBeLessThan(F32);
    for (const [name, want] of Object.entries(g.grads)) {
      expect(maxAbsDiff(sd[name], want), name).toBeLessThan(F32);
    }
    disposeModel(model);
  });

  it('one PyTorch-style Adam step (lr 0.01) gives PyTorch’s weights', async () => {
    const model = tfModelFromLstm(lstmFromStateDict(g.state_dict, Float32Array));
    const { lr, betas, eps } = golden.meta.adam;
    const adam = new PyTorchAdam(model.variables, lr, betas[0], betas[1], eps);
    const x = input();
    trainStep(model, adam, x, null).dispose();
    const sd = await tfModelToStateDict(model);
    for (const [name, want] of Object.entries(g.adam_updated_state_dict)) {
      expect(maxAbsDiff(sd[name], want), name).toBeLessThan(F32);
    }
    x.dispose();
    adam.dispose();
    disposeModel(model);
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

  it('leaks no tensors: numTensors after epoch 1000 equals that after epoch 10', () => {
    const core = createRegressor({
      inputSize: 5,
      hiddenSize: 2,
      numLayers: 1,
      headSize: 8,
      seed: 1,
    });
    const model = tfModelFromCore(core);
    const adam = new PyTorchAdam(model.variables, 1e-3);
    const x = tensor(
      Array.from({ length: 16 * 5 }, (_, k) => Math.sin(k)),
      [16, 1, 5],
    ) as Tensor3D;
    const y = tensor(
      Array.from({ length: 16 }, (_, k) => k / 16),
      [16],
    ) as Tensor1D;
    let after10 = 0;
    let first = Infinity;
    let last = 0;
    for (let epoch = 1; epoch <= 1000; epoch++) {
      const loss = trainStep(model, adam, x, y);
      const v = loss.dataSync()[0];
      loss.dispose();
      if (epoch === 1) first = v;
      last = v;
      if (epoch === 10) after10 = memory().numTensors;
    }
    expect(memory().numTensors).toBe(after10);
    expect(last).toBeLessThan(first);
    x.dispose();
    y.dispose();
    adam.dispose();
    disposeModel(model);
  });
});
