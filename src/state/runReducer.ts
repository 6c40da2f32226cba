import {
  evaluateSeries,
  type StateDict,
  type StockConfig,
  type StockEvaluation,
  type StockSeries,
} from '../core/index';
import type { FromWorker, GateSnapshot } from '../worker/protocol';

export type RunStatus = 'starting' | 'running' | 'paused' | 'stopped' | 'finished';

export interface LossPoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

/** The Stock lab's current run, as the worker has reported it. */
export interface RunView {
  runId: number;
  status: RunStatus;
  config: StockConfig;
  dataKey: number;
  epoch: number;
  history: LossPoint[];
  series: StockSeries | null;
  predictions: number[] | null;
  evaluation: StockEvaluation | null;
  gates: GateSnapshot | null;
  epochsPerSecond: number;
  memory: { numTensors: number; numBytes: number } | null;
  /** Where the run stands inside an epoch: after "Step batch", in a long epoch, or paused mid-epoch. */
  batch: { index: number; count: number; loss: number; eta?: number } | null;
  /** Set when an epoch would take over a minute here: the run paused itself to ask. */
  slow: { secondsPerEpoch: number; batches: number; rows: number } | null;
  /** The epoch the run started from (an imported or resumed model's, else 0). */
  startEpoch?: number;
  /** Set when the learner restored an earlier epoch's weights: what the charts now show. */
  restoredEpoch?: number;
}

/** A checkpoint's weights as the page keeps them (the model the exports and the explorer use). */
export interface CheckpointWeights {
  epoch: number;
  stateDict: StateDict;
  predictions: number[] | null;
}

/**
 * The run after one message from the worker. Pure: the store applies it, tests feed it any
 * order of messages. Messages of another run change nothing.
 */
export function reduceRun(run: RunView, msg: FromWorker): RunView {
  if (msg.type === 'ready' || msg.runId !== run.runId) return run;
  switch (msg.type) {
    case 'dataset':
      return { ...run, series: msg.series };
    case 'progress':
      return {
        ...run,
        epoch: Math.max(run.epoch, msg.epoch),
        history: msg.history.length ? [...run.history, ...msg.history] : run.history,
        predictions: msg.predictions ?? run.predictions,
        // New predictions are the run's own again, no longer a restored epoch's.
        restoredEpoch: msg.predictions ? undefined : run.restoredEpoch,
        evaluation:
          msg.predictions && run.series
            ? evaluateSeries(run.series, msg.predictions)
            : run.evaluation,
        // What each gate learned is measured at rest only: it stays (with its epoch) until the
        // next pause or end measures it again.
        gates: msg.gates
          ? { ...msg.gates, saturation: msg.gates.saturation ?? run.gates?.saturation }
          : run.gates,
        // The rate of the last running seconds, as the worker measures it (0 when not running).
        epochsPerSecond: msg.epochsPerSecond,
        memory: msg.memory ?? run.memory,
        // null says "at an epoch's end"; absent keeps what was shown until an epoch ends.
        batch: msg.batch !== undefined ? msg.batch : msg.history.length ? null : run.batch,
      };
    case 'state':
      return {
        ...run,
        // A finished run stays finished: the loop's closing "stopped" does not undo it.
        status: run.status === 'finished' && msg.state === 'stopped' ? 'finished' : msg.state,
        epochsPerSecond: msg.state === 'running' ? run.epochsPerSecond : 0,
        slow: msg.state === 'running' ? null : run.slow,
      };
    case 'slow':
      return {
        ...run,
        slow: { secondsPerEpoch: msg.secondsPerEpoch, batches: msg.batches, rows: msg.rows },
      };
    case 'finished':
      return {
        ...run,
        status: 'finished',
        epoch: msg.epoch,
        evaluation: msg.evaluation,
        predictions: msg.predictions,
        epochsPerSecond: 0,
        batch: null,
      };
    case 'checkpoint': {
      // Charts and metrics show the weights of this checkpoint.
      const predictions = msg.predictions ?? null;
      if (!predictions) return run;
      const evaluation = run.series ? evaluateSeries(run.series, predictions) : null;
      return { ...run, predictions, evaluation };
    }
    case 'failed': {
      if (msg.kind === 'engine' && msg.recoverable) {
        // The run goes on on the next engine from its last checkpoint: it stands there now, and
        // the epochs after it (trained on the engine that failed) are no longer its history.
        const from = Number(msg.params?.fromEpoch);
        if (!Number.isFinite(from)) return { ...run, batch: null };
        return {
          ...run,
          epoch: from,
          history: run.history.filter((h) => h.epoch <= from),
          batch: null,
        };
      }
      // A refused setup ('data') is undone by the store; anything else stops the run here.
      return msg.kind === 'data' ? run : { ...run, status: 'stopped', epochsPerSecond: 0 };
    }
    default:
      return run;
  }
}

/** The model a checkpoint message leaves (or null for messages that carry none). */
export function checkpointOf(run: RunView, msg: FromWorker): CheckpointWeights | null {
  if (msg.type !== 'checkpoint' || msg.runId !== run.runId) return null;
  return { epoch: msg.epoch, stateDict: msg.stateDict, predictions: msg.predictions ?? null };
}
