import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { lttbIndices, verdictOf, watchFit, type StockConfig } from '../core/index';
import { useStockLab, type RunView } from './stockLab';

/** Loss points and prediction points kept per run: enough to draw, small enough to keep. */
const MAX_LOSS_POINTS = 200;
const MAX_PREDICTION_POINTS = 300;
/** The table keeps the latest runs; the oldest go first. */
export const MAX_RUNS = 20;

/** One Stock lab run as the "Runs" table keeps it, across reloads. */
export interface RunRecord {
  id: string;
  dataset: string;
  config: StockConfig;
  status: 'finished' | 'stopped';
  epochs: number;
  trainLoss: number;
  testLoss: number;
  rmse: number;
  mae: number;
  direction: number;
  upShare: number;
  /** Model RMSE ÷ naive RMSE. */
  ratio: number;
  bestEpoch: number | null;
  losses: { epoch: number; trainLoss: number; testLoss: number }[];
  prediction: { label: string; actual: number; predicted: number }[];
  /** Index in `prediction` where the test period starts. */
  testFrom: number;
  target: string;
}

/** The record of a run that has ended with an evaluation (null for one that has not). */
export function recordOf(run: RunView, dataset: string, id: string): RunRecord | null {
  const ev = run.evaluation;
  const series = run.series;
  if (!ev || !series || !run.predictions || run.history.length === 0) return null;
  const last = run.history[run.history.length - 1];
  const lossIdx = lttbIndices(
    run.history.map((h) => h.testLoss),
    MAX_LOSS_POINTS,
  );
  const predIdx = lttbIndices(series.actual, MAX_PREDICTION_POINTS);
  // A day as ISO text (the table is kept as JSON); a file without dates counts rows.
  const label = (k: number) =>
    series.dates ? new Date(series.dates[k]).toISOString().slice(0, 10) : `#${series.rowOf[k]}`;
  return {
    id,
    dataset,
    config: run.config,
    status: run.status === 'finished' ? 'finished' : 'stopped',
    epochs: run.epoch,
    trainLoss: last.trainLoss,
    testLoss: last.testLoss,
    rmse: ev.model.rmse,
    mae: ev.model.mae,
    direction: ev.model.directionAccuracy,
    upShare: ev.upShare,
    ratio: verdictOf(ev.model.rmse, ev.naive.rmse).ratio,
    bestEpoch: watchFit(run.history).bestEpoch,
    losses: lossIdx.map((k) => ({ ...run.history[k] })),
    prediction: predIdx.map((k) => ({
      label: String(label(k)),
      actual: series.actual[k],
      predicted: run.predictions![k],
    })),
    testFrom: predIdx.findIndex((k) => k >= series.trainCount),
    target: series.target,
  };
}

interface RunsTableState {
  runs: RunRecord[];
  /** Up to two runs drawn together on the overlay charts. */
  overlay: string[];
  add(record: RunRecord): void;
  remove(id: string): void;
  toggleOverlay(id: string): void;
}

export const useRunsTable = create<RunsTableState>()(
  persist(
    (set) => ({
      runs: [],
      overlay: [],
      add: (record) =>
        set((s) => ({
          runs: [...s.runs.filter((r) => r.id !== record.id), record].slice(-MAX_RUNS),
        })),
      remove: (id) =>
        set((s) => ({
          runs: s.runs.filter((r) => r.id !== id),
          overlay: s.overlay.filter((o) => o !== id),
        })),
      toggleOverlay: (id) =>
        set((s) => ({
          overlay: s.overlay.includes(id)
            ? s.overlay.filter((o) => o !== id)
            : [...s.overlay, id].slice(-2),
        })),
    }),
    {
      name: 'lstm-lab.runs',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ runs: s.runs, overlay: s.overlay }),
    },
  ),
);

let recorder: (() => void) | null = null;

/**
 * Puts every Stock lab run into the table when it ends (finishes, or is stopped): on the
 * change of its status, so a run restored by a reload is not counted twice.
 */
export function startRunRecorder(): void {
  recorder ??= useStockLab.subscribe((now, before) => {
    const r = now.run;
    const b = before.run;
    if (!r || !b || r.runId !== b.runId || r.status === b.status) return;
    if (r.status !== 'finished' && r.status !== 'stopped') return;
    const record = recordOf(r, now.data?.name ?? '', `run-${Date.now()}-${r.runId}`);
    if (record) useRunsTable.getState().add(record);
  });
}
