import type { SequenceBatch } from '../lstm/lstm';
import type { StateDict } from '../lstm/stateDict';
import { createRng, type Rng } from '../random';
import { RaceLearner } from '../rnn/race';
import { makeTaskBatch, taskShape, type MemoryTask, type TaskBatch } from '../rnn/tasks';
import { KnockoutLearner } from './knockout';
import type { GateSaturation } from './saturation';
import type { CellVariant } from './variants';

/**
 * The knockout race: LSTM variants with one part removed (Greff et al. 2017), the GRU, and the
 * plain RNN as the floor, each trained on the same seeded batches of a memory task. One run is
 * one contestant and one seed; the page races many runs over a few workers.
 */
export type Contestant = CellVariant | 'rnn';

/** The race's line-up, in the order the table lists it (the LSTM first, the RNN last). */
export const CONTESTANTS: readonly Contestant[] = [
  'lstm',
  'nfg',
  'nig',
  'nog',
  'niaf',
  'noaf',
  'cifg',
  'gru',
  'rnn',
];
/** Chosen when the page opens: everything the experiment needs (no input activation is optional). */
export const DEFAULT_CONTESTANTS: readonly Contestant[] = CONTESTANTS.filter((c) => c !== 'niaf');

export interface KnockoutSettings {
  task: MemoryTask;
  T: number;
  hiddenSize: number;
  learningRate: number;
  batchSize: number;
  steps: number;
}

/**
 * The default race ends within about two minutes on a 2-core machine (measured: see the
 * README's gate lab section), and on the count task the cell without a forget gate ends
 * measurably worse than the LSTM on every seed.
 */
export const KNOCKOUT_DEFAULTS: KnockoutSettings = {
  task: 'count',
  T: 40,
  hiddenSize: 8,
  learningRate: 1e-2,
  batchSize: 32,
  steps: 400,
};

/** Every run, of any contestant or seed, is scored on this one held-out batch. */
export const EVAL_SAMPLES = 256;
const EVAL_SEED = 999;

export class KnockoutRun {
  private readonly rnn: RaceLearner | null;
  private readonly cell: KnockoutLearner | null;
  private readonly batches: Rng;
  readonly evalBatch: TaskBatch;

  constructor(
    readonly contestant: Contestant,
    readonly settings: KnockoutSettings,
    readonly seed: number,
  ) {
    const { task, T, hiddenSize, learningRate } = settings;
    const common = { task, hiddenSize, learningRate, seed };
    this.rnn = contestant === 'rnn' ? new RaceLearner({ kind: 'rnn', ...common }) : null;
    this.cell =
      contestant === 'rnn' ? null : new KnockoutLearner({ variant: contestant, ...common });
    this.batches = createRng(seed * 7919 + 1);
    this.evalBatch = makeTaskBatch(task, T, EVAL_SAMPLES, createRng(EVAL_SEED));
  }

  get steps(): number {
    return (this.rnn ?? this.cell!).steps;
  }

  step(): { loss: number; accuracy: number } {
    const { task, T, batchSize } = this.settings;
    const batch = makeTaskBatch(task, T, batchSize, this.batches);
    return (this.rnn ?? this.cell!).trainStep(batch);
  }

  evaluate(): { loss: number; accuracy: number } {
    return (this.rnn ?? this.cell!).evaluate(this.evalBatch);
  }

  /** The gates' saturation over the held-out batch (null for the RNN, which has no gates). */
  saturation(): GateSaturation | null {
    return this.cell?.saturation(this.evalBatch.x) ?? null;
  }

  /** The full LSTM's weights, for the Cell explorer (null for every other contestant). */
  stateDict(): StateDict | null {
    return this.contestant === 'lstm' ? this.cell!.stateDict() : null;
  }

  /** Held-out sequence k as [step][feature], for the Cell explorer to replay. */
  sequence(k: number): number[][] {
    const x: SequenceBatch = this.evalBatch.x;
    const F = x.features;
    return Array.from({ length: x.time }, (_, t) =>
      Array.from(x.data.subarray((k * x.time + t) * F, (k * x.time + t + 1) * F)),
    );
  }
}

/**
 * Multiply-adds of one training step's forward pass: B·T·G·(In + H), G = 4H for the LSTM
 * variants, 3H for the GRU, H for the RNN. The backward costs about twice that.
 */
export function stepWork(contestant: Contestant, s: KnockoutSettings): number {
  const H = s.hiddenSize;
  const G = contestant === 'rnn' ? H : contestant === 'gru' ? 3 * H : 4 * H;
  return s.batchSize * s.T * G * (taskShape(s.task).inputs + H);
}

/** How fast this machine trains: a fixed cost per step plus a cost per multiply-add. */
export interface Pace {
  msPerStep: number;
  nsPerWork: number;
}
/** Measured on the 2-core dev host with the core's float64 kernels (see the README). */
export const REFERENCE_PACE: Pace = { msPerStep: 2.2, nsPerWork: 28 };

/** Evaluation every this many steps adds a forward pass of EVAL_SAMPLES. */
export const EVAL_EVERY = 50;

export function runMs(contestant: Contestant, s: KnockoutSettings, pace: Pace): number {
  const work = stepWork(contestant, s);
  const train = s.steps * (pace.msPerStep + (work * pace.nsPerWork) / 1e6);
  const evals = ((s.steps / EVAL_EVERY + 2) * ((work / s.batchSize) * EVAL_SAMPLES)) / 3;
  return train + (evals * pace.nsPerWork) / 1e6;
}

/**
 * Seconds the whole race takes on `workers` workers: runs are handed out longest first, each
 * to the worker that frees up first.
 */
export function estimateRaceSeconds(
  contestants: readonly Contestant[],
  seeds: number,
  s: KnockoutSettings,
  workers: number,
  pace: Pace = REFERENCE_PACE,
): number {
  const runs = contestants
    .flatMap((c) => Array.from({ length: seeds }, () => runMs(c, s, pace)))
    .sort((a, b) => b - a);
  const free = new Array<number>(Math.max(1, workers)).fill(0);
  for (const ms of runs) {
    const k = free.indexOf(Math.min(...free));
    free[k] += ms;
  }
  return Math.max(...free) / 1000;
}
