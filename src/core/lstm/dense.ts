import { createParam, type Param } from './params';
import type { FloatArray, FloatArrayCtor } from './tensor';
import type { Rng } from '../random';

/** A fully connected layer in PyTorch's nn.Linear layout: weight out × in, bias out. */
export interface Dense {
  inSize: number;
  outSize: number;
  weight: Param;
  bias: Param;
}

export function createDense(
  name: string,
  inSize: number,
  outSize: number,
  ctor: FloatArrayCtor,
): Dense {
  return {
    inSize,
    outSize,
    weight: createParam(`${name}.weight`, [outSize, inSize], ctor),
    bias: createParam(`${name}.bias`, [outSize], ctor),
  };
}

/** nn.Linear's default init: weight and bias ~ U(−1/√in, 1/√in). */
export function initDenseUniform(d: Dense, rng: Rng): void {
  const k = 1 / Math.sqrt(d.inSize);
  for (const p of [d.weight, d.bias]) {
    for (let j = 0; j < p.value.length; j++) p.value[j] = rng.uniform(-k, k);
  }
}

/**
 * y[n] = W x[n] + b for a batch of N rows. The inner loop runs over the longer of the two sizes:
 * a dot product over the inputs for a narrow output (the head's fc, 128 → 1), an axpy over the
 * outputs for a narrow input (fc_1, H → 128), where a dot of length H = 2 is mostly loop overhead.
 */
export function denseForward(d: Dense, x: FloatArray, n: number, out?: FloatArray): FloatArray {
  const { inSize: I, outSize: O } = d;
  const w = d.weight.value;
  const b = d.bias.value;
  const y = out ?? new (x.constructor as new (len: number) => FloatArray)(n * O);
  if (I >= O) {
    for (let r = 0; r < n; r++) {
      for (let o = 0; o < O; o++) {
        let s = b[o];
        const wOff = o * I;
        const xOff = r * I;
        for (let k = 0; k < I; k++) s += w[wOff + k] * x[xOff + k];
        y[r * O + o] = s;
      }
    }
    return y;
  }
  for (let r = 0; r < n; r++) {
    const yOff = r * O;
    for (let o = 0; o < O; o++) y[yOff + o] = b[o];
    for (let k = 0; k < I; k++) {
      const xv = x[r * I + k];
      if (xv === 0) continue;
      for (let o = 0; o < O; o++) y[yOff + o] += xv * w[o * I + k];
    }
  }
  return y;
}

/**
 * Adds ∂L/∂W, ∂L/∂b to the params' grads (unless `addGrads` is false: ∂L/∂x alone, for a
 * saliency map) and returns ∂L/∂x. Rows of dy that a relu zeroed are skipped (about half of
 * them in the seed's head).
 */
export function denseBackward(
  d: Dense,
  x: FloatArray,
  dy: FloatArray,
  n: number,
  addGrads = true,
): FloatArray {
  const { inSize: I, outSize: O } = d;
  const w = d.weight.value;
  const gw = d.weight.grad;
  const gb = d.bias.grad;
  const dx = new (x.constructor as new (len: number) => FloatArray)(n * I);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < O; o++) {
      const g = dy[r * O + o];
      if (g === 0) continue;
      const wOff = o * I;
      const xOff = r * I;
      if (addGrads) {
        gb[o] += g;
        for (let k = 0; k < I; k++) gw[wOff + k] += g * x[xOff + k];
      }
      for (let k = 0; k < I; k++) dx[xOff + k] += g * w[wOff + k];
    }
  }
  return dx;
}

export function relu(x: FloatArray): FloatArray {
  const y = x.slice();
  for (let j = 0; j < y.length; j++) if (y[j] < 0) y[j] = 0;
  return y;
}

/** relu, overwriting x (for a buffer nothing else reads: one allocation less per batch). */
export function reluInPlace(x: FloatArray): FloatArray {
  for (let j = 0; j < x.length; j++) if (x[j] < 0) x[j] = 0;
  return x;
}

/** ∂L/∂x of y = relu(x): passes the gradient where x > 0. */
export function reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
  const dx = dy.slice();
  for (let j = 0; j < dx.length; j++) if (x[j] <= 0) dx[j] = 0;
  return dx;
}
