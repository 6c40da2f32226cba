import { useEffect } from 'react';
import type { StockConfig } from '../../core/index';
import { useStockLab, type DatasetSource } from '../../state/stockLab';

/**
 * The Stock lab's setup in the URL, so a teacher can share a link that opens the same bundled
 * dataset, recipe and settings (uploads stay on the uploader's machine, so they never appear).
 */
const BUNDLED: DatasetSource[] = ['synthetic', 'sbux', 'sp500', 'stocks'];

type Field = [param: string, key: keyof StockConfig, kind: 'int' | 'num' | 'list' | 'text'];
const FIELDS: Field[] = [
  ['f', 'features', 'list'],
  ['t', 'target', 'text'],
  ['w', 'seqLen', 'int'],
  ['h', 'horizon', 'int'],
  ['tk', 'targetKind', 'text'],
  ['hid', 'hiddenSize', 'int'],
  ['lay', 'numLayers', 'int'],
  ['lr', 'learningRate', 'num'],
  ['ep', 'epochs', 'int'],
  ['bs', 'batchSize', 'int'],
  ['seed', 'seed', 'int'],
];
const SETUP_PARAMS = ['ds', 'sym', 'recipe', 'split', 'fit', ...FIELDS.map((f) => f[0])];

export function setupToParams(
  source: DatasetSource,
  symbol: string | undefined,
  recipe: string,
  c: StockConfig,
): URLSearchParams {
  const p = new URLSearchParams();
  p.set('ds', source);
  if (symbol) p.set('sym', symbol);
  p.set('recipe', recipe);
  p.set('split', c.split.kind === 'rows' ? String(c.split.rows) : `${c.split.fraction * 100}%`);
  p.set('fit', c.scaleFit);
  for (const [param, key, kind] of FIELDS) {
    const v = c[key];
    p.set(param, kind === 'list' ? (v as string[]).join(',') : String(v));
  }
  return p;
}

/** A config patch from URL parameters; invalid values are ignored, not guessed. */
export function paramsToConfig(p: URLSearchParams): Partial<StockConfig> {
  const out: Partial<StockConfig> = {};
  for (const [param, key, kind] of FIELDS) {
    const raw = p.get(param);
    if (raw === null) continue;
    if (kind === 'list') (out as Record<string, unknown>)[key] = raw.split(',').filter(Boolean);
    else if (kind === 'text') (out as Record<string, unknown>)[key] = raw;
    else {
      const n = Number(raw);
      if (Number.isFinite(n) && n >= 0 && (kind === 'num' || Number.isInteger(n))) {
        (out as Record<string, unknown>)[key] = n;
      }
    }
  }
  const split = p.get('split');
  if (split?.endsWith('%')) {
    const f = Number(split.slice(0, -1)) / 100;
    if (f > 0 && f < 1) out.split = { kind: 'fraction', fraction: f };
  } else if (split && Number.isInteger(Number(split)) && Number(split) > 0) {
    out.split = { kind: 'rows', rows: Number(split) };
  }
  const fit = p.get('fit');
  if (fit === 'train' || fit === 'all') out.scaleFit = fit;
  return out;
}

let applied = false;

/** On the first visit of the page: open the dataset and setup a shared link names. */
export function applySetupFromUrl(search: string): boolean {
  if (applied) return false;
  applied = true;
  const p = new URLSearchParams(search);
  const ds = p.get('ds') as DatasetSource | null;
  if (!ds || ds === 'upload' || !BUNDLED.includes(ds)) return false;
  const s = useStockLab.getState();
  // A reload of this very setup: what was saved (history, model) is already back.
  if (s.data?.source === ds && (p.get('sym') ?? undefined) === s.data.symbol) return true;
  void s.loadBundled(ds as Exclude<DatasetSource, 'upload'>).then(() => {
    const st = useStockLab.getState();
    const sym = p.get('sym');
    if (sym && st.data?.symbols?.includes(sym)) st.pickSymbol(sym);
    const recipe = p.get('recipe');
    if (recipe === 'seed' || recipe === 'window') useStockLab.getState().applyRecipe(recipe);
    const patch = paramsToConfig(p);
    useStockLab.setState((cur) => ({
      config: { ...cur.config, ...patch },
      recipe: recipe === 'seed' || recipe === 'window' ? recipe : 'custom',
    }));
  });
  return true;
}

/** Keeps the address bar in step with the setup (replaceState: no history entries). */
export function useSyncSetupToUrl(): void {
  const data = useStockLab((s) => s.data);
  const config = useStockLab((s) => s.config);
  const recipe = useStockLab((s) => s.recipe);
  useEffect(() => {
    const url = new URL(location.href);
    for (const k of SETUP_PARAMS) url.searchParams.delete(k);
    if (data && data.source !== 'upload') {
      for (const [k, v] of setupToParams(data.source, data.symbol, recipe, config)) {
        url.searchParams.set(k, v);
      }
    }
    if (url.href !== location.href) history.replaceState(history.state, '', url.href);
  }, [data, config, recipe]);
}
