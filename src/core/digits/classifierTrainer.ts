import { Adam } from '../lstm/adam';
import { copyParams, wholeModelFromStateDict } from '../lstm/wholeModel';
import {
  classifierLossAndGrad,
  classifierPredict,
  createClassifier,
  type LstmClassifier,
} from '../lstm/models';
import { zeroGrads } from '../lstm/params';
import {
  hasLstmKeys,
  loadParamsFromStateDict,
  paramsToStateDict,
  type StateDict,
} from '../lstm/stateDict';
import type { FloatArrayCtor } from '../lstm/tensor';
import { confusionMatrix } from '../metrics/regression';
import { createRng, shuffleInPlace, type Rng } from '../random';
import type { SequenceBatch } from '../lstm/lstm';
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

/**
 * Training from scratch in the app: a smaller model and a faster rate than the pretrained
 * recipe, so one epoch (~8,000 digits) already reads most held-out digits (≈ 66% measured).
 */
export const DIGIT_LESSON: DigitTrainConfig = {
  ...DIGIT_DEFAULTS,
  hiddenSize: 32,
  epochs: 3,
  learningRate: 5e-3,
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

/** One training mini-batch: which digits, their pixels (shifted when augmenting) and labels. */
export interface DigitMiniBatch {
  rows: number[];
  x: SequenceBatch;
  labels: number[];
  /** True for the last batch of an epoch. */
  last: boolean;
}

/**
 * The one data path of both digit trainers (core and tfjs): a seeded shuffle per epoch, then
 * batches built by digitBatch with the ±shift augmentation. Same seed, same batches.
 */
export class DigitBatches {
  private readonly rng: Rng;
  private order: number[] = [];
  private cursor = 0;

  constructor(
    readonly set: MnistSet,
    readonly train: ArrayLike<number>,
    readonly config: Pick<DigitTrainConfig, 'batchSize' | 'seed' | 'shift'>,
    readonly ctor: FloatArrayCtor,
  ) {
    this.rng = createRng(config.seed + 1);
    this.shuffle();
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.train.length / this.config.batchSize);
  }

  /** Index (1-based) of the batch next() returned last within its epoch. */
  get batchInEpoch(): number {
    return Math.ceil(this.cursor / this.config.batchSize);
  }

  private shuffle(): void {
    this.order = shuffleInPlace(Array.from(this.train), this.rng);
    this.cursor = 0;
  }

  next(): DigitMiniBatch {
    if (this.cursor >= this.order.length) this.shuffle();
    const rows = this.order.slice(this.cursor, this.cursor + this.config.batchSize);
    this.cursor += rows.length;
    const shift = this.config.shift > 0 ? { max: this.config.shift, rng: this.rng } : undefined;
    return {
      rows,
      x: digitBatch(this.set, rows, this.ctor, shift),
      labels: rows.map((r) => this.set.labels[r]),
      last: this.cursor >= this.order.length,
    };
  }
}

/**
 * What the gallery shows: the first misread of each true digit, one per digit in digit order,
 * so one class that is misread often does not fill it.
 */
export function misreadGallery(
  wrong: { k: number; predicted: number }[],
  actual: number[],
): { k: number; predicted: number }[] {
  const first: ({ k: number; predicted: number } | undefined)[] = new Array(10);
  for (const w of wrong) first[actual[w.k]] ??= w;
  return first.filter((w) => w !== undefined);
}

/**
 * Trains the digit model on the pure-TS core, one mini-batch per call (so a worker can answer
 * messages between batches and the CLI can log epochs).
 */
export class DigitTrainer {
  readonly model: LstmClassifier;
  readonly batches: DigitBatches;
  private readonly optimizer: Adam;
  epoch = 0;
  private lossSum = 0;
  private lossCount = 0;
  /** The batch trained last (tests compare it across trainers). */
  lastBatch: DigitMiniBatch | null = null;

  constructor(
    readonly set: MnistSet,
    readonly train: Int32Array,
    readonly config: DigitTrainConfig,
    ctor: FloatArrayCtor = Float32Array,
  ) {
    this.model = createDigitModel(config.hiddenSize, config.seed, ctor);
    this.optimizer = new Adam(this.model.params, { lr: config.learningRate });
    this.batches = new DigitBatches(set, train, config, ctor);
  }

  /** One mini-batch; returns its loss, and the epoch's mean loss when the epoch ends. */
  stepBatch(): { loss: number; epochDone: boolean; epochLoss: number } {
    const b = this.batches.next();
    this.lastBatch = b;
    zeroGrads(this.model.params);
    const { loss } = classifierLossAndGrad(this.model, b.x, b.labels);
    this.optimizer.update();
    this.lossSum += loss * b.rows.length;
    this.lossCount += b.rows.length;
    if (!b.last) return { loss, epochDone: false, epochLoss: NaN };
    const epochLoss = this.lossSum / this.lossCount;
    this.lossSum = 0;
    this.lossCount = 0;
    this.epoch++;
    this.optimizer.lr *= this.config.lrDecay;
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

/**
 * A digit model from a PyTorch state_dict: the seed notes' `LSTMModel` (`lstm.x2h.*`,
 * `lstm.h2h.*`, `fc.*`) or an nn.LSTM / nn.LSTMCell with an `fc` head, any hidden size. It must
 * read 28 pixels a step and give 10 classes. Problems are one sentence each.
 */
export function digitModelFromStateDict(
  sd: unknown,
  ctor: FloatArrayCtor = Float32Array,
): LstmClassifier {
  const whole = wholeModelFromStateDict(sd, ctor);
  if (whole.model.kind !== 'classifier') {
    throw new Error('this is a stock model (it has fc_1); the Digit reader needs a digit model');
  }
  const { inputSize, hiddenSize, numLayers, classes } = whole.model;
  if (inputSize !== SIDE) {
    throw new Error(`the model reads ${inputSize} values a step; a digit row has ${SIDE} pixels`);
  }
  if (classes !== CLASSES) {
    throw new Error(`the model's fc gives ${classes} classes; digits need ${CLASSES}`);
  }
  // Re-home the weights under the app's own names (lstm.weight_ih_l0 …), as a trained model has.
  const model = createClassifier({ inputSize, hiddenSize, numLayers, classes, ctor });
  copyParams(whole.model.params, model.params);
  return model;
}

/** A digit model file of the app's own, or a bare PyTorch state_dict (see above). */
export function loadDigitModel(file: unknown, ctor: FloatArrayCtor = Float32Array): LstmClassifier {
  const f = file as Partial<DigitModelFile>;
  if (f && f.format === 'lstm-lab/digit-model' && typeof f.hiddenSize === 'number') {
    const model = createDigitModel(f.hiddenSize, 0, ctor);
    loadParamsFromStateDict(model.params, f.state_dict);
    return model;
  }
  const sd = f && typeof f === 'object' && 'state_dict' in f ? f.state_dict : file;
  if (!hasLstmKeys(sd)) {
    throw new Error(
      'not a digit model: expected a state_dict with lstm.x2h.weight (the seed notes’ LSTMModel) or lstm.weight_ih_l0, and fc.weight',
    );
  }
  return digitModelFromStateDict(sd, ctor);
}
