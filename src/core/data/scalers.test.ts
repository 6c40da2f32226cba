import { describe, expect, it } from 'vitest';
import {
  fitMinMaxScaler,
  fitStandardScaler,
  matrixFromColumns,
  scalerInverse,
  scalerTransform,
  type Matrix,
} from './scalers';
import { gatherWindows, makeWindows } from './windows';
import { parseCsvText } from './csv';
import { getColumn } from './table';
import { loadGolden, maxAbsDiff, readShared } from '../../test/shared';
import { toNested } from '../lstm/tensor';

const golden = loadGolden().scalers;
const fromRows = (rows: number[][]): Matrix => ({
  data: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});
const rowsOf = (m: Matrix) => toNested(m.data, [m.rows, m.cols]);

describe('scalers match sklearn (golden file)', () => {
  const X = fromRows(golden.synthetic.X);

  it('StandardScaler: mean_, var_, scale_, transform, a new row', () => {
    const s = fitStandardScaler(X);
    const g = golden.synthetic.standard;
    expect(maxAbsDiff(s.mean, g.mean_)).toBeLessThan(1e-12);
    expect(maxAbsDiff(s.variance, g.var_)).toBeLessThan(1e-12);
    expect(maxAbsDiff(s.scale, g.scale_)).toBe(0);
    expect(maxAbsDiff(rowsOf(scalerTransform(s, X)), g.transform)).toBeLessThan(1e-12);
    const row = fromRows([g.transform_new_row.row]);
    expect(maxAbsDiff(rowsOf(scalerTransform(s, row)), g.transform_new_row.out)).toBeLessThan(
      1e-12,
    );
    expect(
      maxAbsDiff(rowsOf(scalerInverse(s, scalerTransform(s, X))), golden.synthetic.X),
    ).toBeLessThan(1e-12);
  });

  it('MinMaxScaler: data_min_, data_max_, scale_, min_, transform, inverse', () => {
    const s = fitMinMaxScaler(X);
    const g = golden.synthetic.minmax;
    expect(s.dataMin).toEqual(g.data_min_);
    expect(s.dataMax).toEqual(g.data_max_);
    expect(maxAbsDiff(s.scale, g.scale_)).toBeLessThan(1e-15);
    expect(maxAbsDiff(s.min, g.min_)).toBeLessThan(1e-15);
    expect(maxAbsDiff(rowsOf(scalerTransform(s, X)), g.transform)).toBeLessThan(1e-12);
    const half = fromRows([new Array(X.cols).fill(0.5)]);
    expect(maxAbsDiff(rowsOf(scalerInverse(s, half)), g.inverse_of_half)).toBeLessThan(1e-12);
  });

  it('the seed’s SBUX preprocessing, fitted on all rows as the book does', () => {
    const g = golden.sbux_book;
    const t = parseCsvText(readShared('data', 'SBUX.csv'));
    const col = (n: string) => getColumn(t, n)!.values as Float64Array;
    const Xm = matrixFromColumns(g.X_columns.map(col));
    const ym = matrixFromColumns([col(g.y_column)]);
    const ss = fitStandardScaler(Xm);
    const ms = fitMinMaxScaler(ym);
    expect(maxAbsDiff(ss.mean, g.standard.mean_)).toBeLessThan(1e-9);
    expect(maxAbsDiff(ss.variance, g.standard.var_)).toBeLessThan(1e-9);
    expect(maxAbsDiff(ss.scale, g.standard.scale_)).toBeLessThan(1e-9);
    expect(ms.dataMin).toEqual(g.minmax.data_min_);
    expect(ms.dataMax).toEqual(g.minmax.data_max_);
    const Xs = rowsOf(scalerTransform(ss, Xm)) as number[][];
    const ys = rowsOf(scalerTransform(ms, ym)) as number[][];
    expect(maxAbsDiff(Xs.slice(0, 3), g.X_ss_first3)).toBeLessThan(1e-9);
    expect(maxAbsDiff(Xs[200], g.X_ss_row200)).toBeLessThan(1e-9);
    expect(maxAbsDiff(Xs[Xs.length - 1], g.X_ss_last)).toBeLessThan(1e-9);
    expect(maxAbsDiff(ys.slice(0, 3), g.y_ms_first3)).toBeLessThan(1e-12);
    expect(maxAbsDiff(ys[200], g.y_ms_row200)).toBeLessThan(1e-12);
  });

  it('constant columns: standard → 0 (scale 1), minmax → 0', () => {
    const c = fromRows([
      [5, 1],
      [5, 2],
      [5, 3],
    ]);
    const s = fitStandardScaler(c);
    expect(s.scale[0]).toBe(1);
    expect(Array.from(scalerTransform(s, c).data).filter((_, k) => k % 2 === 0)).toEqual([0, 0, 0]);
    const m = fitMinMaxScaler(c);
    expect(Array.from(scalerTransform(m, c).data).filter((_, k) => k % 2 === 0)).toEqual([0, 0, 0]);
  });

  it('fits on the first rows only when asked (train-only scaling)', () => {
    const m = fromRows([[0], [10], [1000]]);
    expect(fitMinMaxScaler(m, 2).dataMax).toEqual([10]);
    expect(fitStandardScaler(m, 2).mean).toEqual([5]);
  });
});

describe('windows', () => {
  it('window k reads rows k..k+L−1 and targets row k+L−1+horizon', () => {
    const x = fromRows([[0], [1], [2], [3], [4], [5]]);
    const y = [10, 11, 12, 13, 14, 15];
    const w = makeWindows(x, y, { seqLen: 3, horizon: 1 });
    expect(w.count).toBe(3);
    expect(Array.from(gatherWindows(w, [0], new Float64Array(3)))).toEqual([0, 1, 2]);
    expect(Array.from(w.y)).toEqual([13, 14, 15]);
    expect(Array.from(w.targetRow)).toEqual([3, 4, 5]);
    const seed = makeWindows(x, y, { seqLen: 1, horizon: 0 });
    expect(seed.count).toBe(6);
    expect(Array.from(seed.y)).toEqual(y);
  });
});
