import { describe, expect, it } from 'vitest';
import { parseCsvText } from './csv';
import { lttbIndices } from './downsample';
import { isIntraday, resampleDaily } from './resample';
import { syntheticStockTable } from './synthetic';
import { distinctText, filterRows, getColumn } from './table';
import { prepareStockDataset } from '../training/stockData';
import { NEXT_DAY_RECIPE } from '../training/stockConfig';

describe('synthetic series', () => {
  it('is the same for the same seed, different for another, and trains as a stock file', () => {
    const a = syntheticStockTable({ seed: 1 });
    const b = syntheticStockTable({ seed: 1 });
    const c = syntheticStockTable({ seed: 2 });
    const close = (t: typeof a) =>
      Array.from((getColumn(t, 'Close') as { values: Float64Array }).values);
    expect(close(a)).toEqual(close(b));
    expect(close(a)).not.toEqual(close(c));
    expect(a.rowCount).toBe(750);
    const dates = (getColumn(a, 'Date') as { values: Float64Array }).values;
    for (let r = 1; r < dates.length; r++) {
      expect(dates[r]).toBeGreaterThan(dates[r - 1]);
      expect([0, 6]).not.toContain(new Date(dates[r]).getUTCDay());
    }
    const ds = prepareStockDataset(a, NEXT_DAY_RECIPE);
    expect(ds.target).toBe('Close');
    expect(ds.train.count).toBeGreaterThan(500);
  });
});

describe('multi-ticker files', () => {
  const table = parseCsvText(
    'symbol,date,price\nMSFT,Jan 1 2000,39.81\nAAPL,Jan 1 2000,25.94\nMSFT,Feb 1 2000,36.35\nAAPL,Feb 1 2000,28.66\n',
  );
  it('lists the tickers and keeps one ticker’s rows in date order', () => {
    expect(distinctText(table, 'symbol')).toEqual(['MSFT', 'AAPL']);
    const sym = getColumn(table, 'symbol') as { values: (string | null)[] };
    const aapl = filterRows(table, (r) => sym.values[r] === 'AAPL');
    expect(aapl.rowCount).toBe(2);
    expect(Array.from((getColumn(aapl, 'price') as { values: Float64Array }).values)).toEqual([
      25.94, 28.66,
    ]);
  });
});

describe('lttbIndices', () => {
  it('keeps the ends and the extremes of a long series in few points', () => {
    const n = 100_000;
    const v = Float64Array.from({ length: n }, (_, k) => Math.sin(k / 5000));
    v[31_337] = 50; // a spike must survive
    v[77_777] = -50;
    const idx = lttbIndices(v, 500);
    expect(idx).toHaveLength(500);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    expect(idx).toContain(31_337);
    expect(idx).toContain(77_777);
    for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
  });
  it('returns every index when the series is short', () => {
    expect(lttbIndices([1, 2, 3], 500)).toEqual([0, 1, 2]);
  });
});

describe('resampleDaily', () => {
  it('minute bars become one OHLCV row per day', () => {
    const t = parseCsvText(
      [
        'Date,Open,High,Low,Close,Volume',
        '2024-01-02 09:30,10,11,9,10.5,100',
        '2024-01-02 09:31,10.5,12,10,11,50',
        '2024-01-02 09:32,11,11.5,8,9,25',
        '2024-01-03 09:30,9,9.5,8.5,9.2,10',
      ].join('\n'),
    );
    expect(isIntraday(t)).toBe(true);
    const d = resampleDaily(t);
    expect(d.rowCount).toBe(2);
    const col = (name: string) => Array.from(getColumn(d, name)!.values as Float64Array);
    expect(col('Open')).toEqual([10, 9]);
    expect(col('High')).toEqual([12, 9.5]);
    expect(col('Low')).toEqual([8, 8.5]);
    expect(col('Close')).toEqual([9, 9.2]);
    expect(col('Volume')).toEqual([175, 10]);
    expect(col('Date')).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
    expect(isIntraday(d)).toBe(false);
  });
});
