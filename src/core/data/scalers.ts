/**
 * sklearn's StandardScaler and MinMaxScaler, column-wise over a row-major matrix, fitted on a
 * chosen range of rows (the training rows, or all rows as the seed did).
 */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface StandardScaler {
  kind: 'standard';
  mean: number[];
  /** Population variance (ddof = 0), as sklearn's var_. */
  variance: number[];
  /** √variance, with 1 for a constant column (sklearn's scale_). */
  scale: number[];
}

export interface MinMaxScaler {
  kind: 'minmax';
  dataMin: number[];
  dataMax: number[];
  /** sklearn's scale_ = 1 / (max − min), 1 for a constant column. */
  scale: number[];
  /** sklearn's min_ = −dataMin · scale. */
  min: number[];
}

export type Scaler = StandardScaler | MinMaxScaler;

export function matrixFromColumns(columns: readonly ArrayLike<number>[], rows?: number): Matrix {
  const n = rows ?? columns[0]?.length ?? 0;
  const cols = columns.length;
  const data = new Float64Array(n * cols);
  for (let c = 0; c < cols; c++) for (let r = 0; r < n; r++) data[r * cols + c] = columns[c][r];
  return { data, rows: n, cols };
}

function checkRows(m: Matrix, rowEnd: number): void {
  if (rowEnd < 1 || rowEnd > m.rows)
    throw new Error(`cannot fit a scaler on ${rowEnd} of ${m.rows} rows`);
}

export function fitStandardScaler(m: Matrix, rowEnd = m.rows): StandardScaler {
  checkRows(m, rowEnd);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < m.cols; c++) {
    let s = 0;
    for (let r = 0; r < rowEnd; r++) s += m.data[r * m.cols + c];
    const mu = s / rowEnd;
    let v = 0;
    for (let r = 0; r < rowEnd; r++) {
      const d = m.data[r * m.cols + c] - mu;
      v += d * d;
    }
    mean.push(mu);
    variance.push(v / rowEnd);
  }
  // sklearn's _is_constant_feature: a variance within rounding error of zero means constant,
  // and a constant column gets scale 1 (so it transforms to exactly 0).
  const eps = Number.EPSILON;
  const scale = variance.map((v, c) => {
    const bound = rowEnd * eps * v + (rowEnd * mean[c] * eps) ** 2;
    return v <= bound ? 1 : Math.sqrt(v);
  });
  return { kind: 'standard', mean, variance, scale };
}

export function fitMinMaxScaler(m: Matrix, rowEnd = m.rows): MinMaxScaler {
  checkRows(m, rowEnd);
  const dataMin: number[] = [];
  const dataMax: number[] = [];
  for (let c = 0; c < m.cols; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < rowEnd; r++) {
      const v = m.data[r * m.cols + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    dataMin.push(lo);
    dataMax.push(hi);
  }
  const scale = dataMin.map((lo, c) => {
    const range = dataMax[c] - lo;
    return 1 / (range === 0 ? 1 : range);
  });
  const min = dataMin.map((lo, c) => -lo * scale[c]);
  return { kind: 'minmax', dataMin, dataMax, scale, min };
}

function mapColumns(m: Matrix, f: (v: number, c: number) => number): Matrix {
  const data = new Float64Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) data[r * m.cols + c] = f(m.data[r * m.cols + c], c);
  }
  return { data, rows: m.rows, cols: m.cols };
}

export function scalerTransform(s: Scaler, m: Matrix): Matrix {
  checkCols(s, m);
  return s.kind === 'standard'
    ? mapColumns(m, (v, c) => (v - s.mean[c]) / s.scale[c])
    : mapColumns(m, (v, c) => v * s.scale[c] + s.min[c]);
}

export function scalerInverse(s: Scaler, m: Matrix): Matrix {
  checkCols(s, m);
  return s.kind === 'standard'
    ? mapColumns(m, (v, c) => v * s.scale[c] + s.mean[c])
    : mapColumns(m, (v, c) => (v - s.min[c]) / s.scale[c]);
}

function checkCols(s: Scaler, m: Matrix): void {
  if (s.scale.length !== m.cols) {
    throw new Error(`the scaler was fitted on ${s.scale.length} columns, not ${m.cols}`);
  }
}
