import { evaluateSeries, type StateDict } from '../core/index';
import { trainingClient } from './engine';
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
 * exports and the Cell explorer then show that epoch. The worker predicts from those weights on
 * the run's own data (a large file would block the page). Resolves to the epoch restored, or
 * null when there is nothing to restore (or the run changed meanwhile).
 */
export async function restoreEpoch(epoch: number): Promise<number | null> {
  const { run, data, snapshots } = useStockLab.getState();
  if (!run?.series || !data || data.key !== run.dataKey) return null;
  const snap = nearestSnapshot(snapshots, epoch);
  if (!snap) return null;
  const from = { epoch: snap.epoch, stateDict: snap.stateDict as StateDict };
  const predictions = await trainingClient().predictWith(run.config, data.table, from);
  const now = useStockLab.getState().run;
  // A new run started while the worker predicted: its charts are not this epoch's.
  if (!now?.series || now.runId !== run.runId) return null;
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
      ...now,
      predictions,
      evaluation: evaluateSeries(now.series, predictions),
      restoredEpoch: snap.epoch,
    },
  });
  return snap.epoch;
}
