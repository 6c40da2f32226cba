/**
 * Messages between the digits worker and its helper, which computes half of every batch and
 * classifies half of the test digits after each epoch.
 */
import type { BatchPart, FlatTensors } from '../ml/splitBatch';
import type { EngineName } from './protocol';

export type ToHelper =
  | { type: 'init'; engine: EngineName; hiddenSize: number }
  | { type: 'grads'; id: number; weights: FlatTensors; part: BatchPart }
  | { type: 'classify'; id: number; weights: FlatTensors; x: Float32Array; n: number };

export type FromHelper =
  | { type: 'ready' }
  | { type: 'grads'; id: number; loss: number; grads: FlatTensors }
  | { type: 'classes'; id: number; classes: Int32Array }
  | { type: 'failed'; message: string };
