import type { StockConfig } from './stockConfig';

/** One setting that differs between two runs, as plain values a sentence can name. */
export interface SettingChange {
  key:
    | 'dataset'
    | 'features'
    | 'target'
    | 'targetKind'
    | 'seqLen'
    | 'horizon'
    | 'lastRows'
    | 'split'
    | 'scaleFit'
    | 'hiddenSize'
    | 'numLayers'
    | 'headSize'
    | 'learningRate'
    | 'epochs'
    | 'batchSize'
    | 'seed';
  from: string;
  to: string;
}

/** What a run is, for comparing it with another: its file and its setup. */
export interface RunSetup {
  dataset: string;
  config: StockConfig;
}

const splitText = (s: StockConfig['split']) =>
  s.kind === 'rows' ? `${s.rows} rows` : `${Math.round(s.fraction * 100)}%`;

/** Each comparable setting written the same way for both runs. */
function settings(r: RunSetup): Record<SettingChange['key'], string> {
  const c = r.config;
  return {
    dataset: r.dataset,
    features: c.features.join(', '),
    target: c.target,
    targetKind: c.targetKind ?? 'price',
    seqLen: String(c.seqLen),
    horizon: String(c.horizon),
    lastRows: c.lastRows ? String(c.lastRows) : 'all',
    split: splitText(c.split),
    scaleFit: c.scaleFit,
    hiddenSize: String(c.hiddenSize),
    numLayers: String(c.numLayers),
    headSize: String(c.headSize),
    learningRate: String(c.learningRate),
    epochs: String(c.epochs),
    batchSize: String(c.batchSize),
    seed: String(c.seed),
  };
}

/** The settings in which `b` differs from `a` (the run before it), in a fixed order. */
export function runDiff(a: RunSetup, b: RunSetup): SettingChange[] {
  const sa = settings(a);
  const sb = settings(b);
  return (Object.keys(sa) as SettingChange['key'][])
    .filter((k) => sa[k] !== sb[k])
    .map((key) => ({ key, from: sa[key], to: sb[key] }));
}

/**
 * Why two runs' losses (MSE of the scaled target) cannot be compared, or null when they can:
 * another file or target, another kind of target, or scalers fitted on other rows put their
 * losses on different scales. RMSE and MAE stay comparable on one file and target: they are
 * in the target's own units.
 */
export function lossesIncomparable(
  a: RunSetup,
  b: RunSetup,
): 'dataset' | 'target' | 'targetKind' | 'scaling' | null {
  if (a.dataset !== b.dataset) return 'dataset';
  if (a.config.target !== b.config.target) return 'target';
  if ((a.config.targetKind ?? 'price') !== (b.config.targetKind ?? 'price')) return 'targetKind';
  const rows = (c: StockConfig) =>
    `${c.scaleFit}|${c.scaleFit === 'all' ? '' : splitText(c.split)}|${c.lastRows ?? 0}|${c.horizon}|${c.seqLen}`;
  if (rows(a.config) !== rows(b.config)) return 'scaling';
  return null;
}
