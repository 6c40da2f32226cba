import {
  argMax,
  dispose,
  gather,
  slice,
  tensor,
  tensor1d,
  tidy,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import {
  PIXELS,
  SIDE,
  createDigitModel,
  createRng,
  shuffleInPlace,
  decodePixel,
  type DigitTrainConfig,
  type MnistSet,
  type StateDict,
} from '../core/index';
import { PyTorchAdam } from './adam';
import { trainStep } from './train';
import {
  classifierLogits,
  disposeModel,
  tfModelFromCore,
  tfModelToStateDict,
  type TfModel,
} from './tfLstm';

/** Digits as a [n, 28, 28] float32 tensor in [−0.5, 0.5] (the seed's scaling). */
function digitsTensor(set: MnistSet, rows: ArrayLike<number>): Tensor3D {
  const data = new Float32Array(rows.length * PIXELS);
  for (let b = 0; b < rows.length; b++) {
    for (let p = 0; p < PIXELS; p++)
      data[b * PIXELS + p] = decodePixel(set.pixels[rows[b] * PIXELS + p]) - 0.5;
  }
  return tensor(data, [rows.length, SIDE, SIDE], 'float32') as Tensor3D;
}

/**
 * The Digit reader's model trained with tfjs on the active backend: the same model and init as
 * the core's DigitTrainer; the training digits are uploaded once and batches gathered on the
 * device. One mini-batch per call, so the worker can answer messages in between.
 */
export class TfDigitTrainer {
  readonly model: TfModel;
  private readonly optimizer: PyTorchAdam;
  private readonly rng;
  private readonly x: Tensor3D;
  private readonly y: Tensor1D;
  private readonly testX: Tensor3D;
  private order: Int32Array;
  private cursor = 0;
  epoch = 0;
  private pending: { loss: ReturnType<typeof trainStep>; size: number }[] = [];

  constructor(
    readonly set: MnistSet,
    readonly train: Int32Array,
    readonly test: Int32Array,
    readonly config: DigitTrainConfig,
  ) {
    this.model = tfModelFromCore(createDigitModel(config.hiddenSize, config.seed, Float32Array));
    this.optimizer = new PyTorchAdam(this.model.variables, config.learningRate);
    this.rng = createRng(config.seed + 1);
    this.x = digitsTensor(set, train);
    this.y = tensor1d(
      Int32Array.from(train, (r) => set.labels[r]),
      'int32',
    );
    this.testX = digitsTensor(set, test);
    this.order = this.shuffled();
  }

  private shuffled(): Int32Array {
    return shuffleInPlace(
      Int32Array.from({ length: this.train.length }, (_, k) => k),
      this.rng,
    );
  }

  /** One mini-batch. Losses are read once per epoch (reading is a GPU sync point). */
  async stepBatch(): Promise<{ epochDone: boolean; epochLoss: number }> {
    const end = Math.min(this.order.length, this.cursor + this.config.batchSize);
    const idx = tensor1d(this.order.subarray(this.cursor, end), 'int32');
    const x = gather(this.x, idx);
    const y = gather(this.y, idx);
    this.pending.push({
      loss: trainStep(this.model, this.optimizer, x, y),
      size: end - this.cursor,
    });
    dispose([idx, x, y]);
    this.cursor = end;
    if (this.cursor < this.order.length) return { epochDone: false, epochLoss: NaN };
    let sum = 0;
    let n = 0;
    for (const { loss, size } of this.pending) {
      sum += (await loss.data())[0] * size;
      n += size;
      loss.dispose();
    }
    this.pending = [];
    this.epoch++;
    this.optimizer.lr *= this.config.lrDecay;
    this.order = this.shuffled();
    this.cursor = 0;
    return { epochDone: true, epochLoss: sum / n };
  }

  /** Predicted class of every test digit. */
  async predictTest(): Promise<number[]> {
    const out: number[] = [];
    const chunk = 250;
    for (let s = 0; s < this.test.length; s += chunk) {
      const n = Math.min(chunk, this.test.length - s);
      const pred = tidy(() => {
        const part = slice(this.testX, [s, 0, 0], [n, SIDE, SIDE]);
        return argMax(classifierLogits(this.model, part), 1);
      });
      out.push(...Array.from(await pred.data(), Number));
      pred.dispose();
    }
    return out;
  }

  stateDict(): Promise<StateDict> {
    return tfModelToStateDict(this.model);
  }

  dispose(): void {
    for (const p of this.pending) p.loss.dispose();
    dispose([this.x, this.y, this.testX]);
    this.optimizer.dispose();
    disposeModel(this.model);
  }
}
