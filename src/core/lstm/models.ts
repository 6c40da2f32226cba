import {
  createDense,
  denseBackward,
  denseForward,
  initDenseUniform,
  relu,
  reluBackward,
  reluInPlace,
  type Dense,
} from './dense';
import {
  createLstm,
  initLstmUniform,
  lstmBackward,
  lstmForward,
  lstmParams,
  type Lstm,
  type LstmForward,
  type SequenceBatch,
} from './lstm';
import type { Param } from './params';
import { regressorHeadLossAndGrad } from './regressorHead';
import type { FloatArray, FloatArrayCtor } from './tensor';
import { createRng } from '../random';

/**
 * The two networks the app trains, built from the core pieces, with PyTorch parameter
 * names so their weights export as a state_dict the seed's PyTorch classes can load:
 *  - regressor: the seed's stock model, last h of the top layer → ReLU → fc_1 (128) → ReLU → fc (1)
 *  - classifier: the seed's MNIST model, last h → fc (classes), softmax cross-entropy
 */
export interface ModelShape {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
}

export interface LstmRegressor extends ModelShape {
  kind: 'regressor';
  lstm: Lstm;
  fc1: Dense;
  fc: Dense;
  params: Param[];
}

export interface LstmClassifier extends ModelShape {
  kind: 'classifier';
  classes: number;
  lstm: Lstm;
  fc: Dense;
  params: Param[];
}

export function createRegressor(
  shape: ModelShape & { headSize?: number; seed?: number; ctor?: FloatArrayCtor },
): LstmRegressor {
  const ctor = shape.ctor ?? Float64Array;
  const rng = createRng(shape.seed ?? 0);
  const lstm = createLstm({ ...shape, ctor, namePrefix: 'lstm.' });
  const headSize = shape.headSize ?? 128;
  const fc1 = createDense('fc_1', shape.hiddenSize, headSize, ctor);
  const fc = createDense('fc', headSize, 1, ctor);
  initLstmUniform(lstm, rng);
  initDenseUniform(fc1, rng);
  initDenseUniform(fc, rng);
  return {
    kind: 'regressor',
    inputSize: shape.inputSize,
    hiddenSize: shape.hiddenSize,
    numLayers: shape.numLayers,
    lstm,
    fc1,
    fc,
    params: [...lstmParams(lstm), fc1.weight, fc1.bias, fc.weight, fc.bias],
  };
}

export function createClassifier(
  shape: ModelShape & { classes: number; seed?: number; ctor?: FloatArrayCtor },
): LstmClassifier {
  const ctor = shape.ctor ?? Float64Array;
  const rng = createRng(shape.seed ?? 0);
  const lstm = createLstm({ ...shape, ctor, namePrefix: 'lstm.' });
  const fc = createDense('fc', shape.hiddenSize, shape.classes, ctor);
  initLstmUniform(lstm, rng);
  initDenseUniform(fc, rng);
  return {
    kind: 'classifier',
    inputSize: shape.inputSize,
    hiddenSize: shape.hiddenSize,
    numLayers: shape.numLayers,
    classes: shape.classes,
    lstm,
    fc,
    params: [...lstmParams(lstm), fc.weight, fc.bias],
  };
}

/** The top layer's h at the last step, [b][H]. */
function lastHidden(fwd: LstmForward): FloatArray {
  const top = fwd.layers[fwd.layers.length - 1];
  const n = fwd.batch * fwd.hiddenSize;
  return top.h.slice((fwd.time - 1) * n, fwd.time * n);
}

/** Spreads ∂L/∂h_last into a time-major [t][b][H] gradient for lstmBackward. */
function lastStepGradient(fwd: LstmForward, dLast: FloatArray): FloatArray {
  const n = fwd.batch * fwd.hiddenSize;
  const d = new (dLast.constructor as new (len: number) => FloatArray)(fwd.time * n);
  d.set(dLast, (fwd.time - 1) * n);
  return d;
}

interface RegressorPass {
  fwd: LstmForward;
  /** relu(h_last) and relu(fc_1(...)): the activations, which also serve as their relu masks. */
  a1: FloatArray;
  a2: FloatArray;
  pred: FloatArray;
}

function regressorPass(model: LstmRegressor, x: SequenceBatch): RegressorPass {
  const fwd = lstmForward(model.lstm, x);
  // relu in place on fresh buffers: the backward pass masks by the activations themselves.
  const a1 = reluInPlace(lastHidden(fwd));
  const a2 = reluInPlace(denseForward(model.fc1, a1, x.batch));
  const pred = denseForward(model.fc, a2, x.batch);
  return { fwd, a1, a2, pred };
}

/** Predictions, one per sequence (in the target's scaled units). */
export function regressorPredict(model: LstmRegressor, x: SequenceBatch): FloatArray {
  return regressorPass(model, x).pred;
}

/** MSE loss (mean over the batch, as nn.MSELoss) and its gradients, added to params. */
export function regressorLossAndGrad(
  model: LstmRegressor,
  x: SequenceBatch,
  y: ArrayLike<number>,
  /** The mean is over this many samples (a chunk of a larger batch adds its share). */
  meanOver = x.batch,
): { loss: number; pred: FloatArray } {
  const fwd = lstmForward(model.lstm, x);
  const { loss, pred, dHLast } = regressorHeadLossAndGrad(
    model.fc1,
    model.fc,
    lastHidden(fwd),
    y,
    x.batch,
    meanOver,
  );
  lstmBackward(model.lstm, fwd, lastStepGradient(fwd, dHLast));
  return { loss, pred };
}

/**
 * How much each input step moved each sequence's output: Σ_features |∂out/∂x_t|, from the
 * LSTM's own backward pass (the params' grads are left as they were).
 * For a regressor the output is its prediction; for a classifier the logit of `classOf(b)`.
 * `forward`, when given, is lstmForward of this same x (a caller that also traces it).
 * Returns [b][t].
 */
export function stepSaliency(
  model: LstmRegressor | LstmClassifier,
  x: SequenceBatch,
  classOf?: (b: number) => number,
  forward?: LstmForward,
): number[][] {
  const B = x.batch;
  const fwd = forward ?? lstmForward(model.lstm, x);
  const hLast = lastHidden(fwd);
  let dH: FloatArray;
  if (model.kind === 'regressor') {
    const a1 = relu(hLast);
    const z1 = denseForward(model.fc1, a1, B);
    const a2 = relu(z1);
    const dPred = new (hLast.constructor as new (len: number) => FloatArray)(B).fill(1);
    const dA2 = denseBackward(model.fc, a2, dPred, B, false);
    dH = reluBackward(hLast, denseBackward(model.fc1, a1, reluBackward(z1, dA2), B, false));
  } else {
    const K = model.classes;
    const dLogits = new (hLast.constructor as new (len: number) => FloatArray)(B * K);
    for (let b = 0; b < B; b++) dLogits[b * K + (classOf ? classOf(b) : 0)] = 1;
    dH = denseBackward(model.fc, hLast, dLogits, B, false);
  }
  const { dInput } = lstmBackward(model.lstm, fwd, lastStepGradient(fwd, dH), {
    weightGrads: false,
  });
  const { time: T, features: F } = x;
  return Array.from({ length: B }, (_, b) =>
    Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let f = 0; f < F; f++) s += Math.abs(dInput[(b * T + t) * F + f]);
      return s;
    }),
  );
}

export function softmaxRows(logits: FloatArray, n: number, k: number): FloatArray {
  const out = logits.slice();
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, out[r * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      out[r * k + j] = Math.exp(out[r * k + j] - max);
      sum += out[r * k + j];
    }
    for (let j = 0; j < k; j++) out[r * k + j] /= sum;
  }
  return out;
}

/** Class probabilities [b][classes]. */
export function classifierPredict(model: LstmClassifier, x: SequenceBatch): FloatArray {
  const fwd = lstmForward(model.lstm, x);
  const logits = denseForward(model.fc, lastHidden(fwd), x.batch);
  return softmaxRows(logits, x.batch, model.classes);
}

/**
 * Logits [b][classes]; with labels, also the mean softmax cross-entropy (as F.cross_entropy)
 * and its gradients, added to params.
 */
export function classifierLogitsAndLoss(
  model: LstmClassifier,
  x: SequenceBatch,
  labels: ArrayLike<number> | null,
): { logits: FloatArray; loss: number; probs: FloatArray } {
  const fwd = lstmForward(model.lstm, x);
  const hLast = lastHidden(fwd);
  const B = x.batch;
  const K = model.classes;
  const logits = denseForward(model.fc, hLast, B);
  const probs = softmaxRows(logits, B, K);
  if (!labels) return { logits, loss: NaN, probs };
  const dLogits = probs.slice();
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const label = labels[b];
    // log-softmax from the logits: exact where a probability underflows to 0.
    let max = -Infinity;
    for (let j = 0; j < K; j++) max = Math.max(max, logits[b * K + j]);
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.exp(logits[b * K + j] - max);
    loss -= logits[b * K + label] - max - Math.log(sum);
    dLogits[b * K + label] -= 1;
  }
  for (let j = 0; j < dLogits.length; j++) dLogits[j] /= B;
  const dH = denseBackward(model.fc, hLast, dLogits, B);
  lstmBackward(model.lstm, fwd, lastStepGradient(fwd, dH));
  return { logits, loss: loss / B, probs };
}

/** Mean softmax cross-entropy (as F.cross_entropy) and its gradients, added to params. */
export function classifierLossAndGrad(
  model: LstmClassifier,
  x: SequenceBatch,
  labels: ArrayLike<number>,
): { loss: number; probs: FloatArray } {
  const { loss, probs } = classifierLogitsAndLoss(model, x, labels);
  return { loss, probs };
}
