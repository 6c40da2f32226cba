import { clear, createStore, get, set, type UseStore } from 'idb-keyval';
import { useDigits } from './digits';
import { useExplorer } from './explorer';
import { useRace } from './race';
import { evaluateSeries } from '../core/index';
import { useStockLab, type LoadedData, type RunView, type SavedModel } from './stockLab';

/**
 * What the user made survives a reload: the Stock lab's dataset, setup, chart history, model
 * and time-travel snapshots, the digit model trained here, and the explorer's toy and import.
 * Everything lives in this browser's IndexedDB (idb-keyval); if that is missing or full, the
 * app still works and says that progress will not be kept.
 */
import { INITIAL_SEARCH, usePersistence } from './persistStatus';

/** Other changes (setup, explorer) are written a second after they settle. */
const SAVE_MS = 1000;
/** Time-travel snapshots (up to 120 state_dicts) are the heaviest part: written rarely. */
const SNAPSHOTS_EVERY_MS = 30_000;
let lastSnapshotsSave = 0;
let savedSnapshots: unknown = null;
let store: UseStore | null = null;

function openStore(): UseStore | null {
  try {
    if (typeof indexedDB === 'undefined') return null;
    store ??= createStore('lstm-lab', 'state');
    return store;
  } catch {
    return null;
  }
}

function failed(e: unknown): void {
  const name = (e as { name?: string })?.name;
  usePersistence.setState({ status: name === 'QuotaExceededError' ? 'full' : 'unavailable' });
}

async function save(key: string, value: unknown): Promise<boolean> {
  const s = openStore();
  if (!s) return false;
  try {
    await set(key, value, s);
    if (usePersistence.getState().status !== 'ok') usePersistence.setState({ status: 'ok' });
    return true;
  } catch (e) {
    failed(e);
    return false;
  }
}

interface StockSnapshot {
  recipe: string;
  config: unknown;
  run: RunView | null;
  model: SavedModel | null;
  gateSample: number;
}

/** Reads what was saved and puts it back; then keeps saving what changes. */
export async function startPersistence(): Promise<void> {
  const s = openStore();
  if (!s) {
    usePersistence.setState({ status: 'unavailable' });
    return;
  }
  try {
    const [data, stock, snapshots, digits, explorer, race] = await Promise.all([
      get<LoadedData>('stock.data', s),
      get<StockSnapshot>('stock.state', s),
      get<unknown[]>('stock.snapshots', s),
      get<{ train: unknown }>('digits.state', s),
      get<Record<string, unknown>>('explorer.state', s),
      get<Record<string, unknown>>('race.state', s),
    ]);
    // The address bar mirrors the setup, so a reload carries the saved dataset's own `ds`;
    // only a link to another dataset replaces what was saved.
    const url = new URLSearchParams(INITIAL_SEARCH);
    const linked = url.get('ds');
    const sameAsLink =
      !linked || (data?.source === linked && (url.get('sym') ?? undefined) === data?.symbol);
    if (data && sameAsLink && !useStockLab.getState().data) {
      const st = stock?.run?.status;
      // A run that was training when the page went away has no worker behind it now: it
      // shows as stopped, with an offer to resume from its last checkpoint.
      const interrupted = st === 'running' || st === 'starting' || st === 'paused';
      const run = stock?.run
        ? { ...stock.run, status: interrupted ? ('stopped' as const) : stock.run.status }
        : null;
      useStockLab.setState({
        data,
        ...(stock
          ? {
              recipe: stock.recipe as never,
              config: stock.config as never,
              run,
              model: stock.model,
              snapshots: (snapshots ?? []) as never,
              gateSample: stock.gateSample,
            }
          : {}),
        // Resume is offered from a checkpoint of this very run.
        interrupted:
          interrupted &&
          Boolean(stock?.model) &&
          (stock?.model?.runId == null || stock.model.runId === stock.run?.runId),
      });
      if (run) {
        usePersistence.setState({
          savedRun: { runId: run.runId, epoch: run.epoch, status: run.status },
        });
      }
    }
    if (digits?.train) useDigits.setState({ train: digits.train as never });
    if (explorer) useExplorer.setState(explorer as never);
    // The race's curves and gradient history come back; a race that was running shows as stopped.
    if (race) {
      useRace.setState({
        ...(race as object),
        status: race.status === 'running' ? 'stopped' : (race.status as never),
      } as never);
    }
    usePersistence.setState({ status: 'ok' });
  } catch (e) {
    failed(e);
  }
  watch();
}

let timer: ReturnType<typeof setTimeout> | null = null;
let lastDataKey = -1;
let saving: Promise<void> | null = null;
let again = false;

/** A save after a second of quiet; it waits its turn like any other (one write at a time). */
function schedule(): void {
  timer ??= setTimeout(() => {
    timer = null;
    void saveNow();
  }, SAVE_MS);
}

/** Saves now (one write at a time; a request during a write is served right after it). */
function saveNow(final = false): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  if (saving) {
    again = true;
    return saving;
  }
  saving = flush(final).finally(() => {
    saving = null;
    if (again) {
      again = false;
      void saveNow();
    }
  });
  return saving;
}

/**
 * The run as it is saved: one consistent moment, the last checkpoint. While a run is live the
 * page is ahead of its checkpoint by up to a second; what is saved is the checkpoint's epoch,
 * its weights, the losses up to it and the predictions of those weights, so after a reload the
 * banner, the chart and the model all say the same epoch.
 */
function savedRun(run: RunView | null, model: SavedModel | null): RunView | null {
  if (!run) return null;
  const base = { ...run, gates: null, epochsPerSecond: 0, batch: null, slow: null };
  if (run.status === 'finished') return base;
  if (!model || model.runId !== run.runId) {
    // No checkpoint of this run yet: it is saved as it started.
    return {
      ...base,
      history: [],
      predictions: null,
      evaluation: null,
      epoch: run.startEpoch ?? 0,
    };
  }
  const predictions = model.predictions ?? run.predictions;
  return {
    ...base,
    epoch: model.epoch,
    history: run.history.filter((h) => h.epoch <= model.epoch),
    predictions,
    evaluation: predictions && run.series ? evaluateSeries(run.series, predictions) : null,
  };
}

/**
 * Writes the current state: the dataset only when it changed (it can be large), snapshots
 * when training pauses or ends or every 30 s, the rest each time.
 */
export async function flush(final = false): Promise<void> {
  const st = useStockLab.getState();
  if (st.data && st.data.key !== lastDataKey) {
    lastDataKey = st.data.key;
    if (await save('stock.data', st.data)) usePersistence.setState({ savedDataKey: st.data.key });
  }
  const training = st.run?.status === 'running';
  const now = Date.now();
  if (
    st.snapshots !== savedSnapshots &&
    (final || !training || now - lastSnapshotsSave >= SNAPSHOTS_EVERY_MS)
  ) {
    savedSnapshots = st.snapshots;
    lastSnapshotsSave = now;
    await save('stock.snapshots', st.snapshots);
  }
  const run = savedRun(st.run, st.model);
  const snapshot: StockSnapshot = {
    recipe: st.recipe,
    config: st.config,
    run,
    model: st.model,
    gateSample: st.gateSample,
  };
  if (await save('stock.state', snapshot)) {
    usePersistence.setState({
      savedRun: run ? { runId: run.runId, epoch: run.epoch, status: run.status } : null,
    });
  }
  // The other views are written only when they changed: each write clones its value on the
  // main thread, and during a Stock-lab run they never change.
  const d = useDigits.getState();
  await saveIfChanged('digits.state', { train: d.train }, final);
  const r = useRace.getState();
  const race = {
    settings: r.settings,
    maxSteps: r.maxSteps,
    status: r.status,
    steps: r.steps,
    points: r.points,
    flows: r.flows,
    flowIndex: r.flowIndex,
  };
  if (await saveIfChanged('race.state', race, final)) {
    // The saved race is named by its last measured point (what the chart shows).
    const lastPoint = r.points.lstm[r.points.lstm.length - 1]?.step ?? 0;
    usePersistence.setState({ savedRace: { status: r.status, steps: lastPoint } });
  }
  const e = useExplorer.getState();
  await saveIfChanged(
    'explorer.state',
    {
      mode: e.mode === 'linked' ? 'toy' : e.mode,
      lesson: e.lesson,
      toy: e.toy,
      imported: e.imported,
      step: e.step,
      unit: e.unit,
    },
    final,
  );
}

/** The fields of each view's state as last written (compared by reference). */
const lastWritten = new Map<string, unknown[]>();

/** Writes a state object when one of its fields changed since the last write, or on the final save. */
async function saveIfChanged(
  key: string,
  value: Record<string, unknown>,
  final: boolean,
): Promise<boolean> {
  const fields = Object.values(value);
  const before = lastWritten.get(key);
  const same =
    before !== undefined &&
    before.length === fields.length &&
    fields.every((v, k) => Object.is(v, before[k]));
  if (same && !final) return false;
  lastWritten.set(key, fields);
  return save(key, value);
}

function watch(): void {
  lastDataKey = useStockLab.getState().data?.key ?? -1;
  if (lastDataKey >= 0) usePersistence.setState({ savedDataKey: lastDataKey });
  useStockLab.subscribe((now, before) => {
    // A new checkpoint (about once a second while training, and at every pause, stop and
    // finish), a change of run status or a new dataset is saved at once; the rest settles first.
    const urgent =
      now.model !== before.model ||
      now.run?.status !== before.run?.status ||
      now.run?.runId !== before.run?.runId ||
      now.data !== before.data;
    if (urgent) void saveNow();
    else schedule();
  });
  useDigits.subscribe((now, before) => {
    if (now.train !== before.train) schedule();
  });
  useExplorer.subscribe(schedule);
  useRace.subscribe((now, before) => {
    if (now.status !== before.status) void saveNow();
    else if (now.points !== before.points || now.flows !== before.flows) schedule();
  });
  // A reload or a hidden tab in the middle of training keeps the latest state.
  window.addEventListener('pagehide', () => void saveNow(true));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void saveNow(true);
  });
}

/** "Reset everything": forget every saved thing (after the user confirmed), then reload. */
export async function resetEverything(): Promise<void> {
  const s = openStore();
  if (s) {
    try {
      await clear(s);
    } catch {
      // Nothing saved to clear.
    }
  }
  try {
    localStorage.clear();
  } catch {
    // No storage.
  }
  location.reload();
}
