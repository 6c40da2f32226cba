import { windowCount } from '../data/windows';
import type { StockConfig } from './stockConfig';

/** The split a setup falls back to when a row count does not fit a file: the first 80 % train. */
export const DEFAULT_SPLIT_FRACTION = 0.8;

/** What changed when a split by row count did not fit the file, for the sentence that says so. */
export interface SplitChange {
  /** The row count asked for (the old file's split, or a recipe's). */
  askedRows: number;
  /** The file's rows. */
  rows: number;
  /** Rows that train now, and their share. */
  trainRows: number;
  percent: number;
}

/** True when splitting `rows` rows at `splitRow` leaves at least one training and one test window. */
export function splitFits(config: StockConfig, rows: number, splitRow: number): boolean {
  const spec = { seqLen: config.seqLen, horizon: config.horizon };
  const train = windowCount(splitRow, spec);
  return train >= 1 && windowCount(rows, spec) - train >= 1;
}

/**
 * A split by row count belongs to the file it was made for. On a file where it leaves no test
 * (or no training) window, the setup falls back to the default fraction, and the change is
 * returned so the page can say it. A fraction split always carries over.
 */
export function fitSplitToRows(
  config: StockConfig,
  rows: number,
): { config: StockConfig; change: SplitChange | null } {
  if (config.split.kind !== 'rows') return { config, change: null };
  const asked = Math.round(config.split.rows);
  if (splitFits(config, rows, Math.min(rows, Math.max(0, asked)))) return { config, change: null };
  const trainRows = Math.round(rows * DEFAULT_SPLIT_FRACTION);
  return {
    config: { ...config, split: { kind: 'fraction', fraction: DEFAULT_SPLIT_FRACTION } },
    change: {
      askedRows: asked,
      rows,
      trainRows,
      percent: Math.round(100 * DEFAULT_SPLIT_FRACTION),
    },
  };
}
