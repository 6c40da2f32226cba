import type { SequenceBatch } from '../lstm/lstm';
import type { FloatArrayCtor } from '../lstm/tensor';
import { createRng } from '../random';

/**
 * Sequential MNIST for the Digit reader: the `mnist` package's 10,000 digits (0..1 floats with
 * three decimals, i.e. k/255 rounded) stored as one byte per pixel, a fixed stratified split,
 * and the seed's reading order: 28 steps (rows) of 28 pixels, scaled to [−0.5, 0.5].
 */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
export const CLASSES = 10;

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

/**
 * A seeded split, stratified by digit: each digit gives round(20%) of its samples to the test
 * set (2,000 of 10,000 for this package), the rest train. Same seed, same split, everywhere.
 */
export function splitMnist(
  labels: ArrayLike<number>,
  seed = 0,
  testFraction = 0.2,
): { train: Int32Array; test: Int32Array } {
  const rng = createRng(seed);
  const byDigit: number[][] = Array.from({ length: CLASSES }, () => []);
  for (let k = 0; k < labels.length; k++) byDigit[labels[k]].push(k);
  const train: number[] = [];
  const test: number[] = [];
  for (const idx of byDigit) {
    for (let k = idx.length - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      [idx[k], idx[j]] = [idx[j], idx[k]];
    }
    const nTest = Math.round(idx.length * testFraction);
    test.push(...idx.slice(0, nTest).sort((a, b) => a - b));
    train.push(...idx.slice(nTest).sort((a, b) => a - b));
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * The samples `rows` as a batch of 28 steps × 28 pixels in [−0.5, 0.5]; with `shift`, each
 * digit is moved by up to that many pixels (augmentation for training, seeded).
 */
export function digitBatch(
  set: MnistSet,
  rows: ArrayLike<number>,
  ctor: FloatArrayCtor,
  shift?: { max: number; rng: { int(n: number): number } },
): SequenceBatch {
  const data = new ctor(rows.length * PIXELS);
  for (let b = 0; b < rows.length; b++) {
    const src = rows[b] * PIXELS;
    const dx = shift ? shift.rng.int(2 * shift.max + 1) - shift.max : 0;
    const dy = shift ? shift.rng.int(2 * shift.max + 1) - shift.max : 0;
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const sy = y - dy;
        const sx = x - dx;
        const v =
          sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE ? set.pixels[src + sy * SIDE + sx] : 0;
        data[b * PIXELS + y * SIDE + x] = decodePixel(v) - 0.5;
      }
    }
  }
  return { data, batch: rows.length, time: SIDE, features: SIDE };
}

/** One image (784 values in 0..1, e.g. a drawing) as a batch of one. */
export function imageBatch(image: ArrayLike<number>, ctor: FloatArrayCtor): SequenceBatch {
  const data = new ctor(PIXELS);
  for (let p = 0; p < PIXELS; p++) data[p] = image[p] - 0.5;
  return { data, batch: 1, time: SIDE, features: SIDE };
}
