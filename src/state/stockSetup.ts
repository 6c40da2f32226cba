import {
  DEFAULT_SPLIT_FRACTION,
  RECIPES,
  filterRows,
  fitSplitToRows,
  getColumn,
  matchColumns,
  numberColumns,
  resolveColumns,
  splitRowFor,
  type ImportedStockModel,
  type StateDict,
  type StockConfig,
  type StockRecipe,
  type StockSeries,
  type Table,
} from '../core/index';
import { CsvParseError } from '../worker/csvClient';

/** The Stock lab's data and setup, as pure functions the store calls (and tests can). */

export type DatasetSource = 'upload' | 'sbux' | 'sp500' | 'stocks' | 'synthetic';

export interface LoadedData {
  /** Changes on every load, so views can reset per-dataset state. */
  key: number;
  name: string;
  source: DatasetSource;
  /** The rows that train (for a multi-ticker file: one ticker's). */
  table: Table;
  /** A multi-ticker file as loaded, and its tickers. */
  full?: Table;
  symbols?: string[];
  symbol?: string;
}

/** A message for the user: a code to translate, its values, and the English fallback. */
export interface UiMessage {
  code: string;
  params: Record<string, string | number>;
  message: string;
}

export interface SavedModel {
  epoch: number;
  stateDict: StateDict;
  config: StockConfig;
  series: StockSeries | null;
  /** The run these weights came from (null for one restored from an older save). */
  runId?: number | null;
  /** Every window's prediction from these weights (the charts and metrics of this epoch). */
  predictions?: number[] | null;
}

export type RecipeChoice = StockRecipe | 'custom';

export const BUNDLED_URLS: Record<'sbux' | 'sp500' | 'stocks', string> = {
  // The seed notes' own file (public/datasets; the same bytes as src/test/reference/data).
  sbux: './datasets/SBUX.csv',
  sp500: './datasets/sp500-2000.csv',
  stocks: './datasets/stocks.csv',
};

export const BUNDLED_NAMES: Record<Exclude<DatasetSource, 'upload'>, string> = {
  sbux: 'Starbucks 2019–2020 (SBUX.csv)',
  sp500: 'S&P 500 2000–2020 (sp500-2000.csv)',
  stocks: 'stocks.csv',
  synthetic: 'Synthetic trend + seasonality',
};

/** Explicit features and target for a table: the recipe's own columns where the file has them. */
export function columnsFor(
  table: Table,
  config: StockConfig,
): { features: string[]; target: string } {
  const names = matchColumns(table, [...config.features, config.target]);
  const numeric = (n: string | null) => n !== null && getColumn(table, n)?.kind === 'number';
  if (config.features.length > 0 && config.target && names.every(numeric)) {
    return { features: names.slice(0, -1) as string[], target: names[names.length - 1]! };
  }
  return resolveColumns(table, { ...config, features: [], target: '' });
}

export function messageOf(e: unknown): UiMessage {
  if (e instanceof CsvParseError) return { code: e.code, params: e.params, message: e.message };
  const err = e as { code?: string; params?: Record<string, string | number>; message?: string };
  return {
    code: err.code ?? 'unreadable',
    params: err.params ?? { detail: String(err.message ?? e) },
    message: err.message ?? String(e),
  };
}

/**
 * A new file resets what belonged to the old one: a named recipe is laid anew on it (its
 * columns, its split), a custom setup keeps its network but loses the old file's columns and
 * any split by row count. Run length and seed stay, as they do when a recipe is picked.
 */
export function setupForNewData(
  table: Table,
  config: StockConfig,
  recipe: RecipeChoice,
): { config: StockConfig; setupNotice: UiMessage | null } {
  const base: StockConfig =
    recipe === 'custom'
      ? config.split.kind === 'rows'
        ? { ...config, split: { kind: 'fraction', fraction: DEFAULT_SPLIT_FRACTION } }
        : config
      : { ...RECIPES[recipe], epochs: config.epochs, seed: config.seed };
  const cols = columnsFor(table, recipe === 'custom' ? RECIPES.window : base);
  const wasRowSplit = recipe === 'custom' && config.split.kind === 'rows';
  const fitted = fitSplitToRows({ ...base, ...cols }, table.rowCount);
  const change = fitted.change;
  let setupNotice: UiMessage | null = null;
  if (change) setupNotice = splitNotice(change.askedRows, table.rowCount, change.trainRows);
  else if (wasRowSplit && config.split.kind === 'rows')
    setupNotice = splitNotice(
      config.split.rows,
      table.rowCount,
      splitRowFor(fitted.config, table.rowCount),
    );
  return { config: fitted.config, setupNotice };
}

/** The setup an imported model implies: its shape, its columns where this file has them. */
export function configForImport(
  model: ImportedStockModel,
  table: Table | null,
  current: StockConfig,
): StockConfig {
  const patch: Partial<StockConfig> = {
    hiddenSize: model.shape.hiddenSize,
    numLayers: model.shape.numLayers,
    headSize: model.shape.headSize,
  };
  const config = { ...current, ...(model.config ?? {}), ...patch };
  if (table && model.features) {
    const found = matchColumns(table, [...model.features, model.target ?? '']);
    if (found.slice(0, -1).every((n) => n !== null)) {
      config.features = found.slice(0, -1) as string[];
      if (found[found.length - 1]) config.target = found[found.length - 1]!;
    }
  }
  if (table && config.features.length !== model.shape.inputSize) {
    // A bare state_dict names no columns: take the first numeric columns that fit.
    const numeric = numberColumns(table).map((c) => c.name);
    config.features = numeric.slice(0, model.shape.inputSize);
  }
  return config;
}

/** "The split of 200 rows does not fit this file's 120 rows: the first 96 rows (80 %) train." */
export function splitNotice(askedRows: number, rows: number, trainRows: number): UiMessage {
  const percent = rows ? Math.round((100 * trainRows) / rows) : 0;
  return {
    code: 'splitReset',
    params: { asked: askedRows, rows, train: trainRows, percent },
    message: `The split at row ${askedRows} belonged to another file or does not fit this file's ${rows} rows: the first ${trainRows} rows (${percent} %) train now.`,
  };
}

export function tickerRows(table: Table, symbol: string): Table {
  const col = getColumn(table, 'symbol');
  if (!col || col.kind !== 'text') return table;
  return filterRows(table, (r) => col.values[r] === symbol);
}

const MAX_SNAPSHOTS = 120;

/** Keeps at most MAX_SNAPSHOTS, spread over the whole run: when full, every other one goes. */
export function addSnapshot(
  list: { epoch: number; stateDict: StateDict }[],
  snap: { epoch: number; stateDict: StateDict },
): { epoch: number; stateDict: StateDict }[] {
  // Ordered by epoch: an older checkpoint re-sent after a divergence goes in its place.
  const rest = list.filter((s) => s.epoch !== snap.epoch);
  const kept = rest.length >= MAX_SNAPSHOTS ? rest.filter((_, k) => k % 2 === 1) : rest;
  return [...kept, snap].sort((a, b) => a.epoch - b.epoch);
}
