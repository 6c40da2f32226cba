import {
  add,
  dispose,
  logSoftmax,
  matMul,
  mean,
  mul,
  neg,
  oneHot,
  relu,
  reshape,
  slice,
  square,
  sub,
  sum,
  tensor,
  tidy,
  transpose,
  variable,
  type Scalar,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
  type Variable,
  Rank,
} from '@tensorflow/tfjs-core';
import type { Lstm, LstmClassifier, LstmRegressor, Param, StateDict } from '../core/index';
import { toNested } from '../core/index';
import { lstmLayer } from './lstmLayer';

/**
 * The LSTM in TensorFlow.js, PyTorch's equations, gate order i, f, g, o; each layer is one
 * differentiable op (lstmLayer.ts). Models are built from a core model, so names, shapes and
 * the seeded init have one source; weights go back to the same PyTorch state_dict names.
 */
export interface TfLstmLayer {
  inputSize: number;
  hiddenSize: number;
  /** W_ihᵀ, In × 4H. */
  wIh: Variable<Rank.R2>;
  /** W_hhᵀ, H × 4H. */
  wHh: Variable<Rank.R2>;
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
    wIh: variable(transpose(matrix(l.weightIh))),
    wHh: variable(transpose(matrix(l.weightHh))),
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
  for (const l of model.layers) variables.push(l.wIh, l.wHh, l.biasIh, l.biasHh);
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

/** Runs every layer over x [B, T, F]; returns the top layer's h per step [T, B, H] and its last h. */
export function lstmSequence(model: TfModel, x: Tensor3D): { hs: Tensor3D; last: Tensor2D } {
  const [B, T] = x.shape;
  let hs = transpose(x, [1, 0, 2]) as Tensor3D;
  // The first layer's input is data: its gradient is never computed.
  model.layers.forEach((l, k) => {
    hs = lstmLayer(hs, l.wIh, l.wHh, l.biasIh, l.biasHh, { inputGrad: k > 0 });
  });
  const H = hs.shape[2];
  const last = reshape(slice(hs, [T - 1, 0, 0], [1, B, H]), [B, H]) as Tensor2D;
  return { hs, last };
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
  return sum(lstmSequence(model, x).hs);
}

/** Reads the weights back as a PyTorch state_dict (nested arrays, PyTorch names). */
export async function tfModelToStateDict(model: TfModel): Promise<StateDict> {
  const sd: StateDict = {};
  for (const l of model.layers) {
    const In = l.inputSize;
    const H = l.hiddenSize;
    const ki = await l.wIh.data();
    const kh = await l.wHh.data();
    // Stored transposed (In × 4H, H × 4H); PyTorch wants W_ih (4H × In) and W_hh (4H × H).
    const wih = new Float64Array(4 * H * In);
    const whh = new Float64Array(4 * H * H);
    for (let r = 0; r < 4 * H; r++) {
      for (let j = 0; j < In; j++) wih[r * In + j] = ki[j * 4 * H + r];
      for (let j = 0; j < H; j++) whh[r * H + j] = kh[j * 4 * H + r];
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
