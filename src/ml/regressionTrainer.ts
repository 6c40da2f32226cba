import {
  dispose,
  slice,
  stack,
  tensor,
  tensor1d,
  tidy,
  type Scalar,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import {
  WINDOW_CHUNK,
  asBatch,
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
import { createStepper, type ModelStepper } from './train';
import type { GateSteps } from './webgpu/gateSteps';
import {
  disposeModel,
  regressorOutput,
  tfModelFromCore,
  tfModelToStateDict,
  type TfModel,
} from './tfLstm';

/** Windows [from, to) of a set as a float32 [n, seqLen, features] tensor. */
const windowsTensor = (w: Windows, from = 0, to = w.count): Tensor3D =>
  tensor(
    asBatch(w, Float32Array, { from, to }).data,
    [to - from, w.seqLen, w.features],
    'float32',
  ) as Tensor3D;

/** Sets up to this many input values live on the device; larger ones are uploaded per batch. */
export const DEVICE_RESIDENT = { values: 4_000_000 };

const fitsOnDevice = (w: Windows) => w.count * w.seqLen * w.features <= DEVICE_RESIDENT.values;

/**
 * The Stock lab's model trained with tfjs on whatever backend is active: same model, init,
 * shuffling and metrics as the core's RegressionTrainer, one mini-batch (or, for a large test
 * set, one evaluation chunk) per call. A small training set is uploaded once and batches are
 * gathered on the device; a large one (a million minute bars) is gathered per batch on the CPU
 * from the dataset's rows, so memory stays bounded by the batch.
 */
export class TfRegressionTrainer {
  readonly model: TfModel;
  /** Runs the batches: the fused whole-batch WebGPU step where it exists, else autodiff. */
  readonly stepper: ModelStepper;
  private readonly rng;
  private epochCount = 0;
  private order = new Int32Array(0);
  private cursor = 0;
  private pending: { loss: Scalar | number; size: number }[] = [];
  private readonly trainX: Tensor3D | null;
  private readonly trainY: Tensor1D | null;
  private readonly testX: Tensor3D | null;
  private evalCursor = -1;
  private testPred = new Float32Array(0);
  private trainLoss = NaN;
  private lastLoss = NaN;

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
    this.stepper = createStepper(this.model, config.learningRate, {
      T: dataset.train.seqLen,
      B: this.batchSize(),
    });
    this.rng = createRng(config.seed + 1);
    const resident = fitsOnDevice(dataset.train);
    this.trainX = resident ? windowsTensor(dataset.train) : null;
    this.trainY = resident
      ? (tensor(Float32Array.from(dataset.train.y), [dataset.train.count], 'float32') as Tensor1D)
      : null;
    this.testX = fitsOnDevice(dataset.test) ? windowsTensor(dataset.test) : null;
  }

  get epoch(): number {
    return this.epochCount;
  }

  get batchesPerEpoch(): number {
    const n = this.dataset.train.count;
    return Math.ceil(n / this.batchSize());
  }

  /** Batches of the current epoch already trained (0 at an epoch's start). */
  get batchInEpoch(): number {
    return this.evalCursor >= 0 ? this.batchesPerEpoch : Math.ceil(this.cursor / this.batchSize());
  }

  private batchSize(): number {
    const n = this.dataset.train.count;
    return this.config.batchSize > 0 ? Math.min(this.config.batchSize, n) : n;
  }

  /**
   * One training batch through the stepper. A resident set is indexed on the device (the fused
   * step reads the rows itself; autodiff gathers them); a large one is uploaded per batch.
   */
  private trainBatch(idx: Int32Array, whole: boolean): Scalar {
    const train = this.dataset.train;
    if (this.trainX && this.trainY) {
      if (whole) return this.stepper.step(this.trainX, this.trainY);
      const i = tensor1d(idx, 'int32');
      const loss = this.stepper.step(this.trainX, this.trainY, i);
      i.dispose();
      return loss;
    }
    const b = asBatch(train, Float32Array, idx);
    const x = tensor(b.data, [idx.length, train.seqLen, train.features], 'float32') as Tensor3D;
    const y = tensor(
      Float32Array.from(idx, (k) => train.y[k]),
      [idx.length],
      'float32',
    ) as Tensor1D;
    const loss = this.stepper.step(x, y);
    dispose([x, y]);
    return loss;
  }

  /**
   * One mini-batch. With `readLoss` the batch's loss is read back now (a sync point);
   * otherwise losses are read once, at the end of the epoch.
   */
  async stepBatch(readLoss = true): Promise<BatchResult> {
    if (this.evalCursor >= 0) return this.evalStep();
    const n = this.dataset.train.count;
    const bs = this.batchSize();
    if (this.cursor === 0) {
      this.order = Int32Array.from({ length: n }, (_, k) => k);
      if (bs < n) shuffleInPlace(this.order, this.rng);
    }
    const end = Math.min(n, this.cursor + bs);
    const lossTensor = this.trainBatch(this.order.subarray(this.cursor, end), bs >= n);
    const size = end - this.cursor;
    let loss = NaN;
    if (readLoss) {
      loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      this.pending.push({ loss, size });
    } else {
      this.pending.push({ loss: lossTensor, size });
    }
    this.lastLoss = loss;
    this.cursor = end;
    const batch = Math.ceil(end / bs);
    if (this.cursor < n) return { batch, batches: this.batchesPerEpoch, loss, epoch: null };
    // The epoch's unread batch losses in one read (one GPU round trip, not one per batch).
    const unread = this.pending.flatMap((p) => (typeof p.loss === 'number' ? [] : [p.loss]));
    const values = unread.length ? await readAll(unread) : [];
    let lossSum = 0;
    let next = 0;
    for (const p of this.pending) {
      const value = typeof p.loss === 'number' ? p.loss : values[next++];
      lossSum += value * p.size;
      this.lastLoss = value;
    }
    this.pending = [];
    this.cursor = 0;
    this.trainLoss = lossSum / n;
    this.evalCursor = 0;
    this.testPred = new Float32Array(this.dataset.test.count);
    if (this.testX || this.dataset.test.count <= WINDOW_CHUNK) return this.evalStep();
    return { batch, batches: this.batchesPerEpoch, loss, epoch: null, evaluating: true };
  }

  /** The loss of the last training batch, read back now (Auto's probe: one read per round). */
  async lastBatchLoss(): Promise<number> {
    const last = this.pending[this.pending.length - 1];
    if (!last) return this.lastLoss;
    return typeof last.loss === 'number' ? last.loss : (await last.loss.data())[0];
  }

  private async evalStep(): Promise<BatchResult> {
    const test = this.dataset.test;
    const from = this.evalCursor;
    const to = this.testX ? test.count : Math.min(test.count, from + WINDOW_CHUNK);
    this.testPred.set(await this.predictScaled(test, from, to, this.testX), from);
    this.evalCursor = to;
    const base = {
      batch: this.batchesPerEpoch,
      batches: this.batchesPerEpoch,
      loss: this.lastLoss,
    };
    if (to < test.count) return { ...base, epoch: null, evaluating: true };
    this.evalCursor = -1;
    this.epochCount++;
    return {
      ...base,
      epoch: {
        epoch: this.epochCount,
        trainLoss: this.trainLoss,
        testLoss: mse(this.testPred, test.y),
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

  /** Scaled predictions of windows [from, to) of a set (from a resident tensor when given). */
  private async predictScaled(
    w: Windows,
    from: number,
    to: number,
    resident: Tensor3D | null = null,
  ): Promise<Float32Array> {
    this.stepper.sync();
    const out = new Float32Array(to - from);
    for (let a = from; a < to; a += WINDOW_CHUNK) {
      const b = Math.min(to, a + WINDOW_CHUNK);
      const pred = tidy(() => {
        const x =
          resident && a === 0 && b === w.count
            ? resident
            : resident
              ? slice(resident, [a, 0, 0], [b - a, w.seqLen, w.features])
              : windowsTensor(w, a, b);
        return regressorOutput(this.model, x);
      });
      out.set((await pred.data()) as Float32Array, a - from);
      pred.dispose();
    }
    return out;
  }

  /**
   * On the fused WebGPU step: window k of the whole series through the GPU's own forward, the
   * gates of every step and layer (null elsewhere: there the core computes them from the weights).
   */
  async gates(k: number): Promise<GateSteps | null> {
    if (!this.stepper.gates) return null;
    const all = this.dataset.all;
    const x = windowsTensor(all, k, k + 1);
    try {
      return await this.stepper.gates(x);
    } finally {
      x.dispose();
    }
  }

  /** Predictions in the target's own units for the windows [from, to) of the whole series. */
  async predictRange(from: number, to: number): Promise<Float64Array> {
    return unscaleTarget(
      this.dataset,
      await this.predictScaled(this.dataset.all, from, to),
      this.dataset.all,
      from,
    );
  }

  async predictAll(): Promise<Float64Array> {
    return this.predictRange(0, this.dataset.all.count);
  }

  async evaluate(): Promise<StockEvaluation> {
    const test = this.dataset.test;
    return evaluateStock(
      this.dataset,
      this.config.horizon,
      await this.predictScaled(test, 0, test.count, this.testX),
    );
  }

  stateDict(): Promise<StateDict> {
    this.stepper.sync();
    return tfModelToStateDict(this.model);
  }

  dispose(): void {
    for (const p of this.pending) if (typeof p.loss !== 'number') p.loss.dispose();
    dispose([this.trainX, this.trainY, this.testX].filter((t) => t !== null));
    this.stepper.dispose();
    disposeModel(this.model);
  }
}

/** Scalars read back in one round trip (and disposed). */
async function readAll(scalars: Scalar[]): Promise<number[]> {
  const all = stack(scalars);
  const values = Array.from(await all.data());
  dispose([all, ...scalars]);
  return values;
}
