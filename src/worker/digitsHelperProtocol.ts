/** Messages between the digits worker and its helper, which computes half of every batch. */
import type { BatchPart, FlatTensors } from '../ml/splitBatch';
import type { EngineName } from './protocol';

export type ToHelper =
  | { type: 'init'; engine: EngineName; hiddenSize: number }
  | { type: 'grads'; id: number; weights: FlatTensors; part: BatchPart };

export type FromHelper =
  | { type: 'ready' }
  | { type: 'grads'; id: number; loss: number; grads: FlatTensors }
  | { type: 'failed'; message: string };
