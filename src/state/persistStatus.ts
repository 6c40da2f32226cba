import { create } from 'zustand';

/**
 * Whether what the user makes is being kept (IndexedDB), in a module with no heavy imports so
 * the status bar and the views can read it before the persistence code has loaded.
 */
export type PersistStatus = 'starting' | 'ok' | 'unavailable' | 'full';

export const usePersistence = create<{ status: PersistStatus }>(() => ({ status: 'starting' }));

/** The query string the page was opened with (the address bar changes as the setup does). */
export const INITIAL_SEARCH = typeof location === 'undefined' ? '' : location.search;
