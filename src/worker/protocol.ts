/**
 * The one protocol between the UI and the training worker: a discriminated union each way.
 * Every message carries the runId it belongs to, so the UI drops messages of a run it has
 * already replaced. This file is types only, so the main thread can import it freely.
 */
import type {
  GateSaturation,
  Checkpoint,
  Nested,
  StateDict,
  StockConfig,
  StockEvaluation,
  StockSeries,
  Table,
} from '../core/index';
import type { RecurrenceKind } from '../ml/lstmLayer';
import type { ModelCase } from '../ml/selfTest';
import type { ModelStepper } from '../ml/train';

export type EngineName = 'webgpu' | 'webgl' | 'wasm' | 'cpu' | 'core';
export type EngineChoice = 'auto' | EngineName;

export const ENGINE_LABELS: Record<EngineName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU (tfjs)',
  core: 'Pure TS',
};

/** Why an engine was skipped, as a code the UI translates (detail: an unexpected error's text). */
export type EngineSkipCode =
  | 'noWebGpu'
  | 'noAdapter'
  | 'softwareAdapter'
  | 'backendFailed'
  | 'preferWasm'
  | 'noOffscreenCanvas'
  | 'failedEarlier'
  | 'slower'
  | 'softwareWebGl'
  | 'noWebGl'
  | 'probeNotFinite'
  | 'error';

export interface EngineSkip {
  code: EngineSkipCode;
  detail?: string;
}

export interface EngineReport {
  engine: EngineName;
  /** True when WebGPU runs on a software (fallback) adapter. */
  software: boolean;
  /** Why each better engine was not used. */
  reasons: Partial<Record<EngineName, EngineSkip>>;
  /** Auto's timing of each candidate for the current model, in ms per training batch. */
  measured?: Partial<Record<EngineName, number>>;
}

/** Gate values of one sample, per step: each [layer][unit]. */
export interface GateSnapshot {
  sample: number;
  /** The window's scaled input, [step][feature], so the explorer can replay it. */
  input: number[][];
  /** How much each input step moved the prediction: Σ_features |∂ŷ/∂x_t|. */
  saliency?: number[];
  /** Present when the gates come from the fused WebGPU forward (else the core computed them). */
  source?: 'fused-webgpu';
  /**
   * What each gate learned, per layer, over up to SATURATION_WINDOWS windows: measured when the
   * run pauses, stops or finishes (not while it trains).
   */
  saturation?: { epoch: number; windows: number; layers: GateSaturation[] };
  steps: {
    i: number[][];
    f: number[][];
    g: number[][];
    o: number[][];
    c: number[][];
    h: number[][];
  }[];
}

export type ToWorker =
  | { type: 'init'; runId: number; choice: EngineChoice }
  | {
      type: 'start';
      runId: number;
      config: StockConfig;
      table: Table;
      paused?: boolean;
      /** Continue from these weights (an imported model or an earlier run). */
      resumeFrom?: Checkpoint;
      /** Record this window's gates from the first progress message on. */
      gateSample?: number;
      /** The speed limit, from the first epoch on (null or absent: as fast as possible). */
      maxEpochsPerSecond?: number | null;
      /** The user already chose to train however long an epoch takes. */
      slowOk?: boolean;
    }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  | { type: 'stepEpoch'; runId: number }
  | { type: 'stepBatch'; runId: number }
  | { type: 'setSpeed'; runId: number; maxEpochsPerSecond: number | null }
  | { type: 'recordGates'; runId: number; sample: number }
  | { type: 'selfTest'; runId: number; golden: GoldenCase }
  /** Every window's prediction from saved weights (restoring an epoch), off the page's thread. */
  | { type: 'predictWith'; runId: number; config: StockConfig; table: Table; from: Checkpoint }
  /** Tests: full-batch Adam steps of a whole seed model (models_golden.json) on this engine. */
  | { type: 'selfTestModel'; runId: number; golden: ModelGoldenCase }
  /** Tests only (?debug=1): destroys the WebGPU device, as a driver reset would. */
  | { type: 'debugLoseDevice'; runId: number }
  /** Tests only: makes the WebGPU device report a validation error, as a broken program would. */
  | { type: 'debugGpuError'; runId: number };

/** The golden check's input: a state_dict, an input and the Adam settings. */
export interface GoldenCase {
  stateDict: StateDict;
  input: Nested;
  adam: { lr: number; betas: [number, number]; eps: number };
}

/** A whole model's golden check: its state_dict, a batch, targets (labels or values), Adam. */
/** A whole model's golden check (see ml/selfTest.ts). */
export type ModelGoldenCase = ModelCase;

export interface ProgressMessage {
  type: 'progress';
  runId: number;
  epoch: number;
  /** Losses of every epoch since the last progress message (so charts lose nothing). */
  history: { epoch: number; trainLoss: number; testLoss: number }[];
  epochsPerSecond: number;
  memory: { numTensors: number; numBytes: number } | null;
  /** Predictions in target units for every window, sent every few epochs. */
  predictions?: number[];
  gates?: GateSnapshot;
  /**
   * Where in the epoch the run stands: after "Step batch", inside a long epoch, or when paused
   * mid-epoch. The batch's loss (NaN when not read) and the epoch's ETA in seconds.
   */
  batch?: { index: number; count: number; loss: number; eta?: number } | null;
  /** Present when the batches run as the fused whole-batch WebGPU step (a few dispatches each). */
  kernels?: 'fused';
  /** On WebGPU without the fused step: fc_1 is `width` wide, the fused head holds at most `max`. */
  unfused?: { width: number; max: number };
}

export type FromWorker =
  | { type: 'ready'; runId: number; report: EngineReport }
  /** The prepared data of a run, sent once before its first progress message. */
  | { type: 'dataset'; runId: number; series: StockSeries }
  | ProgressMessage
  | { type: 'state'; runId: number; state: 'running' | 'paused' | 'stopped' }
  /** Weights of an epoch, with every window's prediction from those very weights. */
  | {
      type: 'checkpoint';
      runId: number;
      epoch: number;
      stateDict: StateDict;
      predictions?: number[];
    }
  /** An epoch would take longer than a minute: the run paused itself to ask. */
  | { type: 'slow'; runId: number; secondsPerEpoch: number; batches: number; rows: number }
  | {
      type: 'finished';
      runId: number;
      epoch: number;
      evaluation: StockEvaluation;
      predictions: number[];
    }
  | {
      type: 'failed';
      runId: number;
      kind: 'nan' | 'data' | 'engine' | 'internal';
      message: string;
      /**
       * For 'data' failures: the DataError code and params, for a translated sentence; for a
       * recoverable 'engine' failure, `fromEpoch`: the checkpoint the run goes on from.
       */
      code?: string;
      params?: Record<string, string | number>;
      recoverable: boolean;
    }
  | {
      type: 'selfTestResult';
      runId: number;
      engine: EngineName;
      output: Nested;
      loss: number;
      grads: StateDict;
      adamStateDict: StateDict;
      recurrence: RecurrenceKind;
    }
  | { type: 'predicted'; runId: number; epoch: number; predictions: number[] }
  | {
      type: 'selfTestModelResult';
      runId: number;
      engine: EngineName;
      losses: number[];
      grads: StateDict;
      stateDict: StateDict;
      recurrence: RecurrenceKind;
      step: ModelStepper['kind'];
      /** WebGPU: compute dispatches of one training step (null on other backends). */
      dispatchesPerStep: number | null;
    };
