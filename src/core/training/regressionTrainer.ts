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
import type { Windows } from '../data/windows';
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
}

/** Windows (or some of them) as a SequenceBatch in the engine's float type. */
export function asBatch(w: Windows, ctor: FloatArrayCtor, rows?: ArrayLike<number>): SequenceBatch {
  const per = w.seqLen * w.features;
  if (!rows) {
    return {
      data: ctor === Float64Array ? w.x : ctor.from(w.x),
      batch: w.count,
      time: w.seqLen,
      features: w.features,
    };
  }
  const data = new ctor(rows.length * per);
  for (let j = 0; j < rows.length; j++)
    data.set(w.x.subarray(rows[j] * per, (rows[j] + 1) * per), j * per);
  return { data, batch: rows.length, time: w.seqLen, features: w.features };
}

/**
 * Trains the seed's regressor on a StockDataset with the pure-TS core, one epoch per call,
 * so the CLI can loop and the worker can interleave messages between epochs.
 */
export class RegressionTrainer {
  readonly model: LstmRegressor;
  private readonly optimizer: Adam;
  private readonly rng: Rng;
  private epochCount = 0;
  private order = new Int32Array(0);
  private cursor = 0;
  private lossSum = 0;
  private readonly trainBatch: SequenceBatch;
  private readonly testBatch: SequenceBatch;

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
    this.trainBatch = asBatch(dataset.train, ctor);
    this.testBatch = asBatch(dataset.test, ctor);
  }

  get epoch(): number {
    return this.epochCount;
  }

  /** Mini-batches per epoch (1 for full batch). */
  get batchesPerEpoch(): number {
    const n = this.dataset.train.count;
    const bs = this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
    return Math.ceil(n / bs);
  }

  private batchSize(): number {
    const n = this.dataset.train.count;
    return this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
  }

  /**
   * One mini-batch (the whole set when the batch size is 0). The windows are shuffled at the
   * start of each epoch; the epoch's result comes back with its last batch.
   */
  stepBatch(): BatchResult {
    const train = this.dataset.train;
    const n = train.count;
    const bs = this.batchSize();
    if (this.cursor === 0) {
      this.order = Int32Array.from({ length: n }, (_, k) => k);
      if (bs < n) shuffleInPlace(this.order, this.rng);
      this.lossSum = 0;
    }
    const idx = this.order.subarray(this.cursor, Math.min(n, this.cursor + bs));
    const batch = bs >= n ? this.trainBatch : asBatch(train, this.ctor, idx);
    const y = bs >= n ? train.y : Float64Array.from(idx, (k) => train.y[k]);
    zeroGrads(this.model.params);
    const loss = regressorLossAndGrad(this.model, batch, y).loss;
    this.optimizer.update();
    this.lossSum += loss * idx.length;
    this.cursor += idx.length;
    const index = Math.ceil(this.cursor / bs);
    if (this.cursor < n) return { batch: index, batches: this.batchesPerEpoch, loss, epoch: null };
    this.cursor = 0;
    this.epochCount++;
    const testPred = regressorPredict(this.model, this.testBatch);
    return {
      batch: index,
      batches: this.batchesPerEpoch,
      loss,
      epoch: {
        epoch: this.epochCount,
        trainLoss: this.lossSum / n,
        testLoss: mse(testPred, this.dataset.test.y),
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

  /** Predictions in the target's own units for every window (time order). */
  predictAll(): Float64Array {
    return unscaleTarget(
      this.dataset,
      regressorPredict(this.model, asBatch(this.dataset.all, this.ctor)),
    );
  }

  /** Test metrics in price units for the model and for the naive baseline. */
  evaluate(): StockEvaluation {
    return evaluateStock(
      this.dataset,
      this.config.horizon,
      regressorPredict(this.model, this.testBatch),
    );
  }

  stateDict(): StateDict {
    return paramsToStateDict(this.model.params);
  }
}
