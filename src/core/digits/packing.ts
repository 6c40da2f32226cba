/**
 * The Digit reader's data file: the mnist package's digits at one byte per pixel, labels
 * first. No imports, so the build (vite.config.ts) can pack the file with this same code.
 */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/** The packed set: labels first, then pixels, one byte each (the file the app downloads). */
export interface MnistSet {
  count: number;
  labels: Uint8Array;
  /** [count][784], row-major, 0..255. */
  pixels: Uint8Array;
}

export const encodePixel = (v: number) => Math.round(v * 255);
/** Exactly the package's float back from a byte (it stored k/255 to three decimals). */
export const decodePixel = (k: number) => Math.round((k / 255) * 1000) / 1000;

/** Packs the package's per-digit flat arrays (digit d's samples, 784 values each). */
export function encodeMnist(perDigit: readonly ArrayLike<number>[]): MnistSet {
  const counts = perDigit.map((a) => Math.floor(a.length / PIXELS));
  const count = counts.reduce((a, b) => a + b, 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * PIXELS);
  let n = 0;
  perDigit.forEach((raw, digit) => {
    for (let s = 0; s < counts[digit]; s++, n++) {
      labels[n] = digit;
      for (let p = 0; p < PIXELS; p++) pixels[n * PIXELS + p] = encodePixel(raw[s * PIXELS + p]);
    }
  });
  return { count, labels, pixels };
}

export function mnistToBytes(set: MnistSet): Uint8Array {
  const out = new Uint8Array(set.count + set.pixels.length);
  out.set(set.labels, 0);
  out.set(set.pixels, set.count);
  return out;
}

export function mnistFromBytes(bytes: Uint8Array): MnistSet {
  const count = bytes.length / (PIXELS + 1);
  if (!Number.isInteger(count) || count === 0) {
    throw new Error(`a digit file must hold N labels and N×784 pixels; got ${bytes.length} bytes`);
  }
  return { count, labels: bytes.subarray(0, count), pixels: bytes.subarray(count) };
}
