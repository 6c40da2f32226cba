import { describe, expect, it } from 'vitest';
import { median, summarizeRace } from './raceSummary';
import type { Contestant } from './knockoutRun';

const race = (entries: [Contestant, number[]][]) => new Map(entries);

describe('summarizeRace', () => {
  it('median and range per contestant, in the order asked, skipping those with no finished seed', () => {
    const rows = summarizeRace(
      race([
        ['nfg', [0.03, 0.3, 0.02]],
        ['lstm', [0.01, 0.005, 0.008]],
      ]),
      ['lstm', 'nig', 'nfg'],
      1,
    );
    expect(rows.map((r) => r.contestant)).toEqual(['lstm', 'nfg']);
    expect(rows[0]).toMatchObject({ median: 0.008, min: 0.005, max: 0.01, ratio: 1 });
    expect(rows[1]).toMatchObject({ median: 0.03, min: 0.02, max: 0.3 });
    expect(rows[1].ratio).toBeCloseTo(0.03 / 0.008, 12);
  });

  it('calls a difference real only outside the seed spread', () => {
    const rows = summarizeRace(
      race([
        ['lstm', [0.01, 0.02]],
        ['nfg', [0.03, 0.05]],
        ['cifg', [0.001, 0.009]],
        ['nog', [0.015, 0.5]],
        ['gru', [0.004]],
        ['rnn', [0.6, 0.8]],
      ]),
      ['lstm', 'nfg', 'cifg', 'nog', 'gru', 'rnn'],
      1,
    );
    expect(Object.fromEntries(rows.map((r) => [r.contestant, r.verdict]))).toEqual({
      lstm: 'reference',
      nfg: 'worse',
      cifg: 'better',
      nog: 'same',
      gru: 'unjudged',
      rnn: 'nothing',
    });
  });

  it('without an LSTM nothing is judged against it', () => {
    const [row] = summarizeRace(race([['gru', [0.01, 0.02]]]), ['gru'], 1);
    expect(row.verdict).toBe('unjudged');
    expect(row.ratio).toBeNaN();
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });
});
