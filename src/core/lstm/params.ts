import type { FloatArray, FloatArrayCtor } from './tensor';

/**
 * One trainable tensor: its PyTorch name, shape, value and accumulated gradient.
 * Gradients accumulate (+=) as in PyTorch; call zeroGrads before each backward pass.
 */
export interface Param {
  name: string;
  shape: number[];
  value: FloatArray;
  grad: FloatArray;
}

export function createParam(name: string, shape: number[], ctor: FloatArrayCtor): Param {
  const size = shape.reduce((a, b) => a * b, 1);
  return { name, shape, value: new ctor(size), grad: new ctor(size) };
}

export function zeroGrads(params: readonly Param[]): void {
  for (const p of params) p.grad.fill(0);
}
