import {
  add,
  concat,
  dispose,
  logSoftmax,
  matMul,
  mean,
  mul,
  neg,
  oneHot,
  relu,
  reshape,
  sigmoid,
  slice,
  split,
  square,
  sub,
  sum,
  tanh,
  tensor,
  tidy,
  transpose,
  variable,
  zeros,
  type Scalar,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Variable,
  Rank,
} from '@tensorflow/tfjs-core';
import type { Lstm, LstmClassifier, LstmRegressor, Param, StateDict } from '../core/index';
import { toNested } from '../core/index';

/**
 * The LSTM in TensorFlow.js ops, PyTorch's equations, gate order i, f, g, o. Each step is one
 * matMul of [x_t, h_{t−1}] by a packed kernel ((In + H) × 4H, i.e. [W_ihᵀ; W_hhᵀ]) plus both
 * biases. Models are built from a core model, so names, shapes and the seeded init have one
 * source; weights go back to the same PyTorch state_dict names.
 */
export interface TfLstmLayer {
  inputSize: number;
  hiddenSize: number;
  kernel: Variable<Rank.R2>;
  biasIh: Variable<Rank.R1>;
  biasHh: Variable<Rank.R1>;
  names: { weightIh: string; weightHh: string; biasIh: string; biasHh: string };
}

export interface TfDense {
  /** in × out (the transpose of PyTorch's weight). */
  kernel: Variable<Rank.R2>;
  bias: Variable<Rank.R1>;
  names: { weight: string; bias: string };
}

export type TfModelKind = 'lstm' | 'regressor' | 'classifier';

export interface TfModel {
  kind: TfModelKind;
  layers: TfLstmLayer[];
  /** regressor: [fc_1, fc]; classifier: [fc]; lstm: []. */
  head: TfDense[];
  classes: number;
  variables: Variable[];
}

const matrix = (p: Param) =>
  tensor(Array.from(p.value), p.shape as [number, number], 'float32') as Tensor2D;

function layerFromCore(l: Lstm['layers'][number]): TfLstmLayer {
  // Created inside tidy so the init tensors are freed (a variable keeps its own copy).
  return tidy(() => ({
    inputSize: l.inputSize,
    hiddenSize: l.hiddenSize,
    kernel: variable(concat([transpose(matrix(l.weightIh)), transpose(matrix(l.weightHh))], 0)),
    biasIh: variable(tensor(Array.from(l.biasIh.value), [4 * l.hiddenSize], 'float32')),
    biasHh: variable(tensor(Array.from(l.biasHh.value), [4 * l.hiddenSize], 'float32')),
    names: {
      weightIh: l.weightIh.name,
      weightHh: l.weightHh.name,
      biasIh: l.biasIh.name,
      biasHh: l.biasHh.name,
    },
  })) as unknown as TfLstmLayer;
}

function denseFromCore(weight: Param, bias: Param): TfDense {
  return tidy(() => ({
    kernel: variable(transpose(matrix(weight))),
    bias: variable(tensor(Array.from(bias.value), bias.shape, 'float32')),
    names: { weight: weight.name, bias: bias.name },
  })) as unknown as TfDense;
}

function collect(model: Omit<TfModel, 'variables'>): TfModel {
  const variables: Variable[] = [];
  for (const l of model.layers) variables.push(l.kernel, l.biasIh, l.biasHh);
  for (const d of model.head) variables.push(d.kernel, d.bias);
  return { ...model, variables };
}

/** A bare (stacked) LSTM, e.g. from a state_dict. */
export function tfModelFromLstm(lstm: Lstm): TfModel {
  return collect({ kind: 'lstm', layers: lstm.layers.map(layerFromCore), head: [], classes: 0 });
}

export function tfModelFromCore(model: LstmRegressor | LstmClassifier): TfModel {
  const layers = model.lstm.layers.map(layerFromCore);
  if (model.kind === 'regressor') {
    return collect({
      kind: 'regressor',
      layers,
      head: [
        denseFromCore(model.fc1.weight, model.fc1.bias),
        denseFromCore(model.fc.weight, model.fc.bias),
      ],
      classes: 0,
    });
  }
  return collect({
    kind: 'classifier',
    layers,
    head: [denseFromCore(model.fc.weight, model.fc.bias)],
    classes: model.classes,
  });
}

export function disposeModel(model: TfModel): void {
  dispose(model.variables);
}

/** Runs every layer over x [B, T, F]; returns the top layer's h per step and the final h of the top. */
export function lstmSequence(model: TfModel, x: Tensor3D): { outputs: Tensor2D[]; last: Tensor2D } {
  const [B, T] = x.shape;
  let inputs: Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    // slice + reshape rather than unstack: unstack's gradient fails when T = 1.
    inputs.push(reshape(slice(x, [0, t, 0], [B, 1, x.shape[2]]), [B, x.shape[2]]));
  }
  for (const layer of model.layers) {
    const H = layer.hiddenSize;
    let h = zeros([B, H]) as Tensor2D;
    let c = zeros([B, H]) as Tensor2D;
    const bias = add(layer.biasIh, layer.biasHh);
    const outs: Tensor2D[] = [];
    for (const xt of inputs) {
      const z = add(matMul(concat([xt, h], 1), layer.kernel), bias) as Tensor2D;
      const [zi, zf, zg, zo] = split(z, 4, 1);
      c = add(mul(sigmoid(zf), c), mul(sigmoid(zi), tanh(zg)));
      h = mul(sigmoid(zo), tanh(c));
      outs.push(h);
    }
    inputs = outs;
  }
  return { outputs: inputs, last: inputs[inputs.length - 1] };
}

function dense(d: TfDense, x: Tensor2D): Tensor2D {
  return add(matMul(x, d.kernel), d.bias);
}

/** Regressor: last h → ReLU → fc_1 → ReLU → fc → one value per sequence [B]. */
export function regressorOutput(model: TfModel, x: Tensor3D): Tensor1D {
  const { last } = lstmSequence(model, x);
  const out = dense(model.head[1], relu(dense(model.head[0], relu(last))));
  return reshape(out, [x.shape[0]]);
}

/** Classifier logits [B, classes]. */
export function classifierLogits(model: TfModel, x: Tensor3D): Tensor2D {
  return dense(model.head[0], lstmSequence(model, x).last);
}

/** nn.MSELoss (mean). */
export function mseLoss(pred: Tensor1D, y: Tensor1D): Scalar {
  return mean(square(sub(pred, y)));
}

/** F.cross_entropy (mean) from logits and integer labels. */
export function crossEntropyLoss(logits: Tensor2D, labels: Tensor1D, classes: number): Scalar {
  const target = oneHot(labels, classes);
  return neg(mean(sum(mul(target, logSoftmax(logits)), 1)));
}

/** The model's loss for a batch: MSE (regressor), cross-entropy (classifier), Σ outputs (bare LSTM). */
export function modelLoss(model: TfModel, x: Tensor3D, y: Tensor1D | null): Scalar {
  if (model.kind === 'regressor') return mseLoss(regressorOutput(model, x), y as Tensor1D);
  if (model.kind === 'classifier') {
    return crossEntropyLoss(classifierLogits(model, x), y as Tensor1D, model.classes);
  }
  return sum(concat(lstmSequence(model, x).outputs, 0));
}

/** Reads the weights back as a PyTorch state_dict (nested arrays, PyTorch names). */
export async function tfModelToStateDict(model: TfModel): Promise<StateDict> {
  const sd: StateDict = {};
  for (const l of model.layers) {
    const In = l.inputSize;
    const H = l.hiddenSize;
    const k = await l.kernel.data();
    // kernel is (In + H) × 4H; PyTorch wants W_ih (4H × In) and W_hh (4H × H).
    const wih = new Float64Array(4 * H * In);
    const whh = new Float64Array(4 * H * H);
    for (let r = 0; r < 4 * H; r++) {
      for (let j = 0; j < In; j++) wih[r * In + j] = k[j * 4 * H + r];
      for (let j = 0; j < H; j++) whh[r * H + j] = k[(In + j) * 4 * H + r];
    }
    sd[l.names.weightIh] = toNested(wih, [4 * H, In]);
    sd[l.names.weightHh] = toNested(whh, [4 * H, H]);
    sd[l.names.biasIh] = Array.from(await l.biasIh.data());
    sd[l.names.biasHh] = Array.from(await l.biasHh.data());
  }
  for (const d of model.head) {
    const [inSize, outSize] = d.kernel.shape;
    const k = await d.kernel.data();
    const w = new Float64Array(inSize * outSize);
    for (let o = 0; o < outSize; o++)
      for (let j = 0; j < inSize; j++) w[o * inSize + j] = k[j * outSize + o];
    sd[d.names.weight] = toNested(w, [outSize, inSize]);
    sd[d.names.bias] = Array.from(await d.bias.data());
  }
  return sd;
}
