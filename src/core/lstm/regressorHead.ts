import type { Dense } from './dense';
import type { FloatArray } from './tensor';

type Ctor = new (len: number) => FloatArray;

/**
 * The regressor's head, relu → fc_1 → relu → fc → MSE, forward and backward in one pass per row.
 * Each row's gradient needs only its own prediction, so nothing waits for the whole batch. The
 * composed layers (denseForward, relu, denseBackward, reluBackward) walk B × 128
 * buffers six times with a data-dependent branch in three of them; on the seed recipe (hidden 2)
 * the head was three quarters of an epoch. The arithmetic, its order and the rounding of every
 * stored value (intermediates keep the input's float type) are those of the composed layers, so
 * the results are the same to the bit (regressorHead.test.ts).
 *
 * hLast is the top layer's last h, [B][H]; dHLast is ∂L/∂h_last, [B][H] (zero where the relu
 * cut). The params' grads are added to.
 */
export function regressorHeadLossAndGrad(
  fc1: Dense,
  fc: Dense,
  hLast: FloatArray,
  y: ArrayLike<number>,
  B: number,
  meanOver: number,
): { loss: number; pred: FloatArray; dHLast: FloatArray } {
  const H = fc1.inSize;
  const O = fc1.outSize;
  const w1 = fc1.weight.value;
  const b1 = fc1.bias.value;
  const gw1 = fc1.weight.grad;
  const gb1 = fc1.bias.grad;
  const w2 = fc.weight.value;
  const gw2 = fc.weight.grad;
  const gb2 = fc.bias.grad;
  const ctor = hLast.constructor as Ctor;
  const pred = new ctor(B);
  const dH = new ctor(B * H);
  // Per-row scratch in the input's float type: a1 = relu(h), a2 = relu(fc_1(a1)), dz = ∂L/∂z1.
  const a1 = new ctor(H);
  const a2 = new ctor(O);
  const dz = new ctor(O);
  const g = new ctor(1);
  let loss = 0;
  for (let r = 0; r < B; r++) {
    for (let k = 0; k < H; k++) {
      const h = hLast[r * H + k];
      a1[k] = h < 0 ? 0 : h;
    }
    for (let o = 0; o < O; o++) a2[o] = b1[o];
    for (let k = 0; k < H; k++) {
      const xv = a1[k];
      if (xv === 0) continue;
      for (let o = 0; o < O; o++) a2[o] += xv * w1[o * H + k];
    }
    let s = fc.bias.value[0];
    for (let o = 0; o < O; o++) {
      if (a2[o] < 0) a2[o] = 0;
      s += w2[o] * a2[o];
    }
    pred[r] = s;
    const e = pred[r] - y[r];
    loss += e * e;
    g[0] = (2 * e) / meanOver;
    const gr = g[0];
    if (gr === 0) {
      for (let k = 0; k < H; k++) dH[r * H + k] = 0;
      continue;
    }
    gb2[0] += gr;
    // fc_1's bias: adding the zeros where relu cut changes no sum, so no branch here.
    for (let o = 0; o < O; o++) {
      gw2[o] += gr * a2[o];
      dz[o] = a2[o] <= 0 ? 0 : gr * w2[o];
      gb1[o] += dz[o];
    }
    for (let k = 0; k < H; k++) {
      const xv = a1[k];
      if (xv <= 0) {
        dH[r * H + k] = 0;
        continue;
      }
      // Summed in dH itself, as denseBackward sums in its output (rounded at every step).
      const at = r * H + k;
      dH[at] = 0;
      for (let o = 0; o < O; o++) {
        const d = dz[o];
        if (d === 0) continue; // half the units, where relu cut: skipping them pays here
        gw1[o * H + k] += d * xv;
        dH[at] += d * w1[o * H + k];
      }
    }
  }
  return { loss: loss / B, pred, dHLast: dH };
}
