import {
  RegressionTrainer,
  evaluateSeries,
  prepareStockDataset,
  type StateDict,
} from '../core/index';
import { useStockLab } from './stockLab';

/** The saved weights closest to `epoch`: the latest at or before it, else the earliest after. */
export function nearestSnapshot<S extends { epoch: number }>(
  snapshots: readonly S[],
  epoch: number,
): S | null {
  let before: S | null = null;
  let after: S | null = null;
  for (const s of snapshots) {
    if (s.epoch <= epoch && (!before || s.epoch > before.epoch)) before = s;
    if (s.epoch > epoch && (!after || s.epoch < after.epoch)) after = s;
  }
  return before ?? after;
}

/**
 * Makes the saved weights nearest `epoch` the Stock lab's model again: the charts, metrics,
 * exports and the Cell explorer then show that epoch. Predictions are computed by the core
 * from those weights on the run's own data. Returns the epoch restored, or null.
 */
export function restoreEpoch(epoch: number): number | null {
  const { run, data, snapshots } = useStockLab.getState();
  if (!run?.series || !data || data.key !== run.dataKey) return null;
  const snap = nearestSnapshot(snapshots, epoch);
  if (!snap) return null;
  const dataset = prepareStockDataset(data.table, run.config);
  const checkpoint = { epoch: snap.epoch, stateDict: snap.stateDict as StateDict };
  const trainer = new RegressionTrainer(dataset, run.config, Float64Array, checkpoint);
  const predictions = Array.from(trainer.predictAll());
  useStockLab.setState({
    model: {
      epoch: snap.epoch,
      stateDict: snap.stateDict,
      config: run.config,
      series: run.series,
      runId: run.runId,
      predictions,
    },
    run: {
      ...run,
      predictions,
      evaluation: evaluateSeries(run.series, predictions),
      restoredEpoch: snap.epoch,
    },
  });
  return snap.epoch;
}
