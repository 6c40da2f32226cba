/** Messages of the digits worker: loads the packed MNIST file and trains the digit model. */
import type { DigitTrainConfig, StateDict } from '../core/index';
import type { EngineChoice, EngineReport } from './protocol';

export type ToDigits =
  | { type: 'load'; runId: number; url: string }
  | { type: 'train'; runId: number; config: DigitTrainConfig; choice: EngineChoice }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  /** Tests only (?debug=1): makes the WebGPU device report a validation error. */
  | { type: 'debugGpuError'; runId: number };

export type FromDigits =
  | { type: 'loading'; runId: number; fraction: number }
  /** The held-out digits, copied to the page for the picker and the gallery. */
  | {
      type: 'loaded';
      runId: number;
      test: { labels: Uint8Array; pixels: Uint8Array; index: Int32Array };
    }
  /** workers: 2 when a helper worker computes half of every batch. */
  | { type: 'engine'; runId: number; report: EngineReport; workers: 1 | 2 }
  | { type: 'batch'; runId: number; epoch: number; batch: number; batches: number }
  | {
      type: 'epoch';
      runId: number;
      epoch: number;
      loss: number;
      accuracy: number;
      confusion: number[][];
      /** Positions (in the test set) of misclassified digits and what was predicted. */
      wrong: { k: number; predicted: number }[];
      stateDict: StateDict;
      /** Since the run started, everything included. */
      seconds: number;
      /** This epoch's batches alone (no pauses, messages or test read): the engine's speed. */
      epochSeconds: number;
    }
  | { type: 'state'; runId: number; state: 'running' | 'paused' | 'stopped' | 'finished' }
  | { type: 'failed'; runId: number; message: string };
