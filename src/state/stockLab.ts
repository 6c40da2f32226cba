import { create } from 'zustand';
import {
  RECIPES,
  checkTrainable,
  distinctText,
  resampleDaily,
  fitSplitToRows,
  parseStockModel,
  syntheticStockTable,
  type ImportedStockModel,
  type StateDict,
  type StockConfig,
  type StockRecipe,
  type Table,
} from '../core/index';
import { CsvParseError, parseCsvInWorker } from '../worker/csvClient';
import { trainingClient } from './engine';
import type { FromWorker, ProgressMessage } from '../worker/protocol';
import { reduceRun, type RunView } from './runReducer';
import {
  BUNDLED_NAMES,
  BUNDLED_URLS,
  addSnapshot,
  columnsFor,
  configForImport,
  messageOf,
  setupForNewData,
  splitNotice,
  tickerRows,
  type DatasetSource,
  type LoadedData,
  type RecipeChoice,
  type SavedModel,
  type UiMessage,
} from './stockSetup';

export * from './stockSetup';

export type { LossPoint, RunStatus, RunView } from './runReducer';

const UI_UPDATE_MS = 250;
export const DEFAULT_SPEED = 10;

/**
 * The Stock lab's state: the loaded data, the setup, the current run as the worker reports it,
 * and the last good model. A refused file or a failed run never clears what is already here.
 */
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

let dataKey = 0;

const blobName = (file: Blob & { name?: string }, fallback: string) => file.name ?? fallback;

export const useStockLab = create<StockLabState & StockLabActions>((set, get) => {
  let subscribed = false;
  /** The run shown before the current one was started, restored if the new one is refused. */
  let previousRun: RunView | null = null;

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
    // Every queued message in order, through the same reducer as any other message.
    const next = msgs.reduce(reduceRun, r);
    if (next !== r) set({ run: next });
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
    if (msg.type === 'progress') {
      queueProgress(msg);
      return;
    }
    if (msg.type === 'checkpoint') {
      const series = r.series;
      set({
        snapshots: addSnapshot(get().snapshots, { epoch: msg.epoch, stateDict: msg.stateDict }),
        model: {
          epoch: msg.epoch,
          stateDict: msg.stateDict,
          config: r.config,
          series,
          runId: r.runId,
          predictions: msg.predictions ?? null,
        },
      });
    }
    if (msg.type === 'failed') {
      const runError = {
        kind: msg.kind,
        code: msg.code ?? msg.kind,
        params: msg.params ?? {},
        message: msg.message,
      };
      // A refused setup never started: the charts of the run before stay on screen.
      if (msg.kind === 'data') {
        set({ run: previousRun, runError });
        return;
      }
      set({ runError });
    }
    set({ run: reduceRun(r, msg) });
  };

  const client = () => {
    const c = trainingClient();
    if (!subscribed) {
      c.subscribe(onMessage);
      subscribed = true;
    }
    return c;
  };

  const setData = (data: Omit<LoadedData, 'key'>) => {
    const { config, setupNotice } = setupForNewData(data.table, get().config, get().recipe);
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
      if (source === 'sbux') get().applyRecipe('seed'); // as the seed notes set it up
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
        const config = configForImport(model, get().data?.table ?? null, get().config);
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
