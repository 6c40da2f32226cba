import {
  add,
  concat,
  customGrad,
  matMul,
  mul,
  ones,
  reshape,
  sigmoid,
  slice,
  split,
  square,
  stack,
  sub,
  sum,
  tanh,
  transpose,
  unstack,
  zeros,
  scalar,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { cellBackwardKernel, cellForwardKernel, hasCellKernels } from './lstmKernels';
import { fusedRecurrence } from './webgpu/recurrence';
import type { Recurrence } from './recurrence';

/**
 * One LSTM layer over a whole sequence as one differentiable op with a hand-written gradient.
 *
 *   forward:  XP = X·W_ihᵀ + b (all steps, one matMul), then per step z = XP_t + h·W_hhᵀ → cell
 *   backward: per step only the recurrence (cell backward + dz·W_hh), then
 *             dW_ih = Σ_t dz_tᵀ x_t, dW_hh = Σ_t dz_tᵀ h_{t−1}, dX = dz·W_ih as single matMuls.
 *
 * Autodiff through per-step ops ran ~17 kernels forward and ~35 backward per step; per-op
 * overhead, not arithmetic, was the time. With the cell kernels (CPU, WASM) a step is 2 kernels
 * each way; on WebGPU the whole recurrence is one dispatch (webgpu/recurrence.ts).
 *
 * Tensors are time-major: x [T, B, In] → h [T, B, H]. Weights are stored transposed from
 * PyTorch: wIh [In, 4H], wHh [H, 4H].
 */

/**
 * a·b with optional transposes. tfjs-WASM's matMul is fast only without them (measured on
 * workload c: hᵀ·dz [1792×128]ᵀ·[1792×512] took 208 ms transposed in the kernel, ~9 ms after an
 * explicit transpose), so on the CPU backends the transpose is its own cheap kernel.
 */
function mm(a: Tensor2D, b: Tensor2D, transposeA = false, transposeB = false): Tensor2D {
  if (!hasCellKernels()) return matMul(a, b, transposeA, transposeB);
  return matMul(transposeA ? transpose(a) : a, transposeB ? transpose(b) : b);
}

/** Elementwise cell in tfjs ops, for backends without the cell kernels. */
function cellForwardOps(z: Tensor2D, cPrev: Tensor2D): [Tensor2D, Tensor2D, Tensor2D] {
  const [zi, zf, zg, zo] = split(z, 4, 1);
  const i = sigmoid(zi);
  const f = sigmoid(zf);
  const g = tanh(zg);
  const o = sigmoid(zo);
  const c = add(mul(f, cPrev), mul(i, g)) as Tensor2D;
  const h = mul(o, tanh(c)) as Tensor2D;
  return [concat([i, f, g, o], 1) as Tensor2D, c, h];
}

function cellBackwardOps(
  dh: Tensor2D,
  dcNext: Tensor2D,
  gates: Tensor2D,
  c: Tensor2D,
  cPrev: Tensor2D,
): [Tensor2D, Tensor2D] {
  const [i, f, g, o] = split(gates, 4, 1);
  const one = scalar(1);
  const tc = tanh(c);
  const dc = add(dcNext, mul(mul(dh, o), sub(one, square(tc))));
  const dzi = mul(mul(dc, g), mul(i, sub(one, i)));
  const dzf = mul(mul(dc, cPrev), mul(f, sub(one, f)));
  const dzg = mul(mul(dc, i), sub(one, square(g)));
  const dzo = mul(mul(dh, tc), mul(o, sub(one, o)));
  return [concat([dzi, dzf, dzg, dzo], 1) as Tensor2D, mul(dc, f) as Tensor2D];
}

/** Step by step: one matMul + the cell (one kernel where registered, tfjs ops elsewhere). */
const stepwiseRecurrence: Recurrence = {
  forward(xp, wHh) {
    const [T, B, G] = xp.shape;
    const H = G / 4;
    const kernels = hasCellKernels();
    const xpSteps = kernels ? null : (unstack(xp) as Tensor2D[]);
    const zero = zeros([B, H]) as Tensor2D;
    let h = zero;
    let c = zero;
    const hs: Tensor2D[] = [];
    const cs: Tensor2D[] = [];
    const gates: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const hh = matMul(h, wHh) as Tensor2D;
      const [g, cNew, hNew] = kernels
        ? cellForwardKernel(xp, t, hh, c)
        : cellForwardOps(add(xpSteps![t], hh) as Tensor2D, c);
      gates.push(g);
      cs.push(cNew);
      hs.push(hNew);
      h = hNew;
      c = cNew;
    }
    return { hs: stack(hs) as Tensor3D, saved: [zero, ...gates, ...cs] };
  },

  backward(dHs, wHh, saved) {
    const T = dHs.shape[0];
    const zero = saved[0] as Tensor2D;
    const gates = saved.slice(1, 1 + T) as Tensor2D[];
    const cs = saved.slice(1 + T, 1 + 2 * T) as Tensor2D[];
    const kernels = hasCellKernels();
    const dOutSteps = kernels ? null : (unstack(dHs) as Tensor2D[]);
    const dzs: Tensor2D[] = new Array(T);
    let dhRec = zero;
    let dcNext = zero;
    // Transposed once, not per step (see mm).
    const wHhT = kernels ? transpose(wHh) : null;
    for (let t = T - 1; t >= 0; t--) {
      const cPrev = t > 0 ? cs[t - 1] : zero;
      const [dz, dcPrev] = kernels
        ? cellBackwardKernel(dHs, t, dhRec, dcNext, gates[t], cs[t], cPrev)
        : cellBackwardOps(add(dOutSteps![t], dhRec), dcNext, gates[t], cs[t], cPrev);
      dzs[t] = dz;
      if (t > 0) dhRec = wHhT ? matMul(dz, wHhT) : matMul(dz, wHh, false, true);
      dcNext = dcPrev;
    }
    return stack(dzs) as Tensor3D;
  },
};

export type RecurrenceKind = 'fused-webgpu' | 'cell-kernels' | 'ops';

/** Which recurrence the active backend runs for batch B and hidden size H (reported by self-tests). */
export function recurrenceKind(B: number, H: number): RecurrenceKind {
  if (fusedRecurrence(B, H)) return 'fused-webgpu';
  return hasCellKernels() ? 'cell-kernels' : 'ops';
}

/** The recurrence the active backend runs: fused on WebGPU, stepwise elsewhere. */
function recurrence(B: number, H: number): Recurrence {
  return fusedRecurrence(B, H) ?? stepwiseRecurrence;
}

/**
 * The layer as a differentiable op. `inputGrad` false: ∂L/∂x is returned as zeros instead of
 * computed, for the first layer, whose input is data (dz·W_ih, [T·B, 4H]·[4H, In], was ~6 % of
 * a digit batch's multiply-adds, spent on a gradient nothing reads).
 */
function layerOp(inputGrad: boolean) {
  return customGrad((...args: unknown[]) => {
    const [x, wIh, wHh, bIh, bHh] = args as [Tensor3D, Tensor2D, Tensor2D, Tensor1D, Tensor1D];
    const save = args[5] as (t: Tensor[]) => void;
    const [T, B, In] = x.shape;
    const G = wIh.shape[1];
    const x2 = reshape(x, [T * B, In]) as Tensor2D;
    const xp = reshape(add(matMul(x2, wIh), add(bIh, bHh)), [T, B, G]) as Tensor3D;
    const rec = recurrence(B, G / 4);
    const { hs, saved } = rec.forward(xp, wHh);
    save([x, wIh, wHh, hs, ...saved]);
    return {
      value: hs,
      gradFunc: (dy: Tensor, kept: Tensor[]) => {
        const [xs, wi, wh, hsKept, ...rest] = kept as [
          Tensor3D,
          Tensor2D,
          Tensor2D,
          Tensor3D,
          ...Tensor[],
        ];
        const H = wh.shape[0];
        const dz = reshape(rec.backward(dy as Tensor3D, wh, rest), [T * B, G]) as Tensor2D;
        // h_{t−1} for every step: zeros, then h_0 … h_{T−2}.
        const hPrev =
          T === 1
            ? (zeros([B, H]) as Tensor2D)
            : (concat(
                [zeros([B, H]), reshape(slice(hsKept, [0, 0, 0], [T - 1, B, H]), [(T - 1) * B, H])],
                0,
              ) as Tensor2D);
        const xsFlat = reshape(xs, [T * B, In]) as Tensor2D;
        const dX = inputGrad ? reshape(mm(dz, wi, false, true), [T, B, In]) : zeros([T, B, In]);
        const dWih = mm(xsFlat, dz, true, false);
        const dWhh = mm(hPrev, dz, true, false);
        // tfjs-WASM's Sum is a plain loop (15 of workload b's 434 ms in the bench profile); as a
        // 1×N matMul it runs in the fast kernel. (Stacking [x | h | 1]ᵀ·dz into one matMul was
        // slower here: 21 vs 17.6 ms on workload c's shapes, timed alternately.)
        const db = hasCellKernels()
          ? (reshape(matMul(ones([1, T * B]), dz), [G]) as Tensor1D)
          : sum(dz, 0);
        return [dX, dWih, dWhh, db, db.clone()];
      },
    };
  }) as (x: Tensor3D, wIh: Tensor2D, wHh: Tensor2D, bIh: Tensor1D, bHh: Tensor1D) => Tensor3D;
}
const withInputGrad = layerOp(true);
const withoutInputGrad = layerOp(false);

/**
 * h of every step [T, B, H] for a time-major input [T, B, In]. `inputGrad: false` when the input
 * is data (the first layer): its gradient then comes back as zeros, uncomputed.
 */
export function lstmLayer(
  x: Tensor3D,
  wIh: Tensor2D,
  wHh: Tensor2D,
  bIh: Tensor1D,
  bHh: Tensor1D,
  { inputGrad = true }: { inputGrad?: boolean } = {},
): Tensor3D {
  return (inputGrad ? withInputGrad : withoutInputGrad)(x, wIh, wHh, bIh, bHh);
}
