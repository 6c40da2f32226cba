import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { expFast, sigmoidFast, tanhFast } from './fastMath';

describe('float32-accurate exp, sigmoid and tanh', () => {
  const rng = createRng(7);
  const xs = [
    0,
    1e-9,
    -1e-9,
    0.5,
    -0.5,
    ...Array.from({ length: 20000 }, () => (rng.next() - 0.5) * 60),
  ];

  it('exp within 1e-9 relative of Math.exp over ±30, sigmoid and tanh within 1e-7 absolute', () => {
    for (const x of xs) {
      expect(Math.abs(expFast(x) / Math.exp(x) - 1), `exp(${x})`).toBeLessThan(1e-9);
      expect(Math.abs(sigmoidFast(x) - 1 / (1 + Math.exp(-x))), `sigmoid(${x})`).toBeLessThan(1e-7);
      expect(Math.abs(tanhFast(x) - Math.tanh(x)), `tanh(${x})`).toBeLessThan(1e-7);
    }
  });

  it('saturates cleanly and lets NaN through (a diverged run must still show NaN)', () => {
    expect(sigmoidFast(1e6)).toBe(1);
    expect(sigmoidFast(-1e6)).toBeLessThan(1e-38);
    expect(tanhFast(Infinity)).toBe(1);
    expect(tanhFast(-Infinity)).toBe(-1);
    expect(Number.isNaN(sigmoidFast(NaN))).toBe(true);
    expect(Number.isNaN(tanhFast(NaN))).toBe(true);
  });
});
