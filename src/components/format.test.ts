import { describe, expect, it } from 'vitest';
import { verdictOf } from '../core/index';
import {
  decimalsFor,
  formatCompact,
  formatFixed,
  formatMoment,
  formatNumber,
  formatRatio,
  formatShare,
  formatValue,
} from './format';

describe('the verdict against "tomorrow = today"', () => {
  it('says the ratio with two decimals, and "about the same" within ±2 %', () => {
    const v = verdictOf(1.035, 1);
    expect(v.verdict).toBe('loses');
    expect(formatRatio(v.ratio, 'en')).toBe('1.04');
    expect(verdictOf(1.015, 1).verdict).toBe('same');
    expect(verdictOf(0.985, 1).verdict).toBe('same');
    expect(verdictOf(0.97, 1).verdict).toBe('beats');
    expect(formatRatio(0.5, 'en')).toBe('0.50');
    expect(formatRatio(9.7, 'ko')).toBe('9.70');
    expect(formatRatio(12.3, 'en')).toBe('12');
  });
});

describe('formatMoment', () => {
  it('keeps the time of day of intraday rows', () => {
    expect(formatMoment(Date.UTC(2015, 0, 5, 9, 30), true)).toBe('2015-01-05 09:30');
    expect(formatMoment(Date.UTC(2015, 0, 5, 9, 30, 15), true)).toBe('2015-01-05 09:30:15');
    expect(formatMoment(Date.UTC(2015, 0, 5), false)).toBe('2015-01-05');
  });
});

describe('decimals in the explorer’s equations', () => {
  it('3 by default, more within 0.01 of 0 or ±1, so a sum can be checked by hand', () => {
    expect(decimalsFor(0.83)).toBe(3);
    expect(decimalsFor(0.9975)).toBe(4);
    expect((0.9975).toFixed(decimalsFor(0.9975))).toBe('0.9975');
    expect(decimalsFor(0.004)).toBe(4);
    expect(decimalsFor(-0.99995)).toBe(6);
    expect(decimalsFor(0)).toBe(3);
    // The reported case: f = 0.9975, c₋₁ = 0.83, i = 0.01, g = −0.42 adds up at these digits.
    const [f, cPrev, i, g] = [0.9975, 0.83, 0.01, -0.42];
    const shown = (v: number) => Number(v.toFixed(decimalsFor(v)));
    const c = f * cPrev + i * g;
    expect(Math.abs(shown(f) * shown(cPrev) + shown(i) * shown(g) - shown(c))).toBeLessThan(0.001);
  });
});

describe('one number format for every view', () => {
  it('writes minus as U+2212 everywhere, and never shows −0', () => {
    expect(formatFixed(-0.23, 2)).toBe('−0.23');
    expect(formatFixed(-0.0001, 3)).toBe('0.000');
    expect(formatNumber(-1234.5, 'en')).toBe('−1,235');
    expect(formatNumber(-0.00012, 'en')).toBe('−1.2e−4');
    expect(formatCompact(-16_000_000, 'en')).toBe('−16M');
    expect(formatValue(-0.4242)).toBe('−0.424');
    for (const s of [formatNumber(-2, 'ko'), formatCompact(-3, 'ko'), formatValue(-0.9)])
      expect(s).not.toContain('-');
  });

  it('shows small products with the digits the equations use (i·g = 0.0043, not 0.00)', () => {
    expect(formatValue(0.0043)).toBe('0.0043');
    expect(formatValue(0.83)).toBe('0.830');
  });

  it('reads a gate as a share at its own precision: 0.9975 keeps 99.75 %, not 100 %', () => {
    expect(formatShare(0.9975)).toBe('99.75%');
    expect(formatShare(0.83)).toBe('83.0%');
    expect(formatShare(0.5)).toBe('50.0%');
    expect(formatShare(0.0043)).toBe('0.43%');
    // Only a value that shows as 1 is "≈ 100 %", and it says ≈.
    expect(formatShare(0.99999999)).toBe('≈\u00a0100%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(1e-9)).toBe('≈\u00a00%');
  });
});
