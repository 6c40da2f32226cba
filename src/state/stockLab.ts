import { create } from 'zustand';
import {
  RECIPES,
  checkTrainable,
  distinctText,
  resampleDaily,
  evaluateSeries,
  DEFAULT_SPLIT_FRACTION,
  filterRows,
  fitSplitToRows,
  getColumn,
  matchColumns,
  numberColumns,
  parseStockModel,
  resolveColumns,
  splitRowFor,
  syntheticStockTable,
  type ImportedStockModel,
  type StateDict,
  type StockConfig,
  type StockEvaluation,
  type StockRecipe,
  type StockSeries,
  type Table,
} from '../core/index';
import { CsvParseError, parseCsvInWorker } from '../worker/csvClient';
import { trainingClient } from './engine';
import type { FromWorker, GateSnapshot, ProgressMessage } from '../worker/protocol';

const UI_UPDATE_MS = 250;
export const DEFAULT_SPEED = 10;

/**
 * The Stock lab's state: the loaded data, the setup, the current run as the worker reports it,
 * and the last good model. A refused file or a failed run never clears what is already here.
 */
export type DatasetSource = 'upload' | 'sp500' | 'stocks' | 'synthetic';

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

export type RunStatus = 'starting' | 'running' | 'paused' | 'stopped' | 'finished';

export interface LossPoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

export interface RunView {
  runId: number;
  status: RunStatus;
  config: StockConfig;
  dataKey: number;
  epoch: number;
  history: LossPoint[];
  series: StockSeries | null;
  predictions: number[] | null;
  evaluation: StockEvaluation | null;
  gates: GateSnapshot | null;
  epochsPerSecond: number;
  memory: { numTensors: number; numBytes: number } | null;
  /** Where the run stands inside an epoch: after "Step batch", in a long epoch, or paused mid-epoch. */
  batch: { index: number; count: number; loss: number; eta?: number } | null;
  /** Set when an epoch would take over a minute here: the run paused itself to ask. */
  slow: { secondsPerEpoch: number; batches: number; rows: number } | null;
  /** The epoch the run started from (an imported or resumed model's, else 0). */
  startEpoch?: number;
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

interface StockLabState {
  data: LoadedData | null;
  loading: { name: string; fraction: number; rows: number } | null;
  dataError: UiMessage | null;
  recipe: RecipeChoice;
  config: StockConfig;
  run: RunView | null;
  runError: (UiMessage & { kind: string }) | null;
  /** The last good weights (a checkpoint of the current or an earlier run). */
  model: SavedModel | null;
  /** Weights saved during the current run (about one a second, thinned), for time travel. */
  snapshots: { epoch: number; stateDict: StateDict }[];
  /** An imported model waiting to be trained further or inspected. */
  imported: (ImportedStockModel & { name: string }) | null;
  gateSample: number;
  maxEpochsPerSecond: number | null;
  /** A run was cut short by a reload; it can resume from its last checkpoint. */
  interrupted: boolean;
  /** What the setup changed by itself for the current file (a split that did not fit), said once. */
  setupNotice: UiMessage | null;
}

interface StockLabActions {
  loadFile(file: Blob & { name?: string }): Promise<void>;
  loadBundled(source: Exclude<DatasetSource, 'upload'>): Promise<void>;
  pickSymbol(symbol: string): void;
  applyRecipe(recipe: StockRecipe): void;
  setConfig(patch: Partial<StockConfig>): void;
  /** Starts a run; `slowOk` when the user already chose to train however long an epoch takes. */
  train(opts?: { slowOk?: boolean }): void;
  pause(): void;
  resume(): void;
  stop(): void;
  stepEpoch(): void;
  stepBatch(): void;
  setSpeed(maxEpochsPerSecond: number | null): void;
  /** After the slow-epoch question: train on only the last `rows` rows. */
  trainLastRows(rows: number): void;
  /** After the slow-epoch question: intraday bars to one row per day, then train on those. */
  resampleToDays(): void;
  setGateSample(sample: number): void;
  importModel(file: Blob & { name?: string }): Promise<void>;
  dismissRunError(): void;
  resumeInterrupted(): void;
}

export const BUNDLED_URLS: Record<'sp500' | 'stocks', string> = {
  sp500: './datasets/sp500-2000.csv',
  stocks: './datasets/stocks.csv',
};

export const BUNDLED_NAMES: Record<Exclude<DatasetSource, 'upload'>, string> = {
  sp500: 'S&P 500 2000–2020 (sp500-2000.csv)',
  stocks: 'stocks.csv',
  synthetic: 'Synthetic trend + seasonality',
};

let dataKey = 0;

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

function messageOf(e: unknown): UiMessage {
  if (e instanceof CsvParseError) return { code: e.code, params: e.params, message: e.message };
  const err = e as { code?: string; params?: Record<string, string | number>; message?: string };
  return {
    code: err.code ?? 'unreadable',
    params: err.params ?? { detail: String(err.message ?? e) },
    message: err.message ?? String(e),
  };
}

const blobName = (file: Blob & { name?: string }, fallback: string) => file.name ?? fallback;

export const useStockLab = create<StockLabState & StockLabActions>((set, get) => {
  let subscribed = false;
  /** The run shown before the current one was started, restored if the new one is refused. */
  let previousRun: RunView | null = null;

  const patchRun = (runId: number, patch: (r: RunView) => Partial<RunView>) => {
    const r = get().run;
    if (r && r.runId === runId) set({ run: { ...r, ...patch(r) } });
  };

  /**
   * Progress arrives up to ~30 times a second; the page re-renders its charts at most ten
   * times a second, merging what came in between (every epoch's loss is kept).
   */
  let pending: ProgressMessage[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flushProgress = () => {
    flushTimer = null;
    const msgs = pending;
    pending = [];
    const r = get().run;
    if (!r || msgs.length === 0) return;
    patchRun(msgs[0].runId, (run) => {
      let next = { ...run };
      for (const msg of msgs) {
        if (msg.runId !== run.runId) continue;
        next = {
          ...next,
          epoch: Math.max(next.epoch, msg.epoch),
          history: msg.history.length ? [...next.history, ...msg.history] : next.history,
          predictions: msg.predictions ?? next.predictions,
          evaluation:
            msg.predictions && next.series
              ? evaluateSeries(next.series, msg.predictions)
              : next.evaluation,
          gates: msg.gates ?? next.gates,
          // The rate of the last running seconds, as the worker measures it (0 when not running).
          epochsPerSecond: msg.epochsPerSecond,
          memory: msg.memory ?? next.memory,
          // null says "at an epoch's end"; absent keeps what was shown until an epoch ends.
          batch: msg.batch !== undefined ? msg.batch : msg.history.length ? null : next.batch,
        };
      }
      return next;
    });
  };
  const queueProgress = (msg: ProgressMessage) => {
    pending.push(msg);
    flushTimer ??= setTimeout(flushProgress, UI_UPDATE_MS);
  };

  const onMessage = (msg: FromWorker) => {
    // Anything else about the run applies after the progress that came before it.
    if (msg.type !== 'progress' && pending.length > 0) {
      if (flushTimer) clearTimeout(flushTimer);
      flushProgress();
    }
    const r = get().run;
    if (!r || msg.runId !== r.runId) return;
    switch (msg.type) {
      case 'dataset':
        patchRun(r.runId, () => ({ series: msg.series }));
        break;
      case 'progress':
        queueProgress(msg);
        break;
      case 'state':
        patchRun(r.runId, (run) => ({
          status: run.status === 'finished' && msg.state === 'stopped' ? 'finished' : msg.state,
          epochsPerSecond: msg.state === 'running' ? run.epochsPerSecond : 0,
          slow: msg.state === 'running' ? null : run.slow,
        }));
        break;
      case 'slow':
        patchRun(r.runId, () => ({
          slow: { secondsPerEpoch: msg.secondsPerEpoch, batches: msg.batches, rows: msg.rows },
        }));
        break;
      case 'finished':
        patchRun(r.runId, () => ({
          status: 'finished',
          epoch: msg.epoch,
          evaluation: msg.evaluation,
          predictions: msg.predictions,
          epochsPerSecond: 0,
          batch: null,
        }));
        break;
      case 'checkpoint': {
        const series = get().run?.series ?? null;
        const predictions = msg.predictions ?? null;
        set({
          snapshots: addSnapshot(get().snapshots, { epoch: msg.epoch, stateDict: msg.stateDict }),
          model: {
            epoch: msg.epoch,
            stateDict: msg.stateDict,
            config: r.config,
            series,
            runId: r.runId,
            predictions,
          },
        });
        // Charts and metrics show the weights of this checkpoint.
        if (predictions) {
          patchRun(r.runId, () => ({
            predictions,
            evaluation: series ? evaluateSeries(series, predictions) : null,
          }));
        }
        break;
      }
      case 'failed': {
        const runError = {
          kind: msg.kind,
          code: msg.code ?? msg.kind,
          params: msg.params ?? {},
          message: msg.message,
        };
        if (msg.kind === 'data') {
          // The run never started: the charts of the run before stay on screen.
          set({ run: previousRun, runError });
        } else if (msg.kind === 'engine' && msg.recoverable) {
          set({ runError }); // the worker restarts the run on the next engine
        } else {
          set({ runError });
          patchRun(r.runId, () => ({ status: 'stopped' }));
        }
        break;
      }
    }
  };

  const client = () => {
    const c = trainingClient();
    if (!subscribed) {
      c.subscribe(onMessage);
      subscribed = true;
    }
    return c;
  };

  /**
   * A new file resets what belonged to the old one: a named recipe is laid anew on it (its
   * columns, its split), a custom setup keeps its network but loses the old file's columns and
   * any split by row count. Run length and seed stay, as they do when a recipe is picked.
   */
  const setupForNewData = (
    table: Table,
  ): { config: StockConfig; setupNotice: UiMessage | null } => {
    const { config, recipe } = get();
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
  };

  const setData = (data: Omit<LoadedData, 'key'>) => {
    const { config, setupNotice } = setupForNewData(data.table);
    set({
      data: { ...data, key: ++dataKey },
      loading: null,
      dataError: null,
      config,
      setupNotice,
      run: null,
      runError: null,
      model: null,
      gateSample: 0,
    });
  };

  const parse = async (name: string, run: () => Promise<Table>): Promise<Table | null> => {
    set({ loading: { name, fraction: 0, rows: 0 }, dataError: null });
    try {
      const table = await run();
      // A file no setup could train on is refused now, and what was loaded stays.
      checkTrainable(table);
      return table;
    } catch (e) {
      if (e instanceof CsvParseError && e.code === 'cancelled') return null;
      set({ loading: null, dataError: messageOf(e) });
      return null;
    }
  };

  const progress = (name: string) => (fraction: number, rows: number) =>
    set({ loading: { name, fraction, rows } });

  return {
    data: null,
    loading: null,
    dataError: null,
    recipe: 'window',
    config: RECIPES.window,
    run: null,
    runError: null,
    model: null,
    snapshots: [],
    imported: null,
    gateSample: 0,
    // A new learner can watch the curves move; "as fast as possible" is one click away.
    maxEpochsPerSecond: DEFAULT_SPEED,
    interrupted: false,
    setupNotice: null,

    async loadFile(file) {
      const name = blobName(file, 'upload.csv');
      const table = await parse(name, () =>
        parseCsvInWorker({ kind: 'file', file }, progress(name)),
      );
      if (table) setData({ name, source: 'upload', table });
    },

    async loadBundled(source) {
      const name = BUNDLED_NAMES[source];
      if (source === 'synthetic') {
        setData({ name, source, table: syntheticStockTable() });
        return;
      }
      const table = await parse(name, () =>
        // Resolved here: inside the worker a relative URL would point next to the worker script.
        parseCsvInWorker(
          { kind: 'url', url: new URL(BUNDLED_URLS[source], document.baseURI).href },
          progress(name),
        ),
      );
      if (!table) return;
      if (source === 'stocks') {
        const symbols = distinctText(table, 'symbol');
        const symbol = symbols.includes('AAPL') ? 'AAPL' : symbols[0];
        setData({ name, source, table: tickerRows(table, symbol), full: table, symbols, symbol });
      } else {
        setData({ name, source, table });
      }
    },

    pickSymbol(symbol) {
      const { data } = get();
      if (!data?.full) return;
      setData({ ...data, table: tickerRows(data.full, symbol), symbol });
    },

    applyRecipe(recipe) {
      const { data } = get();
      const base = RECIPES[recipe];
      if (!data) {
        set({ recipe, config: { ...base, features: [], target: '' }, setupNotice: null });
        return;
      }
      const fitted = fitSplitToRows(
        { ...base, ...columnsFor(data.table, base) },
        data.table.rowCount,
      );
      const change = fitted.change;
      set({
        recipe,
        config: fitted.config,
        setupNotice: change ? splitNotice(change.askedRows, change.rows, change.trainRows) : null,
      });
    },

    setConfig(patch) {
      // Run length and seed do not change what a recipe is; anything else makes it custom.
      const keepsRecipe = Object.keys(patch).every((k) => k === 'epochs' || k === 'seed');
      set((s) => ({
        config: { ...s.config, ...patch },
        recipe: keepsRecipe ? s.recipe : 'custom',
        // A split the user sets is theirs: the note about the one chosen for them has done its job.
        setupNotice: patch.split ? null : s.setupNotice,
      }));
    },

    train(opts = {}) {
      const { data, config, imported, gateSample, maxEpochsPerSecond } = get();
      if (!data) return;
      const c = client();
      previousRun = get().run;
      const resumeFrom = imported
        ? { epoch: imported.epoch, stateDict: imported.stateDict }
        : undefined;
      // The speed travels with the start, so it holds from the first epoch.
      const runId = c.start(config, data.table, {
        resumeFrom,
        gateSample,
        maxEpochsPerSecond,
        slowOk: opts.slowOk,
      });
      set({
        runError: null,
        imported: null,
        interrupted: false,
        snapshots: [],
        run: {
          runId,
          status: 'starting',
          config,
          dataKey: data.key,
          epoch: resumeFrom?.epoch ?? 0,
          startEpoch: resumeFrom?.epoch ?? 0,
          history: [],
          series: null,
          predictions: null,
          evaluation: null,
          gates: null,
          epochsPerSecond: 0,
          memory: null,
          batch: null,
          slow: null,
        },
      });
    },
    pause: () => client().pause(),
    resume: () => client().resume(),
    stop: () => client().stop(),
    stepEpoch: () => client().stepEpoch(),
    stepBatch: () => client().stepBatch(),
    setSpeed(maxEpochsPerSecond) {
      set({ maxEpochsPerSecond });
      if (get().run) client().setSpeed(maxEpochsPerSecond);
    },
    trainLastRows(rows) {
      get().setConfig({ lastRows: rows });
      // The user has chosen: this run goes on however long its epochs take.
      get().train({ slowOk: true });
    },
    resampleToDays() {
      const { data } = get();
      if (!data) return;
      const table = resampleDaily(data.table);
      setData({ name: `${data.name} (${table.rowCount} days)`, source: data.source, table });
    },
    setGateSample(sample) {
      set({ gateSample: sample });
      const r = get().run;
      if (r && r.status !== 'starting') client().recordGates(sample);
    },

    async importModel(file) {
      const name = blobName(file, 'model.json');
      try {
        const model = parseStockModel(await file.text());
        const { data } = get();
        const patch: Partial<StockConfig> = {
          hiddenSize: model.shape.hiddenSize,
          numLayers: model.shape.numLayers,
          headSize: model.shape.headSize,
        };
        const config = { ...get().config, ...(model.config ?? {}), ...patch };
        if (data && model.features) {
          const found = matchColumns(data.table, [...model.features, model.target ?? '']);
          if (found.slice(0, -1).every((n) => n !== null)) {
            config.features = found.slice(0, -1) as string[];
            if (found[found.length - 1]) config.target = found[found.length - 1]!;
          }
        }
        if (data && config.features.length !== model.shape.inputSize) {
          // A bare state_dict names no columns: take the first numeric columns that fit.
          const numeric = numberColumns(data.table).map((c) => c.name);
          config.features = numeric.slice(0, model.shape.inputSize);
        }
        set({ imported: { ...model, name }, config, recipe: 'custom', runError: null });
      } catch (e) {
        set({ runError: { kind: 'import', ...messageOf(e) } });
      }
    },

    dismissRunError: () => set({ runError: null }),

    resumeInterrupted() {
      const { data, model, run, gateSample } = get();
      if (!data || !model || !run) return;
      previousRun = run;
      const runId = client().start(run.config, data.table, {
        resumeFrom: { epoch: model.epoch, stateDict: model.stateDict },
        gateSample,
        maxEpochsPerSecond: get().maxEpochsPerSecond,
        slowOk: true,
      });
      set({
        interrupted: false,
        runError: null,
        // The saved checkpoint is where the new run starts: it belongs to it.
        model: { ...model, runId },
        run: {
          ...run,
          runId,
          status: 'starting',
          epoch: model.epoch,
          startEpoch: model.epoch,
          history: run.history.filter((h) => h.epoch <= model.epoch),
          batch: null,
          slow: null,
        },
      });
    },
  };
});

/** "The split of 200 rows does not fit this file's 120 rows: the first 96 rows (80 %) train." */
function splitNotice(askedRows: number, rows: number, trainRows: number): UiMessage {
  const percent = rows ? Math.round((100 * trainRows) / rows) : 0;
  return {
    code: 'splitReset',
    params: { asked: askedRows, rows, train: trainRows, percent },
    message: `The split at row ${askedRows} belonged to another file or does not fit this file's ${rows} rows: the first ${trainRows} rows (${percent} %) train now.`,
  };
}

function tickerRows(table: Table, symbol: string): Table {
  const col = getColumn(table, 'symbol');
  if (!col || col.kind !== 'text') return table;
  return filterRows(table, (r) => col.values[r] === symbol);
}

const MAX_SNAPSHOTS = 120;

/** Keeps at most MAX_SNAPSHOTS, spread over the whole run: when full, every other one goes. */
function addSnapshot(
  list: { epoch: number; stateDict: StateDict }[],
  snap: { epoch: number; stateDict: StateDict },
): { epoch: number; stateDict: StateDict }[] {
  // Ordered by epoch: an older checkpoint re-sent after a divergence goes in its place.
  const rest = list.filter((s) => s.epoch !== snap.epoch);
  const kept = rest.length >= MAX_SNAPSHOTS ? rest.filter((_, k) => k % 2 === 1) : rest;
  return [...kept, snap].sort((a, b) => a.epoch - b.epoch);
}
