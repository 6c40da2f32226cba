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
import type { StateDict } from '../lstm/stateDict';
import { toNested } from '../lstm/tensor';
import { createRng } from '../random';
import { taskLoss, taskShape, type MemoryTask, type TaskBatch } from '../rnn/tasks';
import { gateSaturation, type GateSaturation } from './saturation';
import { variantBackward, variantForward, type CellVariant, type VariantWeights } from './variants';

export interface KnockoutOptions {
  variant: CellVariant;
  /** The task sets the input width, the head's width and the loss (default: the count). */
  task?: MemoryTask;
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

  readonly task: MemoryTask;

  constructor(readonly options: KnockoutOptions) {
    const { variant, hiddenSize: H, seed } = options;
    this.task = options.task ?? 'count';
    const { inputs, outputs } = taskShape(this.task);
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
    this.head = createDense('fc', H, outputs, Float64Array);
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

  /** One Adam step on a batch; returns its loss and the share answered right. */
  trainStep(batch: TaskBatch): { loss: number; accuracy: number } {
    const { x, y } = batch;
    const B = x.batch;
    const H = this.options.hiddenSize;
    zeroGrads(this.params);
    const { fwd, hLast } = this.lastH(x);
    const out = denseForward(this.head, hLast, B);
    const { loss, dOut, correct } = taskLoss(this.task, out, y, B);
    const dLast = denseBackward(this.head, hLast, dOut, B);
    // dL/dh at every step, batch-first: only the last step's feeds the head.
    const dH = new Float64Array(B * x.time * H);
    for (let b = 0; b < B; b++)
      for (let u = 0; u < H; u++) dH[(b * x.time + x.time - 1) * H + u] = dLast[b * H + u];
    const g = variantBackward(this.weights, fwd, dH);
    [g.wIh, g.wHh, g.bIh, g.bHh].forEach((d, k) => this.cell[k].grad.set(d));
    this.optimizer.update();
    this.steps++;
    return { loss, accuracy: correct / B };
  }

  /** Loss on a batch without learning from it. */
  evaluate(batch: TaskBatch): { loss: number; accuracy: number } {
    const B = batch.x.batch;
    const { hLast } = this.lastH(batch.x);
    const r = taskLoss(this.task, denseForward(this.head, hLast, B), batch.y, B);
    return { loss: r.loss, accuracy: r.correct / B };
  }

  /** How often each unit's gates sit near 0 and near 1 over these sequences. */
  saturation(x: SequenceBatch): GateSaturation {
    const { variant, hiddenSize: H } = this.options;
    const fwd = this.lastH(x).fwd;
    const names = variant === 'gru' ? ['r', 'z'] : ['i', 'f', 'o'];
    return gateSaturation(Object.fromEntries(names.map((n) => [n, fwd.gates[n]])), names, H);
  }

  /** The cell and head in nn.LSTM's / nn.Linear's names, for the Cell explorer. */
  stateDict(): StateDict {
    const nested = (p: Param) => toNested(p.value, p.shape);
    const [wIh, wHh, bIh, bHh] = this.cell;
    return {
      'lstm.weight_ih_l0': nested(wIh),
      'lstm.weight_hh_l0': nested(wHh),
      'lstm.bias_ih_l0': nested(bIh),
      'lstm.bias_hh_l0': nested(bHh),
      'fc.weight': nested(this.head.weight),
      'fc.bias': nested(this.head.bias),
    };
  }
}
