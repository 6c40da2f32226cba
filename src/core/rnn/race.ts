import { Adam } from '../lstm/adam';
import {
  createDense,
  denseBackward,
  denseForward,
  initDenseUniform,
  type Dense,
} from '../lstm/dense';
import {
  createLstm,
  initLstmUniform,
  lstmBackward,
  lstmForward,
  lstmParams,
  type Lstm,
  type SequenceBatch,
} from '../lstm/lstm';
import { zeroGrads, type Param } from '../lstm/params';
import type { FloatArray } from '../lstm/tensor';
import { createRng, type Rng } from '../random';
import { createRnn, rnnBackward, rnnForward, rnnParams, type Rnn } from './rnn';
import { makeTaskBatch, taskLoss, taskShape, type MemoryTask, type TaskBatch } from './tasks';

/**
 * One contestant of the Why-LSTM race: a vanilla RNN or an LSTM of the same hidden size, a
 * linear head on the last h, trained with Adam on a long-memory task. Besides training it can
 * measure how the gradient flows back through time for one sequence.
 */
export type RaceKind = 'rnn' | 'lstm';

export interface RaceOptions {
  kind: RaceKind;
  task: MemoryTask;
  hiddenSize: number;
  learningRate: number;
  seed: number;
  /** The LSTM's forget-gate bias at the start (1 is the usual choice; it keeps memory open). */
  forgetBias?: number;
}

export interface GradientFlow {
  /** |∂L/∂h_t| for the RNN, |∂L/∂c_t| for the LSTM, for t = 0 … T−1. */
  norms: number[];
  /**
   * The forget gate, at each step, of the unit that carries the most gradient along the cell
   * line (Σ_t |∂L/∂c_t| largest): the unit whose memory matters (empty for the RNN).
   */
  forget: number[];
  /** That unit's index (−1 for the RNN). */
  carrier: number;
  /** The forget gate averaged over all units, for comparison (empty for the RNN). */
  forgetMean: number[];
}

interface Pass {
  hLast: FloatArray;
  backward: (dLast: FloatArray, record: boolean) => GradientFlow;
  forgetMean: number[];
}

export class RaceLearner {
  readonly kind: RaceKind;
  readonly task: MemoryTask;
  private readonly rnn: Rnn | null = null;
  private readonly lstm: Lstm | null = null;
  private readonly head: Dense;
  readonly params: Param[];
  private readonly optimizer: Adam;
  steps = 0;

  constructor(readonly options: RaceOptions) {
    const { kind, task, hiddenSize: H, seed } = options;
    const { inputs, outputs } = taskShape(task);
    const rng = createRng(seed);
    this.kind = kind;
    this.task = task;
    if (kind === 'rnn') {
      this.rnn = createRnn(inputs, H, Float64Array, rng);
    } else {
      this.lstm = createLstm({
        inputSize: inputs,
        hiddenSize: H,
        numLayers: 1,
        ctor: Float64Array,
      });
      initLstmUniform(this.lstm, rng);
      const fb = options.forgetBias ?? 1;
      const layer = this.lstm.layers[0];
      for (let u = 0; u < H; u++) {
        layer.biasIh.value[H + u] = fb;
        layer.biasHh.value[H + u] = 0;
      }
    }
    this.head = createDense('fc', H, outputs, Float64Array);
    initDenseUniform(this.head, rng);
    this.params = [
      ...(this.rnn ? rnnParams(this.rnn) : lstmParams(this.lstm!)),
      this.head.weight,
      this.head.bias,
    ];
    this.optimizer = new Adam(this.params, { lr: options.learningRate });
  }

  private pass(x: SequenceBatch): Pass {
    const { batch: B, time: T } = x;
    const H = this.options.hiddenSize;
    const n = B * H;
    if (this.rnn) {
      const rnn = this.rnn;
      const fwd = rnnForward(rnn, x);
      return {
        hLast: fwd.h.slice((T - 1) * n, T * n),
        forgetMean: [],
        backward: (dLast, record) => {
          const dH = new Float64Array(T * n);
          dH.set(dLast, (T - 1) * n);
          const total = rnnBackward(rnn, fwd, dH);
          return {
            norms: record ? stepNorms(total, T, n) : [],
            forget: [],
            carrier: -1,
            forgetMean: [],
          };
        },
      };
    }
    const lstm = this.lstm!;
    const fwd = lstmForward(lstm, x);
    const gates = fwd.layers[0].gates;
    const forgetMean = Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let b = 0; b < B; b++)
        for (let u = 0; u < H; u++) s += gates[(t * B + b) * 4 * H + H + u];
      return s / n;
    });
    return {
      hLast: fwd.layers[0].h.slice((T - 1) * n, T * n),
      forgetMean,
      backward: (dLast, record) => {
        const dTop = new Float64Array(T * n);
        dTop.set(dLast, (T - 1) * n);
        const r = lstmBackward(lstm, fwd, dTop, { record });
        if (!record) return { norms: [], forget: forgetMean, carrier: -1, forgetMean };
        const dC = r.dC![0];
        const carried = new Float64Array(H);
        for (let j = 0; j < dC.length; j++) carried[j % H] += Math.abs(dC[j]);
        let carrier = 0;
        for (let u = 1; u < H; u++) if (carried[u] > carried[carrier]) carrier = u;
        const forget = Array.from({ length: T }, (_, t) => {
          let f = 0;
          for (let b = 0; b < B; b++) f += gates[(t * B + b) * 4 * H + H + carrier];
          return f / B;
        });
        return { norms: stepNorms(dC, T, n), forget, carrier, forgetMean };
      },
    };
  }

  /** One Adam step on a batch; returns the loss and the share answered right. */
  trainStep(batch: TaskBatch): { loss: number; accuracy: number } {
    const B = batch.x.batch;
    zeroGrads(this.params);
    const p = this.pass(batch.x);
    const out = denseForward(this.head, p.hLast, B);
    const { loss, dOut, correct } = taskLoss(this.task, out, batch.y, B);
    const dLast = denseBackward(this.head, p.hLast, dOut, B);
    p.backward(dLast, false);
    this.optimizer.update();
    this.steps++;
    return { loss, accuracy: correct / B };
  }

  /** Loss on a batch without learning from it. */
  evaluate(batch: TaskBatch): { loss: number; accuracy: number } {
    const B = batch.x.batch;
    const p = this.pass(batch.x);
    const { loss, correct } = taskLoss(this.task, denseForward(this.head, p.hLast, B), batch.y, B);
    return { loss, accuracy: correct / B };
  }

  /** How the loss's gradient reaches each step of these sequences (gradients are not kept). */
  gradientFlow(batch: TaskBatch): GradientFlow {
    const B = batch.x.batch;
    const saved = this.params.map((p) => p.grad.slice());
    zeroGrads(this.params);
    const p = this.pass(batch.x);
    const { dOut } = taskLoss(this.task, denseForward(this.head, p.hLast, B), batch.y, B);
    const flow = p.backward(denseBackward(this.head, p.hLast, dOut, B), true);
    this.params.forEach((q, k) => q.grad.set(saved[k]));
    return flow;
  }
}

/** The Euclidean norm of each step's block of a time-major [t][b][H] array. */
function stepNorms(a: FloatArray, T: number, n: number): number[] {
  return Array.from({ length: T }, (_, t) => {
    let s = 0;
    for (let j = t * n; j < (t + 1) * n; j++) s += a[j] * a[j];
    return Math.sqrt(s);
  });
}

/** What both contestants share, so the race is fair: same task, length, size, seed, batches. */
export interface RaceSettings {
  task: MemoryTask;
  T: number;
  hiddenSize: number;
  learningRate: number;
  batchSize: number;
  seed: number;
}

export const RACE_DEFAULTS: RaceSettings = {
  task: 'adding',
  T: 50,
  hiddenSize: 16,
  learningRate: 0.01,
  batchSize: 32,
  seed: 1,
};

/**
 * One contestant's run: its learner plus the shared stream of training batches, a fixed
 * evaluation batch and a fixed sequence for the gradient-flow plot (all from the seed).
 */
export class RaceRun {
  readonly learner: RaceLearner;
  private readonly batches: Rng;
  private readonly evalBatch: TaskBatch;
  private readonly flowBatch: TaskBatch;

  constructor(
    readonly kind: RaceKind,
    readonly settings: RaceSettings,
  ) {
    const { task, T, hiddenSize, learningRate, seed } = settings;
    this.learner = new RaceLearner({ kind, task, hiddenSize, learningRate, seed });
    this.batches = createRng(seed * 7919 + 1);
    this.evalBatch = makeTaskBatch(task, T, 128, createRng(seed + 2));
    this.flowBatch = makeTaskBatch(task, T, 1, createRng(seed + 3));
  }

  get steps(): number {
    return this.learner.steps;
  }

  step(): { loss: number; accuracy: number } {
    const { task, T, batchSize } = this.settings;
    return this.learner.trainStep(makeTaskBatch(task, T, batchSize, this.batches));
  }

  evaluate(): { loss: number; accuracy: number } {
    return this.learner.evaluate(this.evalBatch);
  }

  flow(): GradientFlow {
    return this.learner.gradientFlow(this.flowBatch);
  }
}
