import { Adam } from '../lstm/adam';
import {
  createDense,
  denseBackward,
  denseForward,
  initDenseUniform,
  type Dense,
} from '../lstm/dense';
import { createParam, zeroGrads, type Param } from '../lstm/params';
import type { SequenceBatch } from '../lstm/lstm';
import { createRng, type Rng } from '../random';
import { variantBackward, variantForward, type CellVariant, type VariantWeights } from './variants';

/**
 * The knockout race's continual task: a bit at every step (1 with p = 0.5) and, now and then, a
 * reset marker (p = 0.05); the answer, read at the last step, is the count of 1s since the last
 * reset, divided by 10. Memory must be cleared again at each reset: a cell with no forget gate
 * has no direct way to do that.
 */
export interface CountTask {
  pBit: number;
  pReset: number;
}
export const COUNT_TASK: CountTask = { pBit: 0.5, pReset: 0.05 };

export function makeCountBatch(
  T: number,
  B: number,
  rng: Rng,
  task: CountTask = COUNT_TASK,
): { x: SequenceBatch; y: Float64Array } {
  const data = new Float64Array(B * T * 2);
  const y = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let count = 0;
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * 2;
      if (t > 0 && rng.next() < task.pReset) {
        data[o + 1] = 1;
        count = 0;
      }
      if (rng.next() < task.pBit) {
        data[o] = 1;
        count++;
      }
    }
    y[b] = count / 10;
  }
  return { x: { data, batch: B, time: T, features: 2 }, y };
}

/** What "learned nothing" scores: the MSE of always answering the mean, on a large sample. */
export function countChanceLoss(T: number, task: CountTask = COUNT_TASK): number {
  const { y } = makeCountBatch(T, 20_000, createRng(12345), task);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  return y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
}

export interface KnockoutOptions {
  variant: CellVariant;
  hiddenSize: number;
  learningRate: number;
  seed: number;
}

/**
 * One contestant of the knockout race: an LSTM variant (or the GRU), a linear head on the last
 * h, MSE, Adam. The cell's weights are Params in PyTorch's layout, so Adam treats every variant
 * alike; a knocked-out gate's rows stay and get a zero gradient.
 */
export class KnockoutLearner {
  readonly params: Param[];
  private readonly weights: VariantWeights;
  private readonly cell: Param[];
  private readonly head: Dense;
  private readonly optimizer: Adam;
  steps = 0;

  constructor(
    readonly options: KnockoutOptions,
    inputs = 2,
  ) {
    const { variant, hiddenSize: H, seed } = options;
    const rng = createRng(seed);
    const G = (variant === 'gru' ? 3 : 4) * H;
    const k = 1 / Math.sqrt(H);
    const init = (p: Param) => {
      for (let j = 0; j < p.value.length; j++) p.value[j] = rng.uniform(-k, k);
      return p;
    };
    this.cell = [
      init(createParam('weight_ih_l0', [G, inputs], Float64Array)),
      init(createParam('weight_hh_l0', [G, H], Float64Array)),
      init(createParam('bias_ih_l0', [G], Float64Array)),
      init(createParam('bias_hh_l0', [G], Float64Array)),
    ];
    if (variant !== 'gru' && variant !== 'nfg' && variant !== 'cifg') {
      // The forget gate starts open (bias 1), as in the Why-LSTM race.
      for (let u = 0; u < H; u++) {
        this.cell[2].value[H + u] = 1;
        this.cell[3].value[H + u] = 0;
      }
    }
    const [wIh, wHh, bIh, bHh] = this.cell.map((p) => p.value as Float64Array);
    this.weights = { inputSize: inputs, hiddenSize: H, wIh, wHh, bIh, bHh };
    this.head = createDense('fc', H, 1, Float64Array);
    initDenseUniform(this.head, rng);
    this.params = [...this.cell, this.head.weight, this.head.bias];
    this.optimizer = new Adam(this.params, { lr: options.learningRate });
  }

  private lastH(x: SequenceBatch) {
    const fwd = variantForward(
      this.options.variant,
      this.weights,
      x.data as Float64Array,
      x.batch,
      x.time,
    );
    const n = x.batch * this.options.hiddenSize;
    return { fwd, hLast: fwd.gates.h.slice((x.time - 1) * n, x.time * n) };
  }

  private mse(out: ArrayLike<number>, y: Float64Array) {
    let loss = 0;
    const dOut = new Float64Array(y.length);
    for (let b = 0; b < y.length; b++) {
      const e = out[b] - y[b];
      loss += e * e;
      dOut[b] = (2 * e) / y.length;
    }
    return { loss: loss / y.length, dOut };
  }

  /** One Adam step on a batch; returns its loss (MSE). */
  trainStep(batch: { x: SequenceBatch; y: Float64Array }): number {
    const { x, y } = batch;
    const B = x.batch;
    const H = this.options.hiddenSize;
    zeroGrads(this.params);
    const { fwd, hLast } = this.lastH(x);
    const out = denseForward(this.head, hLast, B);
    const { loss, dOut } = this.mse(out, y);
    const dLast = denseBackward(this.head, hLast, dOut, B);
    // dL/dh at every step, batch-first: only the last step's feeds the head.
    const dH = new Float64Array(B * x.time * H);
    for (let b = 0; b < B; b++)
      for (let u = 0; u < H; u++) dH[(b * x.time + x.time - 1) * H + u] = dLast[b * H + u];
    const g = variantBackward(this.weights, fwd, dH);
    [g.wIh, g.wHh, g.bIh, g.bHh].forEach((d, k) => this.cell[k].grad.set(d));
    this.optimizer.update();
    this.steps++;
    return loss;
  }

  /** MSE on a batch without learning from it. */
  evaluate(batch: { x: SequenceBatch; y: Float64Array }): number {
    const { hLast } = this.lastH(batch.x);
    return this.mse(denseForward(this.head, hLast, batch.x.batch), batch.y).loss;
  }
}
