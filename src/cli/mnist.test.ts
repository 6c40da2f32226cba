import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PIXELS,
  decodePixel,
  digitBatch,
  mnistFromBytes,
  mnistToBytes,
  splitMnist,
} from '../core/index';
import { loadMnistPackage } from './mnist';

const set = loadMnistPackage();

describe('MNIST packing', () => {
  it('holds the package’s 10,000 digits, and every pixel decodes to the package’s own value', () => {
    expect(set.count).toBe(10_000);
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
    let n = 0;
    for (let d = 0; d < 10; d++) {
      const raw = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] })
        .data;
      const count = raw.length / PIXELS;
      for (let p = 0; p < raw.length; p++) {
        if (decodePixel(set.pixels[n * PIXELS + p]) !== raw[p]) {
          throw new Error(`digit ${d}, value ${p}: ${raw[p]} came back as something else`);
        }
      }
      for (let s = 0; s < count; s++) expect(set.labels[n + s]).toBe(d);
      n += count;
    }
    expect(n).toBe(10_000);
  });

  it('survives the byte file the app downloads', () => {
    const back = mnistFromBytes(mnistToBytes(set));
    expect(back.count).toBe(set.count);
    // Byte comparison: toEqual on 7.8 million elements takes half a minute.
    expect(Buffer.compare(back.labels, set.labels)).toBe(0);
    expect(Buffer.compare(back.pixels, set.pixels)).toBe(0);
    expect(back.pixels.length).toBe(7_840_000);
    expect(() => mnistFromBytes(new Uint8Array(100))).toThrow(/N labels and N×784 pixels/);
  });

  it('splits 8,000 / 2,000, stratified by digit, the same way for the same seed', () => {
    const a = splitMnist(set.labels, 0);
    const b = splitMnist(set.labels, 0);
    const c = splitMnist(set.labels, 1);
    expect(a.train.length).toBe(8000);
    expect(a.test.length).toBe(2000);
    expect(a.test).toEqual(b.test);
    expect(a.test).not.toEqual(c.test);
    expect(new Set([...a.train, ...a.test]).size).toBe(10_000);
    const counts = (idx: Int32Array) => {
      const k = new Array(10).fill(0);
      for (const r of idx) k[set.labels[r]]++;
      return k;
    };
    const all = counts(Int32Array.from({ length: 10_000 }, (_, k) => k));
    counts(a.test).forEach((n, d) => expect(Math.abs(n - all[d] * 0.2)).toBeLessThanOrEqual(0.5));
  });

  it('reads a digit as 28 rows of 28 pixels in [−0.5, 0.5]', () => {
    const batch = digitBatch(set, [0, 1], Float64Array);
    expect(batch).toMatchObject({ batch: 2, time: 28, features: 28 });
    expect(Math.min(...batch.data)).toBe(-0.5);
    expect(Math.max(...batch.data)).toBeLessThanOrEqual(0.5);
    expect(batch.data[7 * 28 + 14]).toBeCloseTo(decodePixel(set.pixels[7 * 28 + 14]) - 0.5, 12);
  });
});
