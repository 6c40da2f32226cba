/**
 * The Stock lab's whole setup as one plain, serialisable object: the UI edits it, the URL
 * carries it, the worker and the CLI run it.
 */
export interface StockConfig {
  /** Input feature columns; empty means "the recipe's defaults for this file". */
  features: string[];
  /** Target column; empty means the detected close column. */
  target: string;
  /** Steps per input window. */
  seqLen: number;
  /** 0 = predict the last input row's own target (the seed), 1 = the next row, … */
  horizon: number;
  /** Train on only the last this many rows of the file (absent or 0: all of them). */
  lastRows?: number;
  /** Rows (counted from the start, in date order) used for training. */
  split: { kind: 'rows'; rows: number } | { kind: 'fraction'; fraction: number };
  /**
   * What the network predicts: the target's level ('price'), its change since the last known
   * value ('change'), or the log of their ratio ('logReturn'). Predictions are turned back into
   * the target's own units for charts and metrics. Changes need a horizon ≥ 1. Absent: 'price'.
   */
  targetKind?: TargetKind;
  /** Fit the scalers on the training rows only, or on all rows (the seed's leak). */
  scaleFit: 'train' | 'all';
  hiddenSize: number;
  numLayers: number;
  headSize: number;
  learningRate: number;
  epochs: number;
  /** Mini-batch size; 0 = the whole training set at once (the seed). */
  batchSize: number;
  seed: number;
}

export type StockRecipe = 'seed' | 'window';

export type TargetKind = 'price' | 'change' | 'logReturn';

/** The seed's Starbucks setup, exactly: same-row volume from five price columns. */
export const SEED_RECIPE: StockConfig = {
  features: ['Open', 'High', 'Low', 'Close', 'Adj Close'],
  target: 'Volume',
  seqLen: 1,
  horizon: 0,
  split: { kind: 'rows', rows: 200 },
  scaleFit: 'all',
  hiddenSize: 2,
  numLayers: 1,
  headSize: 128,
  learningRate: 1e-4,
  epochs: 1000,
  batchSize: 0,
  seed: 0,
};

/** An honest forecast: 20 days of prices → tomorrow's close, scalers fitted on training rows. */
export const NEXT_DAY_RECIPE: StockConfig = {
  features: [],
  target: '',
  seqLen: 20,
  horizon: 1,
  // Changes stay in the range training saw, even when prices leave it.
  targetKind: 'logReturn',
  split: { kind: 'fraction', fraction: 0.8 },
  scaleFit: 'train',
  hiddenSize: 16,
  numLayers: 1,
  headSize: 128,
  learningRate: 3e-3,
  epochs: 100,
  batchSize: 32,
  seed: 0,
};

export const RECIPES: Record<StockRecipe, StockConfig> = {
  seed: SEED_RECIPE,
  window: NEXT_DAY_RECIPE,
};
