import { create } from 'zustand';

/**
 * Whether what the user makes is being kept (IndexedDB), in a module with no heavy imports so
 * the status bar and the views can read it before the persistence code has loaded.
 */
export type PersistStatus = 'starting' | 'ok' | 'unavailable' | 'full';

/** What the last successful save of the Stock lab's run holds (shown, and waited for in tests). */
export interface SavedRun {
  runId: number;
  epoch: number;
  status: string;
}

export const usePersistence = create<{
  status: PersistStatus;
  savedRun: SavedRun | null;
  /** The key of the dataset last written (LoadedData.key). */
  savedDataKey: number | null;
  /** The Why-LSTM race as last written: its status and the step of the LSTM's last point. */
  savedRace: { status: string; steps: number } | null;
}>(() => ({ status: 'starting', savedRun: null, savedDataKey: null, savedRace: null }));

/** The query string the page was opened with (the address bar changes as the setup does). */
export const INITIAL_SEARCH = typeof location === 'undefined' ? '' : location.search;
