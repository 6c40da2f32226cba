import '@tensorflow/tfjs-backend-cpu';
import './tfjsSetup';
import {
  profile,
  setBackend,
  tensor,
  unregisterKernel,
  variableGrads,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLstm, initLstmUniform, createRng } from '../core/index';
import { EXTRA_SHAPES, coreSelfTest, randomLstmCase } from '../test/coreReference';
import { loadGolden, maxAbsDiff } from '../test/shared';
import { CELL_BACKWARD, CELL_FORWARD, hasCellKernels, registerCellKernels } from './lstmKernels';
import { runSelfTest } from './selfTest';
import { disposeModel, modelLoss, tfModelFromLstm } from './tfLstm';

beforeAll(async () => {
  expect(await setBackend('cpu')).toBe(true);
});

/** Kernels one forward, and one forward + backward, of a 1-layer LSTM over T steps run. */
async function kernelsFor(T: number): Promise<{ forward: number; training: number }> {
  const lstm = createLstm({ inputSize: 5, hiddenSize: 4 });
  initLstmUniform(lstm, createRng(1));
  const model = tfModelFromLstm(lstm);
  const x = tensor(
    Array.from({ length: 3 * T * 5 }, (_, k) => Math.sin(k)),
    [3, T, 5],
  ) as Tensor3D;
  // Read each count at once: tf.profile returns the same object every time.
  const forward = (await profile(() => modelLoss(model, x, null))).kernels.length;
  const training = (
    await profile(() => {
      const { value, grads } = variableGrads(() => modelLoss(model, x, null), model.variables);
      return [value, ...Object.values(grads)];
    })
  ).kernels.length;
  x.dispose();
  disposeModel(model);
  return { forward, training };
}

describe('the LSTM layer op runs few kernels per time step (CPU backend, cell kernels)', () => {
  it('forward ≤ 6 and backward ≤ 8 kernels per step, counted with tf.profile', async () => {
    expect(hasCellKernels()).toBe(true);
    const a = await kernelsFor(8);
    const b = await kernelsFor(24);
    const forwardPerStep = (b.forward - a.forward) / 16;
    const backwardPerStep = (b.training - b.forward - (a.training - a.forward)) / 16;
    expect(forwardPerStep).toBeGreaterThan(0);
    expect(forwardPerStep).toBeLessThanOrEqual(6);
    expect(backwardPerStep).toBeGreaterThan(0);
    expect(backwardPerStep).toBeLessThanOrEqual(8);
  });
});

describe('the first layer never computes the gradient of its input (the data)', () => {
  /** BatchMatMul kernels of one training step whose output is shaped like x·: [T·B, In]. */
  async function inputGradMatMuls(layers: number): Promise<number> {
    const [T, B, In, H] = [6, 3, 5, 7];
    const lstm = createLstm({ inputSize: In, hiddenSize: H, numLayers: layers });
    initLstmUniform(lstm, createRng(2));
    const model = tfModelFromLstm(lstm);
    const x = tensor(
      Array.from({ length: B * T * In }, (_, k) => Math.cos(k)),
      [B, T, In],
    ) as Tensor3D;
    const info = await profile(() => {
      const { value, grads } = variableGrads(() => modelLoss(model, x, null), model.variables);
      return [value, ...Object.values(grads)];
    });
    x.dispose();
    disposeModel(model);
    const shaped = (s: number[], r: number, c: number) =>
      s.length === 2 && s[0] === r && s[1] === c;
    return info.kernels.filter(
      (k) =>
        k.name === 'BatchMatMul' &&
        k.outputShapes.some((s) => shaped(s, T * B, layers > 1 ? H : In)),
    ).length;
  }

  it('one layer: no dz·W_ih product; two layers: exactly one (the upper layer’s, into the h below it)', async () => {
    expect(await inputGradMatMuls(1)).toBe(0);
    expect(await inputGradMatMuls(2)).toBe(1);
  });
});

describe('without the cell kernels (the WebGL / per-op path), the same op still matches PyTorch', () => {
  beforeAll(() => {
    unregisterKernel(CELL_FORWARD, 'cpu');
    unregisterKernel(CELL_BACKWARD, 'cpu');
  });
  afterAll(() => registerCellKernels());

  it('forward, every gradient and an Adam step of the 2-layer golden LSTM within 1e-5', async () => {
    expect(hasCellKernels()).toBe(false);
    const g = loadGolden();
    const r = await runSelfTest(g.lstm.state_dict, g.input, g.meta.adam);
    expect(maxAbsDiff(r.output, g.lstm.output)).toBeLessThan(1e-5);
    for (const [name, want] of Object.entries(g.lstm.grads)) {
      expect(maxAbsDiff(r.grads[name], want), name).toBeLessThan(1e-5);
    }
    for (const [name, want] of Object.entries(g.lstm.adam_updated_state_dict)) {
      expect(maxAbsDiff(r.adamStateDict[name], want), name).toBeLessThan(1e-5);
    }
  });

  it('and runs many more kernels per step, which is why the cell kernels exist', async () => {
    const a = await kernelsFor(8);
    const b = await kernelsFor(24);
    expect((b.forward - a.forward) / 16).toBeGreaterThan(6);
  });
});

describe.each(EXTRA_SHAPES)(
  'hidden $hiddenSize, $numLayers layer(s), batch $batch: the op matches the float64 core',
  (shape) => {
    it('forward, every gradient and an Adam step within 1e-5', async () => {
      const c = randomLstmCase(shape);
      const want = coreSelfTest(c);
      const r = await runSelfTest(c.stateDict, c.input, c.adam);
      expect(r.recurrence).toBe('cell-kernels');
      expect(maxAbsDiff(r.output, want.output)).toBeLessThan(1e-5);
      expect(Math.abs(r.loss - want.loss) / Math.max(1, Math.abs(want.loss))).toBeLessThan(1e-5);
      for (const [name, g] of Object.entries(want.grads)) {
        expect(maxAbsDiff(r.grads[name], g), name).toBeLessThan(1e-5);
      }
      for (const [name, w] of Object.entries(want.adamStateDict)) {
        expect(maxAbsDiff(r.adamStateDict[name], w), name).toBeLessThan(1e-5);
      }
    });
  },
);
