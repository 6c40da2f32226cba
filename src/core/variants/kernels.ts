/** The variants' two matrix kernels, written for this machine's scalar float64 JavaScript. */

/**
 * out[b][r] = bias[r] + Σ_k w[r][k] · v[b][k] for a whole batch, rows outermost: each weight row
 * is read once per step and stays in cache across the batch (the per-sample order streamed the
 * whole matrix once per sample and was 1.3× slower than the core LSTM).
 */
export function batchAffine(
  w: Float64Array,
  bias: Float64Array,
  v: ArrayLike<number>,
  vOff: number,
  vStride: number,
  cols: number,
  batch: number,
  out: Float64Array,
  rows: number,
): void {
  // Four partial sums break the chain of dependent additions (about 1.3× faster here).
  const end4 = cols - (cols % 4);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let b = 0; b < batch; b++) {
      const vo = vOff + b * vStride;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < end4; k += 4) {
        s0 += w[o + k] * v[vo + k];
        s1 += w[o + k + 1] * v[vo + k + 1];
        s2 += w[o + k + 2] * v[vo + k + 2];
        s3 += w[o + k + 3] * v[vo + k + 3];
      }
      for (let k = end4; k < cols; k++) s0 += w[o + k] * v[vo + k];
      out[b * rows + r] = bias[r] + (s0 + s1 + (s2 + s3));
    }
  }
}

/** The recurrent half of a backward step; `dh` holds the direct path and gets W_hh's added. */
export function recurrentGrads(
  dz: Float64Array,
  hp: Float64Array,
  wHh: Float64Array,
  gradWhh: Float64Array,
  dh: Float64Array,
  B: number,
  G: number,
  H: number,
): void {
  const b4 = B - (B % 4);
  for (let r = 0; r < G; r++) {
    const wo = r * H;
    for (let k = 0; k < H; k++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let b = 0; b < b4; b += 4) {
        s0 += dz[b * G + r] * hp[b * H + k];
        s1 += dz[(b + 1) * G + r] * hp[(b + 1) * H + k];
        s2 += dz[(b + 2) * G + r] * hp[(b + 2) * H + k];
        s3 += dz[(b + 3) * G + r] * hp[(b + 3) * H + k];
      }
      for (let b = b4; b < B; b++) s0 += dz[b * G + r] * hp[b * H + k];
      gradWhh[wo + k] += s0 + s1 + (s2 + s3);
    }
  }
  const g4 = G - (G % 4);
  for (let b = 0; b < B; b++) {
    const ho = b * H;
    const zo = b * G;
    for (let k = 0; k < H; k++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < g4; r += 4) {
        s0 += dz[zo + r] * wHh[r * H + k];
        s1 += dz[zo + r + 1] * wHh[(r + 1) * H + k];
        s2 += dz[zo + r + 2] * wHh[(r + 2) * H + k];
        s3 += dz[zo + r + 3] * wHh[(r + 3) * H + k];
      }
      for (let r = g4; r < G; r++) s0 += dz[zo + r] * wHh[r * H + k];
      dh[ho + k] += s0 + s1 + (s2 + s3);
    }
  }
}
