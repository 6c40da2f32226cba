import { describe, expect, it } from 'vitest';
import { NEXT_DAY_RECIPE, SEED_RECIPE } from './stockConfig';
import { DEFAULT_SPLIT_FRACTION, fitSplitToRows, splitFits } from './splitFit';

describe('a split by row count on a new file', () => {
  it('keeps the seed recipe’s first 200 rows on SBUX’s 253 rows', () => {
    const { config, change } = fitSplitToRows(SEED_RECIPE, 253);
    expect(change).toBeNull();
    expect(config.split).toEqual({ kind: 'rows', rows: 200 });
  });

  it('falls back to the default fraction on a 120-row file, and says what changed', () => {
    const { config, change } = fitSplitToRows(SEED_RECIPE, 120);
    expect(config.split).toEqual({ kind: 'fraction', fraction: DEFAULT_SPLIT_FRACTION });
    expect(change).toEqual({ askedRows: 200, rows: 120, trainRows: 96, percent: 80 });
  });

  it('needs one training window (20 + horizon 1 rows) and one test target after the split', () => {
    const cfg = { ...NEXT_DAY_RECIPE, split: { kind: 'rows' as const, rows: 20 } };
    expect(splitFits(cfg, 120, 20)).toBe(false); // 20 rows hold no window of 20 steps + 1
    expect(splitFits(cfg, 120, 21)).toBe(true);
    expect(splitFits(cfg, 120, 119)).toBe(true); // the last row is a test target
    expect(splitFits(cfg, 120, 120)).toBe(false);
    expect(fitSplitToRows(cfg, 120).change?.trainRows).toBe(96);
  });

  it('leaves a fraction split alone', () => {
    expect(fitSplitToRows(NEXT_DAY_RECIPE, 30)).toEqual({ config: NEXT_DAY_RECIPE, change: null });
  });
});
