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
import { createRng, type Rng } from '../random';
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

  /** One pass over the training windows (full batch, or shuffled mini-batches). */
  stepEpoch(): EpochResult {
    const train = this.dataset.train;
    const n = train.count;
    const bs = this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
    let lossSum = 0;
    if (bs >= n) {
      zeroGrads(this.model.params);
      lossSum = regressorLossAndGrad(this.model, this.trainBatch, train.y).loss * n;
      this.optimizer.update();
    } else {
      const order = Int32Array.from({ length: n }, (_, k) => k);
      for (let k = n - 1; k > 0; k--) {
        const j = this.rng.int(k + 1);
        [order[k], order[j]] = [order[j], order[k]];
      }
      for (let start = 0; start < n; start += bs) {
        const idx = order.subarray(start, Math.min(n, start + bs));
        const batch = asBatch(train, this.ctor, idx);
        const y = Float64Array.from(idx, (k) => train.y[k]);
        zeroGrads(this.model.params);
        lossSum += regressorLossAndGrad(this.model, batch, y).loss * idx.length;
        this.optimizer.update();
      }
    }
    this.epochCount++;
    const testPred = regressorPredict(this.model, this.testBatch);
    return {
      epoch: this.epochCount,
      trainLoss: lossSum / n,
      testLoss: mse(testPred, this.dataset.test.y),
    };
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
