import type { MinMaxScaler, StandardScaler } from '../data/scalers';
import { regressionMetrics, upShare } from '../metrics/regression';
import { naivePrediction, type StockDataset, type StockEvaluation } from './stockData';

/**
 * A StockDataset reduced to what charts and exports need, one entry per window in date order:
 * small enough to send from the worker to the page every run.
 */
export interface StockSeries {
  features: string[];
  target: string;
  rows: number;
  dropped: number;
  splitRow: number;
  /** Windows whose target row is before the split (they come first). */
  trainCount: number;
  /** Date (epoch ms) of each window's target row, or null without a date column. */
  dates: number[] | null;
  /** The target row of each window. */
  rowOf: number[];
  /** The actual target value of each window, in its own units. */
  actual: number[];
  /** The naive "tomorrow = today" prediction of each window. */
  naive: number[];
  xScaler: StandardScaler;
  yScaler: MinMaxScaler;
}

export function stockSeries(ds: StockDataset, horizon: number): StockSeries {
  const rowOf = Array.from(ds.all.targetRow);
  return {
    features: ds.features,
    target: ds.target,
    rows: ds.rows,
    dropped: ds.dropped,
    splitRow: ds.splitRow,
    trainCount: ds.train.count,
    dates: ds.dates ? rowOf.map((r) => ds.dates![r]) : null,
    rowOf,
    actual: rowOf.map((r) => ds.targetRaw[r]),
    naive: Array.from(naivePrediction(ds, ds.all, horizon)),
    xScaler: ds.xScaler,
    yScaler: ds.yScaler,
  };
}

/** Test metrics of predictions for every window (in target units), beside the naive baseline. */
export function evaluateSeries(
  series: StockSeries,
  predictions: ArrayLike<number>,
): StockEvaluation {
  const from = series.trainCount;
  const pick = (a: ArrayLike<number>) => Array.prototype.slice.call(a, from) as number[];
  const actual = pick(series.actual);
  const naive = pick(series.naive);
  const model = regressionMetrics(pick(predictions), actual, naive);
  const base = { ...regressionMetrics(naive, actual, naive), directionAccuracy: NaN };
  return {
    model,
    naive: base,
    upShare: upShare(actual, naive),
    beatsNaive: model.rmse < base.rmse,
  };
}
