import { sigmoidFast as sigmoid, tanhFast as tanh } from './fastMath';
import type { FloatArray } from './tensor';

/**
 * The elementwise half of one LSTM step for a whole batch, on flat typed arrays. The matrix
 * half (x·W_ihᵀ for every step, h·W_hhᵀ per step) is done elsewhere as matMuls; these two
 * loops are what is left of a step, so an engine can run a step as one matMul + one kernel.
 * Layouts are PyTorch's: gates i, f, g, o side by side in rows of 4H.
 */

// Float32 work (the tfjs cell kernels): exp and tanh to float32 accuracy, at about half of
// Math's cost, which was most of a kernel's time (bench profile, issue 25). See fastMath.ts.

export interface CellForwardArgs {
  B: number;
  H: number;
  /** Pre-activations from the input side (x_t·W_ihᵀ + both biases), row b at xpOff + b·4H. */
  xp: FloatArray;
  xpOff: number;
  /** h_{t−1}·W_hhᵀ, [B][4H]; null when h_{t−1} = 0. */
  hh: FloatArray | null;
  /** c_{t−1}, [B][H]; null when it is 0. */
  cPrev: FloatArray | null;
  /** Outputs: activated gates [B][4H], c_t and h_t [B][H]. */
  gates: FloatArray;
  c: FloatArray;
  h: FloatArray;
}

/** Zeros standing in for h·W_hhᵀ and c at the first step, so the loops below never branch. */
const zeroCache = new Map<number, Float32Array>();
function zeros(n: number): Float32Array {
  let z = zeroCache.get(n);
  if (!z) zeroCache.set(n, (z = new Float32Array(n)));
  return z;
}

export function cellForwardStep(a: CellForwardArgs): void {
  const { B, H, xp, xpOff, gates, c, h } = a;
  const G = 4 * H;
  const hh = a.hh ?? zeros(B * G);
  const cPrev = a.cPrev ?? zeros(B * H);
  // A unit's four gates, c and h together: one pass, no per-element branch on the gate (this
  // shape ran 1.4× faster than a pass over the 4H activations and then one over the units).
  for (let b = 0; b < B; b++) {
    const zo = xpOff + b * G;
    const go = b * G;
    const so = b * H;
    for (let u = 0; u < H; u++) {
      const i = sigmoid(xp[zo + u] + hh[go + u]);
      const f = sigmoid(xp[zo + H + u] + hh[go + H + u]);
      const g = tanh(xp[zo + 2 * H + u] + hh[go + 2 * H + u]);
      const o = sigmoid(xp[zo + 3 * H + u] + hh[go + 3 * H + u]);
      gates[go + u] = i;
      gates[go + H + u] = f;
      gates[go + 2 * H + u] = g;
      gates[go + 3 * H + u] = o;
      const cu = f * cPrev[so + u] + i * g;
      c[so + u] = cu;
      h[so + u] = o * tanh(cu);
    }
  }
}

export interface CellBackwardArgs {
  B: number;
  H: number;
  /** ∂L/∂h_t from above (the loss or the next layer), row b at dOutOff + b·H. */
  dOut: FloatArray;
  dOutOff: number;
  /** ∂L/∂h_t through the recurrence (dz_{t+1}·W_hh), [B][H]; null at the last step. */
  dhRec: FloatArray | null;
  /** ∂L/∂c_t from step t+1, [B][H]; null at the last step. */
  dcNext: FloatArray | null;
  /** This step's activated gates [B][4H] and c_t; c_{t−1} (null when 0). */
  gates: FloatArray;
  c: FloatArray;
  cPrev: FloatArray | null;
  /** Outputs: ∂L/∂pre-activation [B][4H] and ∂L/∂c_{t−1} [B][H]. */
  dz: FloatArray;
  dcPrev: FloatArray;
}

export function cellBackwardStep(a: CellBackwardArgs): void {
  const { B, H, dOut, dOutOff, dhRec, dcNext, gates, c, cPrev, dz, dcPrev } = a;
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const go = b * G;
    const so = b * H;
    for (let u = 0; u < H; u++) {
      const ig = gates[go + u];
      const fg = gates[go + H + u];
      const gg = gates[go + 2 * H + u];
      const og = gates[go + 3 * H + u];
      const tc = tanh(c[so + u]);
      const dh = dOut[dOutOff + so + u] + (dhRec ? dhRec[so + u] : 0);
      const dc = (dcNext ? dcNext[so + u] : 0) + dh * og * (1 - tc * tc);
      dz[go + u] = dc * gg * ig * (1 - ig);
      dz[go + H + u] = cPrev ? dc * cPrev[so + u] * fg * (1 - fg) : 0;
      dz[go + 2 * H + u] = dc * ig * (1 - gg * gg);
      dz[go + 3 * H + u] = dh * tc * og * (1 - og);
      dcPrev[so + u] = dc * fg;
    }
  }
}
