import type { Scalar, Tensor1D, Tensor3D } from '@tensorflow/tfjs-core';
import type { TfModel } from './tfLstm';
import type { GateSteps } from './webgpu/gateSteps';

/**
 * How a trainer runs its batches: the whole batch fused into a few WebGPU dispatches where it can
 * (webgpu/fusedStep.ts), else tfjs autodiff and PyTorchAdam. Both train the same model the same way.
 */
export interface ModelStepper {
  /** 'fused-webgpu': forward, head, loss, backward and Adam in 3L + 2 dispatches. */
  readonly kind: 'fused-webgpu' | 'autodiff';
  /** Autodiff on WebGPU because fc_1 is wider than the fused head can hold (the UI says so). */
  readonly unfused?: { readonly width: number; readonly max: number };
  lr: number;
  /**
   * One batch. x holds the samples, `idx` (int32) which of them form the batch (all when
   * omitted), y the targets or labels of every sample of x. Returns the loss (caller disposes).
   */
  step(x: Tensor3D, y: Tensor1D, idx?: Tensor1D): Scalar;
  /** Makes model.variables current (the fused step trains in its own buffer). */
  sync(): void;
  /** Fused step only (tests): writes the last batch's gradients into a twin model's variables. */
  gradientsInto?(twin: TfModel): void;
  /** Fused step only: the gates of one window [1, T, F], per step and layer, from the GPU's forward. */
  gates?(x: Tensor3D): Promise<GateSteps>;
  dispose(): void;
}
