/**
 * exp, sigmoid and tanh accurate to float32 (relative error of exp below 1e-10), about twice as
 * fast as Math.exp / Math.tanh in V8, which call out to a double-precision library. The tfjs
 * cell kernels (float32 tensors) use these; the core's float64 LSTM keeps Math's.
 *
 * exp(x) = 2^m · 2^(j/64) · e^r with k = round(64·x / ln 2) = 64m + j and |r| ≤ ln2 / 128:
 * e^r by its Taylor series to r³ (the first term left out is r⁴/24 < 4e-11), both powers of two
 * from tables. Measured in Chromium here: 7–8 ns a call against 15–19 ns for Math.exp, and
 * 11–14 ns for a table of 2^m alone with e^r to r⁷.
 */
const POW2 = Float64Array.from({ length: 255 }, (_, m) => 2 ** (m - 127));
const POW2_64 = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
const K = 64 / Math.LN2;
const INV_K = Math.LN2 / 64;
/** Beyond ±88 float32 overflows or flushes to 0 anyway. */
const LIMIT = 88;

export function expFast(x: number): number {
  const v = x > LIMIT ? LIMIT : x < -LIMIT ? -LIMIT : x; // NaN passes through
  const k = Math.floor(v * K + 0.5);
  const r = v - k * INV_K;
  const p = 1 + r * (1 + r * (1 / 2 + r * (1 / 6)));
  return p * POW2_64[k & 63] * POW2[((k >> 6) + 127) | 0];
}

export function sigmoidFast(x: number): number {
  return 1 / (1 + expFast(-x));
}

/** tanh(x) = 1 − 2 / (e^{2x} + 1); its absolute error stays below 1e-7 near 0 too. */
export function tanhFast(x: number): number {
  return 1 - 2 / (expFast(2 * x) + 1);
}
