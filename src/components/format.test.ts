import { describe, expect, it } from 'vitest';
import { verdictOf } from '../core/index';
import { formatMoment, formatRatio } from './format';

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
