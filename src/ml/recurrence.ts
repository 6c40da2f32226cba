import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';

/**
 * How an LSTM layer walks its sequence (lstmLayer.ts): step by step in tfjs ops or cell kernels,
 * or the whole sequence in one WebGPU dispatch (webgpu/recurrence.ts). Its own module, so both
 * sides import it and neither imports the other.
 * Tensors are time-major: x [T, B, In] → h [T, B, H]; wHh is [H, 4H] (PyTorch's, transposed).
 */
export interface Recurrence {
  /** h for every step [T, B, H]; `saved` is whatever backward needs. */
  forward(xp: Tensor3D, wHh: Tensor2D): { hs: Tensor3D; saved: Tensor[] };
  /** ∂L/∂pre-activation for every step [T, B, 4H] from ∂L/∂h [T, B, H]. */
  backward(dHs: Tensor3D, wHh: Tensor2D, saved: Tensor[]): Tensor3D;
}
