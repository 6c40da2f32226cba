import { clear, createStore, get, set, type UseStore } from 'idb-keyval';
import { useDigits } from './digits';
import { useExplorer } from './explorer';
import { useStockLab, type LoadedData, type RunView, type SavedModel } from './stockLab';

/**
 * What the user made survives a reload: the Stock lab's dataset, setup, chart history, model
 * and time-travel snapshots, the digit model trained here, and the explorer's toy and import.
 * Everything lives in this browser's IndexedDB (idb-keyval); if that is missing or full, the
 * app still works and says that progress will not be kept.
 */
import { INITIAL_SEARCH, usePersistence } from './persistStatus';

const SAVE_MS = 1000;
/** While a model trains, state is written less often: cloning it costs main-thread time. */
const SAVE_WHILE_TRAINING_MS = 5000;
/** Time-travel snapshots (up to 120 state_dicts) are the heaviest part: rarer still. */
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

async function save(key: string, value: unknown): Promise<void> {
  const s = openStore();
  if (!s) return;
  try {
    await set(key, value, s);
    if (usePersistence.getState().status !== 'ok') usePersistence.setState({ status: 'ok' });
  } catch (e) {
    failed(e);
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
    const [data, stock, snapshots, digits, explorer] = await Promise.all([
      get<LoadedData>('stock.data', s),
      get<StockSnapshot>('stock.state', s),
      get<unknown[]>('stock.snapshots', s),
      get<{ train: unknown }>('digits.state', s),
      get<Record<string, unknown>>('explorer.state', s),
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
        interrupted: interrupted && Boolean(stock?.model),
      });
    }
    if (digits?.train) useDigits.setState({ train: digits.train as never });
    if (explorer) useExplorer.setState(explorer as never);
    usePersistence.setState({ status: 'ok' });
  } catch (e) {
    failed(e);
  }
  watch();
}

let timer: ReturnType<typeof setTimeout> | null = null;
let lastDataKey = -1;

/** The run status last written: a change of status is saved at once, progress less often. */
let savedStatus: string | undefined;
let savedHasModel = false;

function schedule(): void {
  const st = useStockLab.getState();
  // The first checkpoint of a run is saved at once too: it is what Resume starts from.
  const training = st.run?.status === 'running' && savedStatus === 'running' && savedHasModel;
  timer ??= setTimeout(
    () => {
      timer = null;
      void flush();
    },
    training ? SAVE_WHILE_TRAINING_MS : SAVE_MS,
  );
}

/**
 * Writes the current state: the dataset only when it changed (it can be large), snapshots
 * when training pauses or ends or every 30 s, the rest each time.
 */
export async function flush(final = false): Promise<void> {
  const st = useStockLab.getState();
  if (st.data && st.data.key !== lastDataKey) {
    lastDataKey = st.data.key;
    await save('stock.data', st.data);
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
  const snapshot: StockSnapshot = {
    recipe: st.recipe,
    config: st.config,
    run: st.run ? { ...st.run, gates: null } : null,
    model: st.model,
    gateSample: st.gateSample,
  };
  savedStatus = st.run?.status;
  savedHasModel = st.model !== null;
  await save('stock.state', snapshot);
  const d = useDigits.getState();
  await save('digits.state', { train: d.train });
  const e = useExplorer.getState();
  await save('explorer.state', {
    mode: e.mode === 'linked' ? 'toy' : e.mode,
    lesson: e.lesson,
    toy: e.toy,
    imported: e.imported,
    step: e.step,
    unit: e.unit,
  });
}

function watch(): void {
  lastDataKey = useStockLab.getState().data?.key ?? -1;
  useStockLab.subscribe(schedule);
  useDigits.subscribe((now, before) => {
    if (now.train !== before.train) schedule();
  });
  useExplorer.subscribe(schedule);
  // A reload in the middle of training keeps the latest state.
  window.addEventListener('pagehide', () => void flush(true));
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
