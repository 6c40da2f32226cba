import {
  dispose,
  gather,
  tensor,
  tensor1d,
  tidy,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import {
  createRegressor,
  createRng,
  evaluateStock,
  mse,
  unscaleTarget,
  loadParamsFromStateDict,
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

  async stepEpoch(): Promise<EpochResult> {
    const train = this.dataset.train;
    const n = train.count;
    const bs = this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
    let lossSum = 0;
    if (bs >= n) {
      const loss = trainStep(this.model, this.optimizer, this.trainX, this.trainY);
      lossSum = (await loss.data())[0] * n;
      loss.dispose();
    } else {
      const order = Int32Array.from({ length: n }, (_, k) => k);
      for (let k = n - 1; k > 0; k--) {
        const j = this.rng.int(k + 1);
        [order[k], order[j]] = [order[j], order[k]];
      }
      const losses = [];
      for (let start = 0; start < n; start += bs) {
        // Gather on the device from the tensors uploaded once; only the indices travel.
        const idx = tensor1d(order.subarray(start, Math.min(n, start + bs)), 'int32');
        const x = gather(this.trainX, idx);
        const y = gather(this.trainY, idx);
        losses.push({ loss: trainStep(this.model, this.optimizer, x, y), size: idx.size });
        dispose([idx, x, y]);
      }
      // Read all batch losses at the end: one sync point per epoch, not per batch.
      for (const { loss, size } of losses) {
        lossSum += (await loss.data())[0] * size;
        loss.dispose();
      }
    }
    this.epochCount++;
    const testPred = await this.predictScaled(this.testX);
    return {
      epoch: this.epochCount,
      trainLoss: lossSum / n,
      testLoss: mse(testPred, this.dataset.test.y),
    };
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
    this.trainX.dispose();
    this.trainY.dispose();
    this.testX.dispose();
    this.optimizer.dispose();
    disposeModel(this.model);
  }
}
