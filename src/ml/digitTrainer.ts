import {
  argMax,
  dispose,
  slice,
  tensor,
  tensor1d,
  tidy,
  type Scalar,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import {
  DigitBatches,
  PIXELS,
  SIDE,
  createDigitModel,
  decodePixel,
  type DigitMiniBatch,
  type DigitTrainConfig,
  type MnistSet,
  type StateDict,
} from '../core/index';
import { createStepper, type ModelStepper } from './train';
import { SplitBatchStepper, type GradientHelper } from './splitBatch';
import {
  classifierLogits,
  disposeModel,
  tfModelFromCore,
  tfModelToStateDict,
  type TfModel,
} from './tfLstm';

/** Test digits as [n, 28, 28] float32 values in [−0.5, 0.5] (the seed's scaling). */
function digitPixels(set: MnistSet, rows: ArrayLike<number>): Float32Array {
  const data = new Float32Array(rows.length * PIXELS);
  for (let b = 0; b < rows.length; b++) {
    for (let p = 0; p < PIXELS; p++)
      data[b * PIXELS + p] = decodePixel(set.pixels[rows[b] * PIXELS + p]) - 0.5;
  }
  return data;
}

/** The predicted class of every digit in `x` [n, 28, 28], in chunks (bounded memory). */
export async function classifyDigits(model: TfModel, x: Tensor3D): Promise<number[]> {
  const out: number[] = [];
  const chunk = 250;
  const n = x.shape[0];
  for (let s = 0; s < n; s += chunk) {
    const size = Math.min(chunk, n - s);
    const pred = tidy(() => {
      const part = slice(x, [s, 0, 0], [size, SIDE, SIDE]);
      return argMax(classifierLogits(model, part), 1);
    });
    out.push(...Array.from(await pred.data(), Number));
    pred.dispose();
  }
  return out;
}

/** classifyDigits on flat pixels (the helper worker's side). */
export async function classifyDigitPixels(
  model: TfModel,
  x: Float32Array,
  n: number,
): Promise<Int32Array> {
  const t = tensor(x, [n, SIDE, SIDE], 'float32') as Tensor3D;
  try {
    return Int32Array.from(await classifyDigits(model, t));
  } finally {
    t.dispose();
  }
}

/**
 * The Digit reader's model trained with tfjs on the active backend: the same model, init and
 * batches (the core's DigitBatches: seeded shuffle, ±shift augmentation) as the core's
 * DigitTrainer; each batch is uploaded as it is built. One mini-batch per call, so the worker can
 * answer messages in between. With a helper (a second worker on the same CPU engine), each batch
 * is split between the two (splitBatch.ts).
 */
export class TfDigitTrainer {
  readonly model: TfModel;
  readonly batches: DigitBatches;
  /**
   * Runs the batches: the fused whole-batch WebGPU step where it exists, else autodiff; or, with a
   * helper on a CPU engine, the split step (one of the two is set).
   */
  private readonly stepper: ModelStepper | null;
  /** The test digits this worker classifies: all of them, or the first half with a helper. */
  private readonly testX: Tensor3D;
  /** With a helper: the other half of the test digits, which it classifies. */
  private readonly testThere: { x: Float32Array; n: number } | null;
  epoch = 0;
  private pending: { loss: Scalar | number; size: number }[] = [];
  /** Set when a helper worker takes half of every batch. */
  private readonly split: SplitBatchStepper | null;
  /** The batch trained last (tests compare it with the core trainer's). */
  lastBatch: DigitMiniBatch | null = null;
  private lastEpochLoss = NaN;

  constructor(
    readonly set: MnistSet,
    readonly train: Int32Array,
    readonly test: Int32Array,
    readonly config: DigitTrainConfig,
    helper?: GradientHelper,
  ) {
    this.model = tfModelFromCore(createDigitModel(config.hiddenSize, config.seed, Float32Array));
    const stepper = createStepper(this.model, config.learningRate, {
      T: SIDE,
      B: config.batchSize,
    });
    // The fused WebGPU step trains in its own buffers: a helper is for the autodiff (CPU) path,
    // whose Adam state the split step keeps instead.
    const split = helper && stepper.kind === 'autodiff';
    if (split) stepper.dispose();
    this.stepper = split ? null : stepper;
    this.split = split ? new SplitBatchStepper(this.model, config.learningRate, helper) : null;
    this.batches = new DigitBatches(set, train, config, Float32Array);
    const pixels = digitPixels(set, test);
    // The held-out read after each epoch is split too (alone it took ~1.4 s for 2,000 digits).
    const here = this.split && test.length >= 2 ? Math.ceil(test.length / 2) : test.length;
    this.testX = tensor(pixels.subarray(0, here * PIXELS), [here, SIDE, SIDE]) as Tensor3D;
    this.testThere =
      here < test.length ? { x: pixels.subarray(here * PIXELS), n: test.length - here } : null;
  }

  /** One mini-batch. Losses are read once per epoch (reading is a GPU sync point). */
  async stepBatch(): Promise<{ epochDone: boolean; epochLoss: number }> {
    const b = this.batches.next();
    this.lastBatch = b;
    if (this.split) {
      const part = { x: b.x.data as Float32Array, y: Int32Array.from(b.labels), n: b.rows.length };
      this.pending.push({ loss: await this.split.step(part), size: b.rows.length });
    } else if (this.stepper) {
      const x = tensor(b.x.data, [b.x.batch, SIDE, SIDE], 'float32') as Tensor3D;
      const y = tensor1d(b.labels, 'int32');
      this.pending.push({ loss: this.stepper.step(x, y), size: b.rows.length });
      dispose([x, y]);
    }
    if (!b.last) return { epochDone: false, epochLoss: NaN };
    let sum = 0;
    let n = 0;
    for (const { loss, size } of this.pending) {
      sum += (typeof loss === 'number' ? loss : (await loss.data())[0]) * size;
      n += size;
      if (typeof loss !== 'number') loss.dispose();
    }
    this.pending = [];
    this.lastEpochLoss = sum / n;
    this.epoch++;
    const optimizing = this.split ?? this.stepper;
    if (optimizing) optimizing.lr *= this.config.lrDecay;
    return { epochDone: true, epochLoss: sum / n };
  }

  /** The loss of the last batch, read back now (Auto's probe: one read per round). */
  async lastBatchLoss(): Promise<number> {
    const last = this.pending[this.pending.length - 1];
    if (!last) return this.lastEpochLoss;
    return typeof last.loss === 'number' ? last.loss : (await last.loss.data())[0];
  }

  /** Predicted class of every test digit (with a helper, each worker classifies half). */
  async predictTest(): Promise<number[]> {
    this.stepper?.sync();
    const there =
      this.split && this.testThere
        ? this.split.classifyThere(this.testThere.x, this.testThere.n)
        : null;
    const out = await classifyDigits(this.model, this.testX);
    if (there) out.push(...Array.from(await there));
    return out;
  }

  stateDict(): Promise<StateDict> {
    this.stepper?.sync();
    return tfModelToStateDict(this.model);
  }

  dispose(): void {
    for (const p of this.pending) if (typeof p.loss !== 'number') p.loss.dispose();
    this.testX.dispose();
    this.stepper?.dispose();
    this.split?.dispose();
    disposeModel(this.model);
  }
}
