import { createRng } from '../random';
import type { Table } from './table';

/**
 * A clean first lesson: a made-up daily price series with a slow trend, a yearly and a
 * monthly wave, and a little noise, as OHLCV rows on business days. Seeded, so every
 * student sees the same series.
 */
export function syntheticStockTable(opts: { days?: number; seed?: number } = {}): Table {
  const days = opts.days ?? 750;
  const rng = createRng(opts.seed ?? 7);
  const gauss = rng.normal;
  const date = new Float64Array(days);
  const open = new Float64Array(days);
  const high = new Float64Array(days);
  const low = new Float64Array(days);
  const close = new Float64Array(days);
  const volume = new Float64Array(days);
  let t = Date.UTC(2021, 0, 4);
  let prevClose = 100;
  for (let d = 0; d < days; d++) {
    while ([0, 6].includes(new Date(t).getUTCDay())) t += 86_400_000;
    date[d] = t;
    const trend = 100 + 0.06 * d;
    const season = 8 * Math.sin((2 * Math.PI * d) / 252) + 3 * Math.sin((2 * Math.PI * d) / 21);
    const c = trend + season + 1.2 * gauss();
    const o = prevClose + 0.4 * gauss();
    close[d] = round2(c);
    open[d] = round2(o);
    high[d] = round2(Math.max(o, c) + Math.abs(0.8 * gauss()));
    low[d] = round2(Math.min(o, c) - Math.abs(0.8 * gauss()));
    volume[d] = Math.round(1_000_000 * (1 + 0.3 * Math.abs(gauss()) + 0.02 * Math.abs(c - o)));
    prevClose = c;
    t += 86_400_000;
  }
  const num = (name: string, values: Float64Array) =>
    ({ name, kind: 'number', values, missing: 0, unparsable: 0 }) as const;
  return {
    columns: [
      { name: 'Date', kind: 'date', values: date, hasTime: false, missing: 0, unparsable: 0 },
      num('Open', open),
      num('High', high),
      num('Low', low),
      num('Close', close),
      num('Volume', volume),
    ],
    rowCount: days,
    dateColumn: 'Date',
    closeColumn: 'Close',
    reordered: 'none',
    delimiter: ',',
    decimalMark: 'dot',
    warnings: [],
  };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
