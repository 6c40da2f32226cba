import { Adam } from '../lstm/adam';
import type { SequenceBatch } from '../lstm/lstm';
import {
  createRegressor,
  regressorLossAndGrad,
  regressorPredict,
  type LstmRegressor,
} from '../lstm/models';
import { zeroGrads } from '../lstm/params';
import { loadParamsFromStateDict, paramsToStateDict, type StateDict } from '../lstm/stateDict';
import type { FloatArrayCtor } from '../lstm/tensor';
import { mse } from '../metrics/regression';
import { createRng, shuffleInPlace, type Rng } from '../random';
import { gatherWindows, type Windows } from '../data/windows';
import type { StockConfig } from './stockConfig';
import { evaluateStock, unscaleTarget, type StockDataset, type StockEvaluation } from './stockData';

/** Weights saved at the end of an epoch, to resume from after a failure. */
export interface Checkpoint {
  epoch: number;
  stateDict: StateDict;
}

export interface EpochResult {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

/** One mini-batch's outcome; `epoch` is set when the batch completed an epoch. */
export interface BatchResult {
  /** 1-based index of the batch within its epoch. */
  batch: number;
  batches: number;
  loss: number;
  epoch: EpochResult | null;
  /** The epoch's batches are done and its test set is being judged, a chunk at a time. */
  evaluating?: boolean;
}

/**
 * Windows (all, some by index, or a range) as a SequenceBatch in the engine's float type,
 * gathered from the dataset's rows (windows are views; see data/windows).
 */
export function asBatch(
  w: Windows,
  ctor: FloatArrayCtor,
  rows?: ArrayLike<number> | { from: number; to: number },
): SequenceBatch {
  const which = rows ?? { from: 0, to: w.count };
  const n = 'from' in which ? which.to - which.from : which.length;
  const data = gatherWindows(w, which, new ctor(n * w.seqLen * w.features));
  return { data, batch: n, time: w.seqLen, features: w.features };
}

/**
 * Windows per chunk when a large set is evaluated or predicted, or a large full batch is
 * accumulated: memory stays bounded by the chunk, not the file.
 */
export const WINDOW_CHUNK = 4096;

/**
 * Trains the seed's regressor on a StockDataset with the pure-TS core, one mini-batch per call,
 * so the CLI can loop and the worker can answer messages between batches. An epoch is its
 * training batches, then (for a large test set) evaluation chunks; the epoch's result comes
 * back with the call that finishes it.
 */
export class RegressionTrainer {
  readonly model: LstmRegressor;
  private readonly optimizer: Adam;
  private readonly rng: Rng;
  private epochCount = 0;
  private order = new Int32Array(0);
  private cursor = 0;
  private lossSum = 0;
  /** The whole training set as one batch, kept when it is small (the seed's full batch). */
  private readonly trainBatch: SequenceBatch | null;
  private evalCursor = -1;
  private testPred: Float64Array = new Float64Array(0);
  private lastBatchLoss = NaN;

  constructor(
    readonly dataset: StockDataset,
    readonly config: StockConfig,
    private readonly ctor: FloatArrayCtor = Float64Array,
    resumeFrom?: Checkpoint,
  ) {
    this.model = createRegressor({
      inputSize: dataset.features.length,
      hiddenSize: config.hiddenSize,
      numLayers: config.numLayers,
      headSize: config.headSize,
      seed: config.seed,
      ctor,
    });
    if (resumeFrom) {
      // Weights only: Adam's moments start afresh, as after loading a PyTorch state_dict.
      loadParamsFromStateDict(this.model.params, resumeFrom.stateDict);
      this.epochCount = resumeFrom.epoch;
    }
    this.optimizer = new Adam(this.model.params, { lr: config.learningRate });
    this.rng = createRng(config.seed + 1);
    const n = dataset.train.count;
    this.trainBatch = n <= WINDOW_CHUNK ? asBatch(dataset.train, ctor) : null;
  }

  get epoch(): number {
    return this.epochCount;
  }

  /** Mini-batches per epoch (1 for full batch). */
  get batchesPerEpoch(): number {
    return Math.ceil(this.dataset.train.count / this.batchSize());
  }

  /** Batches of the current epoch already trained (0 at an epoch's start). */
  get batchInEpoch(): number {
    return this.evalCursor >= 0 ? this.batchesPerEpoch : Math.ceil(this.cursor / this.batchSize());
  }

  private batchSize(): number {
    const n = this.dataset.train.count;
    return this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
  }

  /** Forward, MSE and gradients of some training windows (chunked when they are many). */
  private lossAndGrad(idx: Int32Array, whole: boolean): number {
    const train = this.dataset.train;
    if (whole && this.trainBatch) {
      return regressorLossAndGrad(this.model, this.trainBatch, train.y).loss;
    }
    let sum = 0;
    for (let from = 0; from < idx.length; from += WINDOW_CHUNK) {
      const part = idx.subarray(from, Math.min(idx.length, from + WINDOW_CHUNK));
      const batch = asBatch(train, this.ctor, part);
      const y = Float64Array.from(part, (k) => train.y[k]);
      sum += regressorLossAndGrad(this.model, batch, y, idx.length).loss * part.length;
    }
    return sum / idx.length;
  }

  /**
   * One step: a mini-batch (the whole set when the batch size is 0; windows are shuffled at the
   * start of each epoch), or, once an epoch's batches are done and the test set is large, one
   * chunk of its evaluation.
   */
  stepBatch(): BatchResult {
    if (this.evalCursor >= 0) return this.evalStep();
    const train = this.dataset.train;
    const n = train.count;
    const bs = this.batchSize();
    if (this.cursor === 0) {
      this.order = Int32Array.from({ length: n }, (_, k) => k);
      if (bs < n) shuffleInPlace(this.order, this.rng);
      this.lossSum = 0;
    }
    const idx = this.order.subarray(this.cursor, Math.min(n, this.cursor + bs));
    zeroGrads(this.model.params);
    const loss = this.lossAndGrad(idx, bs >= n);
    this.optimizer.update();
    this.lastBatchLoss = loss;
    this.lossSum += loss * idx.length;
    this.cursor += idx.length;
    const index = Math.ceil(this.cursor / bs);
    if (this.cursor < n) return { batch: index, batches: this.batchesPerEpoch, loss, epoch: null };
    this.cursor = 0;
    this.evalCursor = 0;
    this.testPred = new Float64Array(this.dataset.test.count);
    // A small test set is judged at once; a large one a chunk per call.
    if (this.dataset.test.count <= WINDOW_CHUNK) return this.evalStep();
    return { batch: index, batches: this.batchesPerEpoch, loss, epoch: null, evaluating: true };
  }

  private evalStep(): BatchResult {
    const test = this.dataset.test;
    const from = this.evalCursor;
    const to = Math.min(test.count, from + WINDOW_CHUNK);
    this.testPred.set(regressorPredict(this.model, asBatch(test, this.ctor, { from, to })), from);
    this.evalCursor = to;
    const base = {
      batch: this.batchesPerEpoch,
      batches: this.batchesPerEpoch,
      loss: this.lastBatchLoss,
    };
    if (to < test.count) return { ...base, epoch: null, evaluating: true };
    this.evalCursor = -1;
    this.epochCount++;
    return {
      ...base,
      epoch: {
        epoch: this.epochCount,
        trainLoss: this.lossSum / this.dataset.train.count,
        testLoss: mse(this.testPred, test.y),
      },
    };
  }

  /** The rest of the current epoch (a whole pass from the start of one). */
  stepEpoch(): EpochResult {
    for (;;) {
      const r = this.stepBatch();
      if (r.epoch) return r.epoch;
    }
  }

  /** Scaled predictions of the windows [from, to) of a set. */
  private predictScaled(w: Windows, from: number, to: number): Float64Array {
    const out = new Float64Array(to - from);
    for (let a = from; a < to; a += WINDOW_CHUNK) {
      const b = Math.min(to, a + WINDOW_CHUNK);
      out.set(regressorPredict(this.model, asBatch(w, this.ctor, { from: a, to: b })), a - from);
    }
    return out;
  }

  /** Predictions in the target's own units for the windows [from, to) of the whole series. */
  predictRange(from: number, to: number): Float64Array {
    return unscaleTarget(
      this.dataset,
      this.predictScaled(this.dataset.all, from, to),
      this.dataset.all,
      from,
    );
  }

  /** Predictions in the target's own units for every window (time order). */
  predictAll(): Float64Array {
    return this.predictRange(0, this.dataset.all.count);
  }

  /** Test metrics in price units for the model and for the naive baseline. */
  evaluate(): StockEvaluation {
    const test = this.dataset.test;
    return evaluateStock(
      this.dataset,
      this.config.horizon,
      this.predictScaled(test, 0, test.count),
    );
  }

  stateDict(): StateDict {
    return paramsToStateDict(this.model.params);
  }
}
