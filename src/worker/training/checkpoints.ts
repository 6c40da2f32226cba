import {
  RegressionTrainer,
  prepareStockDataset,
  type Checkpoint,
  type EpochResult,
  type StockConfig,
} from '../../core/index';
import type { FromWorker, ToWorker } from '../protocol';
import { sleep, type Trainer } from './trainer';

/** Windows predicted between two yields when the whole series is predicted for a checkpoint. */
const PREDICT_SLICE = 8192;

/** Every window's prediction at the trainer's current weights, in slices with yields between. */
export async function predictAllYielding(trainer: Trainer, count: number): Promise<number[]> {
  const out: number[] = new Array<number>(count);
  for (let from = 0; from < count; from += PREDICT_SLICE) {
    const to = Math.min(count, from + PREDICT_SLICE);
    const part = await trainer.predictRange(from, to);
    for (let k = 0; k < part.length; k++) out[from + k] = part[k];
    if (to < count) await sleep(0);
  }
  return out;
}

/**
 * A checkpoint as one consistent moment: the weights, the epoch they belong to, and every
 * window's prediction from those very weights (what the page keeps, saves and charts).
 */
export async function takeCheckpoint(
  trainer: Trainer,
  windows: number,
): Promise<Checkpoint & { predictions: number[] }> {
  const epoch = trainer.epoch;
  const stateDict = await trainer.stateDict();
  const predictions = await predictAllYielding(trainer, windows);
  return { epoch, stateDict, predictions };
}

/**
 * What the page is told when the loss is NaN or runs away: why, what to try, and the last
 * healthy checkpoint (which stays the model), then that the run stopped.
 */
export function lossFailure(
  runId: number,
  result: EpochResult,
  finite: boolean,
  lr: number,
  bestLoss: number,
  keep: Checkpoint | null,
): FromWorker[] {
  const what = finite
    ? `exploded to ${result.trainLoss.toPrecision(3)}`
    : `became ${result.trainLoss}`;
  const kept = keep ? `The model from epoch ${keep.epoch} is kept.` : '';
  return [
    {
      type: 'failed',
      runId,
      kind: 'nan',
      code: finite ? 'diverged' : 'nan',
      message: `The loss ${what} at epoch ${result.epoch}: the learning rate (${lr}) is too high for this data. Try ${lr / 10}. ${kept}`,
      params: {
        epoch: result.epoch,
        lr,
        kept: keep?.epoch ?? 0,
        loss: result.trainLoss.toPrecision(3),
        best: bestLoss.toPrecision(3),
      },
      recoverable: true,
    },
    ...(keep
      ? [{ type: 'checkpoint' as const, runId, epoch: keep.epoch, stateDict: keep.stateDict }]
      : []),
    { type: 'state', runId, state: 'stopped' },
  ];
}

/** A single stepped batch whose loss is not a number. */
export function batchLossFailure(
  runId: number,
  loss: number,
  epoch: number,
  config: StockConfig,
  kept: number,
): FromWorker {
  const lr = config.learningRate;
  return {
    type: 'failed',
    runId,
    kind: 'nan',
    message: `The loss became ${loss}: the learning rate (${lr}) is too high for this data.`,
    params: { epoch, lr, kept },
    recoverable: true,
  };
}

/**
 * Every window's prediction (target units) from saved weights: restoring an earlier epoch. The
 * core computes it here, in the worker, so a large file never blocks the page.
 */
export function predicted(msg: Extract<ToWorker, { type: 'predictWith' }>): FromWorker {
  const { table, config, from } = msg;
  const trainer = new RegressionTrainer(
    prepareStockDataset(table, config),
    config,
    Float64Array,
    from,
  );
  const predictions = Array.from(trainer.predictAll());
  return { type: 'predicted', runId: msg.runId, epoch: from.epoch, predictions };
}
