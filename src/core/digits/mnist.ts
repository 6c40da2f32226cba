import type { SequenceBatch } from '../lstm/lstm';
import type { FloatArrayCtor } from '../lstm/tensor';
import { createRng, shuffleInPlace } from '../random';

/**
 * Sequential MNIST for the Digit reader: the `mnist` package's 10,000 digits (0..1 floats with
 * three decimals, i.e. k/255 rounded) stored as one byte per pixel, a fixed stratified split,
 * and the seed's reading order: 28 steps (rows) of 28 pixels, scaled to [−0.5, 0.5].
 */
import { PIXELS, SIDE, decodePixel, type MnistSet } from './packing';

export * from './packing';
export const CLASSES = 10;

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
    shuffleInPlace(idx, rng);
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
