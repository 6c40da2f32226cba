import { create } from 'zustand';

/** What the status bar shows about the training engine; the worker client fills it in. */
export interface EngineStatus {
  state: 'idle' | 'starting' | 'running' | 'failed';
  /** Display name of the engine that runs, e.g. "WASM" or "WebGPU". */
  engine: string | null;
  /** Why a better engine was not used, in one short phrase. */
  reason: string | null;
}

export const useEngineStatus = create<EngineStatus>(() => ({
  state: 'idle',
  engine: null,
  reason: null,
}));
