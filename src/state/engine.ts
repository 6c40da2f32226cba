import { create } from 'zustand';
import type { EngineSkipCode } from '../worker/protocol';

export interface EngineReason {
  /** Display name of the engine the reason is about. */
  engine: string;
  code: EngineSkipCode | 'crashed';
  detail?: string;
}

/** What the status bar shows about the training engine; the worker client fills it in. */
export interface EngineStatus {
  state: 'idle' | 'starting' | 'running' | 'failed';
  /** Display name of the engine that runs, e.g. "WASM" or "WebGPU". */
  engine: string | null;
  /** Why a better engine was not used (or why the worker restarted), translated by the badge. */
  reason: EngineReason | null;
  /** Auto's measured time per training batch on the chosen engine, when it measured. */
  msPerBatch: number | null;
  /** The current run trains with the fused WebGPU kernels (its progress says so). */
  fused: boolean;
  /** A run is training on the engine now (its loop said 'running' and has not stopped). */
  training: boolean;
}

export const useEngineStatus = create<EngineStatus>(() => ({
  state: 'idle',
  engine: null,
  reason: null,
  msPerBatch: null,
  fused: false,
  training: false,
}));
