import {
  add,
  mul,
  scalar,
  tensor,
  tidy,
  variableGrads,
  type NamedTensorMap,
  type Scalar,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { PyTorchAdam } from './adam';
import { modelLoss, type TfModel } from './tfLstm';
import { trainStep } from './train';

/**
 * One batch computed by two workers: this one takes the first part of the batch, a helper (another
 * worker with the same model and engine) the rest, and the gradients are averaged by sample count
 * before one Adam step here. The mean loss over the batch is the weighted mean of the two parts'
 * mean losses, so the step is the whole-batch step, up to float rounding. On two cores each part
 * runs at once: the CPU engines use one core each, and a batch takes about the time of its half.
 */

/** Flat weights or gradients, one array per variable in `model.variables` order. */
export type FlatTensors = Float32Array[];

export interface BatchPart {
  /** [n, T, F] row-major. */
  x: Float32Array;
  /** Labels (classifier) or targets, one per sample. */
  y: Int32Array | Float32Array;
  n: number;
}

/** The other worker, at the given weights: a part's mean loss and gradients, or its classes. */
export interface GradientHelper {
  gradients(weights: FlatTensors, part: BatchPart): Promise<{ loss: number; grads: FlatTensors }>;
  /** The predicted class of each of `n` sequences [n, T, F] (a classifier's held-out half). */
  classify(weights: FlatTensors, x: Float32Array, n: number): Promise<Int32Array>;
}

/** This model's weights as flat arrays (what the helper needs before each part). */
export function readWeights(model: TfModel): FlatTensors {
  return model.variables.map((v) => v.dataSync() as Float32Array);
}

/** Sets every variable from flat arrays in `model.variables` order. */
export function writeWeights(model: TfModel, weights: FlatTensors): void {
  model.variables.forEach((v, k) => tidy(() => v.assign(tensor(weights[k], v.shape, 'float32'))));
}

function partTensors(model: TfModel, part: BatchPart): { x: Tensor3D; y: Tensor1D } {
  const T = part.x.length / part.n / model.layers[0].inputSize;
  const x = tensor(part.x, [part.n, T, model.layers[0].inputSize], 'float32') as Tensor3D;
  const y = tensor(part.y, [part.n], part.y instanceof Int32Array ? 'int32' : 'float32');
  return { x, y: y as Tensor1D };
}

/** The mean loss over a part and the gradient of every variable, as tensors. */
function lossAndGrads(model: TfModel, part: BatchPart): { value: Scalar; grads: NamedTensorMap } {
  return tidy(() => {
    const { x, y } = partTensors(model, part);
    return variableGrads(() => modelLoss(model, x, y), model.variables);
  });
}

/** The mean loss over a part and the gradient of every variable, as flat arrays (the helper's side). */
export function partGradients(
  model: TfModel,
  part: BatchPart,
): { loss: number; grads: FlatTensors } {
  const { value, grads } = lossAndGrads(model, part);
  const out = {
    loss: value.dataSync()[0],
    grads: model.variables.map((v) => grads[v.name].dataSync() as Float32Array),
  };
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  return out;
}

/** Splits a batch [n, T, F] after its first `k` samples. */
export function splitPart(part: BatchPart, k: number): [BatchPart, BatchPart] {
  const per = part.x.length / part.n;
  return [
    { x: part.x.subarray(0, k * per), y: part.y.subarray(0, k), n: k },
    { x: part.x.subarray(k * per), y: part.y.subarray(k), n: part.n - k },
  ];
}

/** Trains `model` with Adam, each batch split between this worker and a helper. */
export class SplitBatchStepper {
  private readonly optimizer: PyTorchAdam;

  constructor(
    private readonly model: TfModel,
    lr: number,
    private readonly helper: GradientHelper,
    betas: [number, number] = [0.9, 0.999],
    eps = 1e-8,
  ) {
    this.optimizer = new PyTorchAdam(model.variables, lr, betas[0], betas[1], eps);
  }

  get lr(): number {
    return this.optimizer.lr;
  }
  set lr(v: number) {
    this.optimizer.lr = v;
  }

  /** One batch; resolves with its mean loss once the Adam step is applied. */
  async step(batch: BatchPart): Promise<number> {
    if (batch.n < 2) return this.stepAlone(batch);
    const [mine, theirs] = splitPart(batch, Math.ceil(batch.n / 2));
    // The helper starts first, so both halves run at the same time.
    const remote = this.helper.gradients(readWeights(this.model), theirs);
    const { value, grads } = lossAndGrads(this.model, mine);
    const other = await remote;
    const wMine = mine.n / batch.n;
    const wTheirs = theirs.n / batch.n;
    tidy(() => {
      const averaged: NamedTensorMap = {};
      this.model.variables.forEach((v, k) => {
        averaged[v.name] = add(
          mul(grads[v.name], scalar(wMine)),
          mul(tensor(other.grads[k], v.shape, 'float32'), scalar(wTheirs)),
        );
      });
      this.optimizer.apply(averaged);
    });
    const loss = value.dataSync()[0] * wMine + other.loss * wTheirs;
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
    return loss;
  }

  /** The helper's classes for `n` sequences at this model's current weights. */
  classifyThere(x: Float32Array, n: number): Promise<Int32Array> {
    return this.helper.classify(readWeights(this.model), x, n);
  }

  /** A batch too small to split (one sample) is trained here alone. */
  private stepAlone(batch: BatchPart): number {
    const loss = tidy(() => {
      const { x, y } = partTensors(this.model, batch);
      return trainStep(this.model, this.optimizer, x, y);
    });
    const v = loss.dataSync()[0];
    loss.dispose();
    return v;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
