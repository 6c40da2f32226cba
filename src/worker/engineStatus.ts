import type { EngineSkipCode } from './protocol';

export interface EngineReason {
  /** Display name of the engine the reason is about. */
  engine: string;
  code: EngineSkipCode | 'crashed';
  detail?: string;
}

/** What the status bar shows about the training engine, as the worker client learns it. */
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
  /** The current run trains on WebGPU without them: its fc_1 is wider than the fused head holds. */
  unfused: { width: number; max: number } | null;
  /** A run is training on the engine now (its loop said 'running' and has not stopped). */
  training: boolean;
}

export const IDLE_STATUS: EngineStatus = {
  state: 'idle',
  engine: null,
  reason: null,
  msPerBatch: null,
  fused: false,
  unfused: null,
  training: false,
};

type StatusListener = (status: EngineStatus) => void;
const listeners = new Set<StatusListener>();
let current: EngineStatus = IDLE_STATUS;

/** The client's word on the engine; the state layer listens (the worker layer imports no store). */
export function onEngineStatus(listener: StatusListener): () => void {
  listeners.add(listener);
  listener(current);
  return () => listeners.delete(listener);
}

export const engineStatus = (): EngineStatus => current;

export function setEngineStatus(patch: Partial<EngineStatus>): void {
  current = { ...current, ...patch };
  for (const l of listeners) l(current);
}
