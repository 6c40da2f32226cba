import type {
  BatchResult,
  EpochResult,
  StateDict,
  StockConfig,
  StockDataset,
  StockEvaluation,
} from '../../core/index';
import type { FromWorker, GateSnapshot } from '../protocol';
import type { GateSteps } from '../../ml/webgpu/gateSteps';

/** What every engine's stock trainer offers (the core one is synchronous; await works on both). */
export interface Trainer {
  readonly epoch: number;
  readonly batchesPerEpoch: number;
  /** Batches of the current epoch already trained (0 at an epoch's start). */
  readonly batchInEpoch: number;
  stepEpoch(): EpochResult | Promise<EpochResult>;
  /** One batch; `readLoss` false lets a GPU engine read the losses once per epoch. */
  stepBatch(readLoss?: boolean): BatchResult | Promise<BatchResult>;
  predictRange(from: number, to: number): Float64Array | Promise<Float64Array>;
  evaluate(): StockEvaluation | Promise<StockEvaluation>;
  stateDict(): StateDict | Promise<StateDict>;
  /** tfjs trainers: how batches run (the fused whole-batch WebGPU step, or autodiff). */
  readonly stepper?: {
    readonly kind: 'fused-webgpu' | 'autodiff';
    readonly unfused?: { readonly width: number; readonly max: number };
  };
  /** The fused WebGPU step: window k's gates from the GPU's own forward (null elsewhere). */
  gates?(k: number): Promise<GateSteps | null>;
  dispose?(): void;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a run needs from the worker around it. */
export interface RunHooks {
  post(msg: FromWorker): void;
  /** tfjs memory of the engine that trains (null on the pure-TS core). */
  memory(): { numTensors: number; numBytes: number } | null;
  /** With `saturation`, also what each gate learned over many windows (heavier: at rest only). */
  gates(
    trainer: Trainer,
    dataset: StockDataset,
    sample: number,
    saturation?: boolean,
  ): Promise<GateSnapshot>;
  /** The loop failed (the loop has ended when this is called). */
  onError(run: { readonly id: number }, error: unknown): void;
}

export interface RunOptions {
  id: number;
  config: StockConfig;
  dataset: StockDataset;
  trainer: Trainer;
  paused: boolean;
  maxEpochsPerSecond: number | null;
  gateSample: number | null;
  slowOk: boolean;
}
