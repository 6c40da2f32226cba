import { Adam } from '../lstm/adam';
import {
  classifierLossAndGrad,
  classifierPredict,
  createClassifier,
  type LstmClassifier,
} from '../lstm/models';
import { zeroGrads } from '../lstm/params';
import { loadParamsFromStateDict, paramsToStateDict, type StateDict } from '../lstm/stateDict';
import type { FloatArrayCtor } from '../lstm/tensor';
import { confusionMatrix } from '../metrics/regression';
import { createRng, shuffleInPlace, type Rng } from '../random';
import { CLASSES, SIDE, digitBatch, type MnistSet } from './mnist';

export interface DigitTrainConfig {
  hiddenSize: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Random shift of each training digit by up to this many pixels (0 = none). */
  shift: number;
  /** Multiply the learning rate by this after every epoch. */
  lrDecay: number;
}

export const DIGIT_DEFAULTS: DigitTrainConfig = {
  hiddenSize: 128,
  learningRate: 2e-3,
  batchSize: 64,
  epochs: 20,
  seed: 0,
  shift: 2,
  lrDecay: 0.9,
};

export interface DigitEvaluation {
  accuracy: number;
  n: number;
  /** confusion[actual][predicted] */
  confusion: number[][];
  predictions: number[];
}

/** The seed's MNIST model: an LSTM reading 28 rows of 28 pixels, a linear head on the last h. */
export function createDigitModel(
  hiddenSize: number,
  seed = 0,
  ctor: FloatArrayCtor = Float32Array,
) {
  return createClassifier({
    inputSize: SIDE,
    hiddenSize,
    numLayers: 1,
    classes: CLASSES,
    seed,
    ctor,
  });
}

/** Predicted class of each sample, computed in chunks (memory stays flat for 2,000 digits). */
export function predictDigits(
  model: LstmClassifier,
  set: MnistSet,
  rows: ArrayLike<number>,
  chunk = 250,
): number[] {
  const out: number[] = [];
  const ctor = model.lstm.ctor;
  for (let s = 0; s < rows.length; s += chunk) {
    const part = Array.prototype.slice.call(rows, s, s + chunk) as number[];
    const probs = classifierPredict(model, digitBatch(set, part, ctor));
    for (let b = 0; b < part.length; b++) {
      let best = 0;
      for (let k = 1; k < CLASSES; k++)
        if (probs[b * CLASSES + k] > probs[b * CLASSES + best]) best = k;
      out.push(best);
    }
  }
  return out;
}

export function evaluateDigits(
  model: LstmClassifier,
  set: MnistSet,
  rows: ArrayLike<number>,
): DigitEvaluation {
  const predictions = predictDigits(model, set, rows);
  const actual = Array.from(rows, (r) => set.labels[r]);
  const correct = predictions.filter((p, k) => p === actual[k]).length;
  return {
    accuracy: correct / rows.length,
    n: rows.length,
    confusion: confusionMatrix(actual, predictions, CLASSES),
    predictions,
  };
}

/**
 * Trains the digit model on the pure-TS core, one mini-batch per call (so a worker can answer
 * messages between batches and the CLI can log epochs).
 */
export class DigitTrainer {
  readonly model: LstmClassifier;
  private readonly optimizer: Adam;
  private readonly rng: Rng;
  private order: number[] = [];
  private cursor = 0;
  epoch = 0;
  private lossSum = 0;
  private lossCount = 0;

  constructor(
    readonly set: MnistSet,
    readonly train: Int32Array,
    readonly config: DigitTrainConfig,
    ctor: FloatArrayCtor = Float32Array,
  ) {
    this.model = createDigitModel(config.hiddenSize, config.seed, ctor);
    this.optimizer = new Adam(this.model.params, { lr: config.learningRate });
    this.rng = createRng(config.seed + 1);
    this.shuffle();
  }

  private shuffle(): void {
    this.order = shuffleInPlace(Array.from(this.train), this.rng);
    this.cursor = 0;
  }

  /** One mini-batch; returns its loss, and the epoch's mean loss when the epoch ends. */
  stepBatch(): { loss: number; epochDone: boolean; epochLoss: number } {
    const rows = this.order.slice(this.cursor, this.cursor + this.config.batchSize);
    this.cursor += rows.length;
    const shift = this.config.shift > 0 ? { max: this.config.shift, rng: this.rng } : undefined;
    const batch = digitBatch(this.set, rows, this.model.lstm.ctor, shift);
    zeroGrads(this.model.params);
    const labels = rows.map((r) => this.set.labels[r]);
    const { loss } = classifierLossAndGrad(this.model, batch, labels);
    this.optimizer.update();
    this.lossSum += loss * rows.length;
    this.lossCount += rows.length;
    if (this.cursor < this.order.length) return { loss, epochDone: false, epochLoss: NaN };
    const epochLoss = this.lossSum / this.lossCount;
    this.lossSum = 0;
    this.lossCount = 0;
    this.epoch++;
    this.optimizer.lr *= this.config.lrDecay;
    this.shuffle();
    return { loss, epochDone: true, epochLoss };
  }

  stateDict(): StateDict {
    return paramsToStateDict(this.model.params);
  }
}

/** A trained digit model as the app loads it (PyTorch names: lstm.weight_ih_l0 …, fc.*). */
export interface DigitModelFile {
  format: 'lstm-lab/digit-model';
  version: 1;
  hiddenSize: number;
  epochs: number;
  split: { seed: number; train: number; test: number };
  config: DigitTrainConfig;
  state_dict: StateDict;
}

export function loadDigitModel(file: unknown, ctor: FloatArrayCtor = Float32Array): LstmClassifier {
  const f = file as Partial<DigitModelFile>;
  if (!f || f.format !== 'lstm-lab/digit-model' || typeof f.hiddenSize !== 'number') {
    throw new Error('not a digit model file (expected format "lstm-lab/digit-model")');
  }
  const model = createDigitModel(f.hiddenSize, 0, ctor);
  loadParamsFromStateDict(model.params, f.state_dict);
  return model;
}
