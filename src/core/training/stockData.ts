import { DataError } from '../data/errors';
import { getColumn, numberColumns, type Table } from '../data/table';
import {
  fitMinMaxScaler,
  fitStandardScaler,
  matrixFromColumns,
  scalerTransform,
  type MinMaxScaler,
  type StandardScaler,
} from '../data/scalers';
import { makeWindows, pickWindows, windowCount, type Windows } from '../data/windows';
import { regressionMetrics, upShare, type RegressionMetrics } from '../metrics/regression';
import type { StockConfig, TargetKind } from './stockConfig';

/** Everything a stock model trains and is judged on, derived from a Table and a StockConfig. */
export interface StockDataset {
  features: string[];
  target: string;
  /** Rows kept (no missing value in a chosen column), in date order. */
  rows: number;
  dropped: number;
  /** Dates of kept rows (epoch ms) or null when the file has no date column. */
  dates: Float64Array | null;
  /** Target in its own units for every kept row. */
  targetRaw: Float64Array;
  /** What the network predicts (see StockConfig.targetKind), and its reference lag in rows. */
  targetKind: TargetKind;
  lag: number;
  /** First row index that belongs to the test period. */
  splitRow: number;
  xScaler: StandardScaler;
  yScaler: MinMaxScaler;
  train: Windows;
  test: Windows;
  /** Every window in time order (for charting predictions over the whole series). */
  all: Windows;
}

/** The features and target a config means for this table (filling in recipe defaults). */
export function resolveColumns(
  table: Table,
  config: Pick<StockConfig, 'features' | 'target'>,
): { features: string[]; target: string } {
  const numeric = numberColumns(table).map((c) => c.name);
  const target = config.target || table.closeColumn || numeric[numeric.length - 1];
  if (!target) throw new DataError('noNumeric', 'No numeric column to predict.');
  let features = config.features.length > 0 ? config.features : defaultFeatures(table, target);
  features = features.filter((f, k) => features.indexOf(f) === k);
  const absent = [...features, target].filter((n) => !getColumn(table, n));
  if (absent.length > 0) {
    const list = absent.map((n) => `"${n}"`).join(', ');
    throw new DataError(
      'unknownColumn',
      `The file has no column named ${list}; its columns are ${table.columns.map((c) => `"${c.name}"`).join(', ')}.`,
      { column: absent.join(', ') },
    );
  }
  for (const name of [...features, target]) {
    const col = getColumn(table, name)!;
    if (col.kind !== 'number') {
      throw new DataError('notNumeric', `The column "${name}" does not hold numbers.`, {
        column: name,
      });
    }
  }
  return { features, target };
}

/** Price-like columns by default (volume moves on another scale and adds noise for a first try). */
function defaultFeatures(table: Table, target: string): string[] {
  const numeric = numberColumns(table).map((c) => c.name);
  const prices = numeric.filter((n) => !/vol|거래량|umsatz|wolumen/i.test(n));
  const chosen = prices.length > 0 ? prices : numeric;
  return chosen.includes(target) ? chosen : [...chosen, target];
}

/** Rows a file needs at the least: a 1-step window and its next day, once to train, once to test. */
export const MIN_USABLE_ROWS = 3;

/**
 * Refuses, at load, a table that no setup could train on: fewer usable rows (a number in the
 * column that would be predicted) than one training and one test window need with sequence
 * length 1. Says how many it has and how many are needed.
 */
export function checkTrainable(table: Table): void {
  const { target } = resolveColumns(table, { features: [], target: '' });
  const values = (getColumn(table, target) as { values: Float64Array }).values;
  let rows = 0;
  for (let r = 0; r < table.rowCount; r++) if (Number.isFinite(values[r])) rows++;
  if (rows < MIN_USABLE_ROWS) {
    throw new DataError(
      'tooFewRowsFile',
      `This file has ${rows} usable row(s); the LSTM needs at least ${MIN_USABLE_ROWS} (one window to train on and one to test, even with a sequence length of 1).`,
      { rows, needed: MIN_USABLE_ROWS },
    );
  }
}

export function splitRowFor(config: StockConfig, rows: number): number {
  return config.split.kind === 'rows'
    ? Math.min(rows, Math.max(0, Math.round(config.split.rows)))
    : Math.round(rows * Math.min(1, Math.max(0, config.split.fraction)));
}

export function prepareStockDataset(table: Table, config: StockConfig): StockDataset {
  const { features, target } = resolveColumns(table, config);
  const names = [...features, target];
  const cols = names.map((n) => (getColumn(table, n) as { values: Float64Array }).values);
  const dateCol = table.dateColumn ? getColumn(table, table.dateColumn) : undefined;
  let kept: number[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    if (cols.every((c) => Number.isFinite(c[r]))) kept.push(r);
  }
  // Rows left out for a missing value (not those cut by lastRows).
  const dropped = table.rowCount - kept.length;
  // "Train on the last N rows": a long file's most recent stretch.
  if (config.lastRows && config.lastRows > 0 && kept.length > config.lastRows) {
    kept = kept.slice(kept.length - config.lastRows);
  }
  const rows = kept.length;
  const gather = (src: Float64Array) => Float64Array.from(kept, (r) => src[r]);
  const featureCols = features.map((_, k) => gather(cols[k]));
  const targetRaw = gather(cols[cols.length - 1]);
  const dates = dateCol && dateCol.kind === 'date' ? gather(dateCol.values) : null;

  const spec = { seqLen: config.seqLen, horizon: config.horizon };
  const splitRow = splitRowFor(config, rows);
  const needed = config.seqLen + config.horizon + 1;
  const trainWindows = windowCount(splitRow, spec);
  const testWindows = windowCount(rows, spec) - trainWindows;
  if (rows < needed || trainWindows < 1 || testWindows < 1) {
    throw new DataError(
      'tooFewRows',
      `This setup needs more rows: ${rows} usable row(s) (${dropped} dropped for missing values), split at row ${splitRow}, give ${Math.max(0, trainWindows)} training and ${Math.max(0, testWindows)} test window(s) of ${config.seqLen} step(s) + horizon ${config.horizon}. ${config.seqLen > 1 || config.horizon > 0 ? 'Use a longer file, a shorter window or another split.' : 'Move the split so both sides keep rows, or use a longer file.'}`,
      {
        rows,
        dropped,
        splitRow,
        trainWindows: Math.max(0, trainWindows),
        testWindows: Math.max(0, testWindows),
        seqLen: config.seqLen,
        horizon: config.horizon,
      },
    );
  }
  const fitRows = config.scaleFit === 'all' ? rows : splitRow;
  const xMatrix = matrixFromColumns(featureCols, rows);
  const xScaler = fitStandardScaler(xMatrix, fitRows);
  const xs = scalerTransform(xScaler, xMatrix);
  // A change is measured from the last value known when the window was read (horizon rows
  // back), the same value "tomorrow = today" repeats.
  const targetKind: TargetKind =
    config.horizon >= 1 && (config.targetKind === 'change' || config.targetKind === 'logReturn')
      ? config.targetKind
      : 'price';
  const lag = Math.max(1, config.horizon);
  if (targetKind === 'logReturn') {
    for (let r = 0; r < rows; r++) {
      if (!(targetRaw[r] > 0)) {
        throw new DataError(
          'badConfig',
          `A log return needs positive values, but "${target}" is ${targetRaw[r]} at row ${r + 1}. Predict the price or the daily change instead.`,
          { column: target },
        );
      }
    }
  }
  const modelTarget =
    targetKind === 'price'
      ? targetRaw
      : Float64Array.from(targetRaw, (v, r) =>
          r < lag ? NaN : toModelTarget(targetKind, v, targetRaw[r - lag]),
        );
  // The target scaler learns from rows that have a value (changes start `lag` rows in).
  const from = targetKind === 'price' ? 0 : lag;
  const yMatrix = matrixFromColumns([modelTarget.subarray(from)], rows - from);
  const yScaler = fitMinMaxScaler(yMatrix, Math.max(1, fitRows - from));
  const ys = new Float64Array(rows).fill(NaN);
  ys.set(scalerTransform(yScaler, yMatrix).data, from);
  const all = makeWindows(xs, ys, spec);
  const train = pickWindows(all, (k) => all.targetRow[k] < splitRow);
  const test = pickWindows(all, (k) => all.targetRow[k] >= splitRow);
  return {
    features,
    target,
    rows,
    dropped,
    dates,
    targetRaw,
    targetKind,
    lag,
    splitRow,
    xScaler,
    yScaler,
    train,
    test,
    all,
  };
}

/**
 * Full batch (batch size 0) is the seed's choice for 200 rows. On a large file one step would be
 * one long uninterruptible pass (and on a GPU, one tensor of every window): refused with a
 * sentence that says what to choose instead.
 */
export const FULL_BATCH_MAX_WINDOWS = 50_000;

export function checkFullBatch(ds: StockDataset, config: StockConfig): void {
  if (config.batchSize === 0 && ds.train.count > FULL_BATCH_MAX_WINDOWS) {
    throw new DataError(
      'fullBatchTooBig',
      `Full batch (batch size 0) would put all ${ds.train.count} training windows in one step; up to ${FULL_BATCH_MAX_WINDOWS} fit. Choose a batch size such as 32, or train on fewer rows.`,
      { windows: ds.train.count, max: FULL_BATCH_MAX_WINDOWS },
    );
  }
}

/** A level → what the network learns: the level, its change, or its log return. */
export function toModelTarget(kind: TargetKind, value: number, base: number): number {
  if (kind === 'change') return value - base;
  if (kind === 'logReturn') return Math.log(value / base);
  return value;
}

/** The inverse: a predicted change or log return on top of the last known value → a level. */
export function fromModelTarget(kind: TargetKind, predicted: number, base: number): number {
  if (kind === 'change') return base + predicted;
  if (kind === 'logReturn') return base * Math.exp(predicted);
  return predicted;
}

/**
 * Scaled predictions of windows [from, from + n) of `w` in the target's own units: the
 * MinMaxScaler's inverse, then (for changes) added to the value each window last knew.
 */
export function unscaleTarget(
  ds: StockDataset,
  scaled: ArrayLike<number>,
  w: Windows = ds.all,
  from = 0,
): Float64Array {
  const s = ds.yScaler;
  return Float64Array.from(scaled, (v, j) => {
    const model = (v - s.min[0]) / s.scale[0];
    if (ds.targetKind === 'price') return model;
    const base = ds.targetRaw[w.targetRow[from + j] - ds.lag];
    return fromModelTarget(ds.targetKind, model, base);
  });
}

/** "Tomorrow = today": the last target value known when the window was read. */
export function naivePrediction(ds: StockDataset, w: Windows, horizon: number): Float64Array {
  const lag = Math.max(1, horizon);
  return Float64Array.from(w.targetRow, (r) => ds.targetRaw[Math.max(0, r - lag)]);
}

export interface StockEvaluation {
  model: RegressionMetrics;
  naive: RegressionMetrics;
  /**
   * Share (0..1) of the test rows that went up, of those that moved: what "always up" scores on
   * direction, the bar beside a coin flip's 50 %.
   */
  upShare: number;
  /** True when the model's test RMSE is below the naive baseline's. */
  beatsNaive: boolean;
}

/** Test metrics in price units for a model's scaled test predictions and for the naive baseline. */
export function evaluateStock(
  ds: StockDataset,
  horizon: number,
  scaledTestPred: ArrayLike<number>,
): StockEvaluation {
  const pred = unscaleTarget(ds, scaledTestPred, ds.test);
  const actual = Float64Array.from(ds.test.targetRow, (r) => ds.targetRaw[r]);
  const naive = naivePrediction(ds, ds.test, horizon);
  const model = regressionMetrics(pred, actual, naive);
  // "Tomorrow = today" never predicts a move, so its direction accuracy is undefined, not 0.
  const base = { ...regressionMetrics(naive, actual, naive), directionAccuracy: NaN };
  return {
    model,
    naive: base,
    upShare: upShare(actual, naive),
    beatsNaive: model.rmse < base.rmse,
  };
}
