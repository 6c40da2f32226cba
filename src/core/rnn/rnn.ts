import { createParam, type Param } from '../lstm/params';
import type { FloatArray, FloatArrayCtor } from '../lstm/tensor';
import type { SequenceBatch } from '../lstm/lstm';
import type { Rng } from '../random';

/**
 * A vanilla (Elman) RNN as PyTorch's nn.RNN with tanh: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1}
 * + b_hh). One layer, parameter names weight_ih_l0 …, so it sits beside the LSTM in the race.
 */
export interface Rnn {
  inputSize: number;
  hiddenSize: number;
  weightIh: Param;
  weightHh: Param;
  biasIh: Param;
  biasHh: Param;
  ctor: FloatArrayCtor;
}

export function createRnn(
  inputSize: number,
  hiddenSize: number,
  ctor: FloatArrayCtor,
  rng: Rng,
): Rnn {
  const rnn: Rnn = {
    inputSize,
    hiddenSize,
    weightIh: createParam('rnn.weight_ih_l0', [hiddenSize, inputSize], ctor),
    weightHh: createParam('rnn.weight_hh_l0', [hiddenSize, hiddenSize], ctor),
    biasIh: createParam('rnn.bias_ih_l0', [hiddenSize], ctor),
    biasHh: createParam('rnn.bias_hh_l0', [hiddenSize], ctor),
    ctor,
  };
  const k = 1 / Math.sqrt(hiddenSize);
  for (const p of rnnParams(rnn))
    for (let j = 0; j < p.value.length; j++) p.value[j] = rng.uniform(-k, k);
  return rnn;
}

export const rnnParams = (r: Rnn): Param[] => [r.weightIh, r.weightHh, r.biasIh, r.biasHh];

/** h for every step, time-major [t][b][H]. */
export interface RnnForward {
  batch: number;
  time: number;
  x: FloatArray;
  h: FloatArray;
}

export function rnnForward(rnn: Rnn, x: SequenceBatch): RnnForward {
  const { batch: B, time: T, features: In } = x;
  const H = rnn.hiddenSize;
  const w = rnn.weightIh.value;
  const u = rnn.weightHh.value;
  const bi = rnn.biasIh.value;
  const bh = rnn.biasHh.value;
  const h = new rnn.ctor(T * B * H);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const xOff = (b * T + t) * In;
      const prev = t > 0 ? ((t - 1) * B + b) * H : -1;
      const off = (t * B + b) * H;
      for (let r = 0; r < H; r++) {
        let s = bi[r] + bh[r];
        for (let k = 0; k < In; k++) s += w[r * In + k] * x.data[xOff + k];
        if (prev >= 0) for (let k = 0; k < H; k++) s += u[r * H + k] * h[prev + k];
        h[off + r] = Math.tanh(s);
      }
    }
  }
  return { batch: B, time: T, x: x.data, h };
}

/**
 * Backpropagation through time; gradients are added to the params. `dH` is ∂L/∂h_t from the
 * output for every step ([t][b][H]); returns the total ∂L/∂h_t per step (what vanishes).
 */
export function rnnBackward(rnn: Rnn, fwd: RnnForward, dH: FloatArray): FloatArray {
  const { batch: B, time: T } = fwd;
  const H = rnn.hiddenSize;
  const In = rnn.inputSize;
  const w = rnn.weightIh;
  const u = rnn.weightHh;
  const total = new rnn.ctor(T * B * H);
  const carry = new rnn.ctor(B * H);
  const dPre = new rnn.ctor(H);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const off = (t * B + b) * H;
      for (let r = 0; r < H; r++) {
        const d = dH[off + r] + carry[b * H + r];
        total[off + r] = d;
        const hv = fwd.h[off + r];
        dPre[r] = d * (1 - hv * hv);
      }
      const xOff = (b * T + t) * In;
      const prev = t > 0 ? ((t - 1) * B + b) * H : -1;
      for (let k = 0; k < H; k++) carry[b * H + k] = 0;
      for (let r = 0; r < H; r++) {
        const d = dPre[r];
        rnn.biasIh.grad[r] += d;
        rnn.biasHh.grad[r] += d;
        for (let k = 0; k < In; k++) w.grad[r * In + k] += d * fwd.x[xOff + k];
        if (prev >= 0) {
          for (let k = 0; k < H; k++) {
            u.grad[r * H + k] += d * fwd.h[prev + k];
            carry[b * H + k] += d * u.value[r * H + k];
          }
        }
      }
    }
  }
  return total;
}
