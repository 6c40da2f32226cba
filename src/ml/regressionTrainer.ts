import {
  dispose,
  gather,
  tensor,
  tensor1d,
  tidy,
  type Scalar,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import {
  createRegressor,
  createRng,
  shuffleInPlace,
  evaluateStock,
  mse,
  unscaleTarget,
  loadParamsFromStateDict,
  type BatchResult,
  type Checkpoint,
  type EpochResult,
  type StateDict,
  type StockConfig,
  type StockDataset,
  type StockEvaluation,
  type Windows,
} from '../core/index';
import { PyTorchAdam } from './adam';
import { trainStep } from './train';
import {
  disposeModel,
  regressorOutput,
  tfModelFromCore,
  tfModelToStateDict,
  type TfModel,
} from './tfLstm';

// tfjs takes Float32Array, not Float64Array, as tensor data.
const windowsTensor = (w: Windows): Tensor3D =>
  tensor(Float32Array.from(w.x), [w.count, w.seqLen, w.features], 'float32') as Tensor3D;

/**
 * The Stock lab's model trained with tfjs on whatever backend is active: same model, init,
 * shuffling and metrics as the core's RegressionTrainer, one epoch per call.
 */
export class TfRegressionTrainer {
  readonly model: TfModel;
  private readonly optimizer: PyTorchAdam;
  private readonly rng;
  private epochCount = 0;
  private order = new Int32Array(0);
  private cursor = 0;
  private pending: { loss: Scalar | number; size: number }[] = [];
  private readonly trainX: Tensor3D;
  private readonly trainY: Tensor1D;
  private readonly testX: Tensor3D;

  constructor(
    readonly dataset: StockDataset,
    readonly config: StockConfig,
    resumeFrom?: Checkpoint,
  ) {
    const core = createRegressor({
      inputSize: dataset.features.length,
      hiddenSize: config.hiddenSize,
      numLayers: config.numLayers,
      headSize: config.headSize,
      seed: config.seed,
      ctor: Float32Array,
    });
    if (resumeFrom) {
      loadParamsFromStateDict(core.params, resumeFrom.stateDict);
      this.epochCount = resumeFrom.epoch;
    }
    this.model = tfModelFromCore(core);
    this.optimizer = new PyTorchAdam(this.model.variables, config.learningRate);
    this.rng = createRng(config.seed + 1);
    this.trainX = windowsTensor(dataset.train);
    this.trainY = tensor(
      Float32Array.from(dataset.train.y),
      [dataset.train.count],
      'float32',
    ) as Tensor1D;
    this.testX = windowsTensor(dataset.test);
  }

  get epoch(): number {
    return this.epochCount;
  }

  get batchesPerEpoch(): number {
    const n = this.dataset.train.count;
    return Math.ceil(n / this.batchSize());
  }

  private batchSize(): number {
    const n = this.dataset.train.count;
    return this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
  }

  /**
   * One mini-batch, gathered on the device from tensors uploaded once. With `readLoss` the
   * batch's loss is read back now (a sync point); otherwise losses are read once, at the end
   * of the epoch.
   */
  async stepBatch(readLoss = true): Promise<BatchResult> {
    const n = this.dataset.train.count;
    const bs = this.batchSize();
    if (this.cursor === 0) {
      this.order = Int32Array.from({ length: n }, (_, k) => k);
      if (bs < n) shuffleInPlace(this.order, this.rng);
    }
    const end = Math.min(n, this.cursor + bs);
    let lossTensor;
    if (bs >= n) {
      lossTensor = trainStep(this.model, this.optimizer, this.trainX, this.trainY);
    } else {
      const idx = tensor1d(this.order.subarray(this.cursor, end), 'int32');
      const x = gather(this.trainX, idx);
      const y = gather(this.trainY, idx);
      lossTensor = trainStep(this.model, this.optimizer, x, y);
      dispose([idx, x, y]);
    }
    const size = end - this.cursor;
    let loss = NaN;
    if (readLoss) {
      loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      this.pending.push({ loss, size });
    } else {
      this.pending.push({ loss: lossTensor, size });
    }
    this.cursor = end;
    const batch = Math.ceil(end / bs);
    if (this.cursor < n) return { batch, batches: this.batchesPerEpoch, loss, epoch: null };
    let lossSum = 0;
    for (const p of this.pending) {
      if (typeof p.loss === 'number') lossSum += p.loss * p.size;
      else {
        lossSum += (await p.loss.data())[0] * p.size;
        p.loss.dispose();
      }
    }
    this.pending = [];
    this.cursor = 0;
    this.epochCount++;
    const testPred = await this.predictScaled(this.testX);
    return {
      batch,
      batches: this.batchesPerEpoch,
      loss,
      epoch: {
        epoch: this.epochCount,
        trainLoss: lossSum / n,
        testLoss: mse(testPred, this.dataset.test.y),
      },
    };
  }

  /** The rest of the current epoch, reading the losses once at its end. */
  async stepEpoch(): Promise<EpochResult> {
    for (;;) {
      const r = await this.stepBatch(false);
      if (r.epoch) return r.epoch;
    }
  }

  private async predictScaled(x: Tensor3D): Promise<Float32Array> {
    const out = tidy(() => regressorOutput(this.model, x));
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  }

  async predictAll(): Promise<Float64Array> {
    const x = windowsTensor(this.dataset.all);
    const pred = await this.predictScaled(x);
    x.dispose();
    return unscaleTarget(this.dataset, pred);
  }

  async evaluate(): Promise<StockEvaluation> {
    return evaluateStock(this.dataset, this.config.horizon, await this.predictScaled(this.testX));
  }

  stateDict(): Promise<StateDict> {
    return tfModelToStateDict(this.model);
  }

  dispose(): void {
    for (const p of this.pending) if (typeof p.loss !== 'number') p.loss.dispose();
    this.trainX.dispose();
    this.trainY.dispose();
    this.testX.dispose();
    this.optimizer.dispose();
    disposeModel(this.model);
  }
}
