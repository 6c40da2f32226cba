import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import {
  createRegressor,
  denseBackward,
  denseForward,
  lstmBackward,
  lstmForward,
  regressorLossAndGrad,
  regressorPredict,
  reluBackward,
  reluInPlace,
  zeroGrads,
  type FloatArrayCtor,
  type LstmRegressor,
  type SequenceBatch,
} from '../index';

/** The regressor's loss and gradients from the separate layers, as it was computed before. */
function composedLossAndGrad(
  model: LstmRegressor,
  x: SequenceBatch,
  y: ArrayLike<number>,
  meanOver: number,
): { loss: number; pred: ArrayLike<number> } {
  const fwd = lstmForward(model.lstm, x);
  const B = x.batch;
  const n = B * model.hiddenSize;
  const top = fwd.layers[fwd.layers.length - 1];
  const a1 = reluInPlace(top.h.slice((fwd.time - 1) * n, fwd.time * n));
  const a2 = reluInPlace(denseForward(model.fc1, a1, B));
  const pred = denseForward(model.fc, a2, B);
  const dPred = new (pred.constructor as FloatArrayCtor)(B);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const e = pred[b] - y[b];
    loss += e * e;
    dPred[b] = (2 * e) / meanOver;
  }
  const dZ1 = reluBackward(a2, denseBackward(model.fc, a2, dPred, B));
  const dH = reluBackward(a1, denseBackward(model.fc1, a1, dZ1, B));
  const dTop = new (dH.constructor as FloatArrayCtor)(fwd.time * n);
  dTop.set(dH, (fwd.time - 1) * n);
  lstmBackward(model.lstm, fwd, dTop);
  return { loss: loss / B, pred };
}

describe.each([
  ['float32', Float32Array],
  ['float64', Float64Array],
] as const)('the one-pass regressor head (%s)', (_label, ctor) => {
  const shape = { inputSize: 3, hiddenSize: 4, numLayers: 2, headSize: 16, seed: 7, ctor };
  const B = 9;
  const T = 3;
  const rng = createRng(11);
  const x: SequenceBatch = {
    data: new ctor(B * T * 3).map(() => rng.normal()),
    batch: B,
    time: T,
    features: 3,
  };

  it('gives the composed layers’ loss, predictions and every gradient to the bit', () => {
    const fused = createRegressor(shape);
    const composed = createRegressor(shape);
    const y = Array.from({ length: B }, () => rng.normal() * 0.2);
    // One row predicted exactly: its gradient is zero and the head skips it.
    y[4] = regressorPredict(fused, x)[4];
    zeroGrads(fused.params);
    zeroGrads(composed.params);
    const got = regressorLossAndGrad(fused, x, y, 20);
    const want = composedLossAndGrad(composed, x, y, 20);
    expect(got.loss).toBe(want.loss);
    expect(Array.from(got.pred)).toEqual(Array.from(want.pred));
    fused.params.forEach((p, k) => {
      expect(p.name).toBe(composed.params[k].name);
      expect(Array.from(p.grad), p.name).toEqual(Array.from(composed.params[k].grad));
    });
    // The test means something only if the relus cut somewhere and gradients are not all zero.
    expect(fused.fc1.weight.grad.some((v) => v !== 0)).toBe(true);
    expect(Array.from(fused.lstm.layers[0].weightIh.grad).some((v) => v !== 0)).toBe(true);
  });
});
