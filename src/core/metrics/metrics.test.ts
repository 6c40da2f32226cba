import { describe, expect, it } from 'vitest';
import { loadModelsGolden } from '../../test/shared';
import {
  NEXT_DAY_RECIPE,
  evaluateSeries,
  naivePrediction,
  parseCsvText,
  prepareStockDataset,
  regressionMetrics,
  stockSeries,
  upShare,
} from '../index';

const g = loadModelsGolden().metrics;
const series = g.series as number[];
const prediction = g.prediction as number[];

/** The golden series as a daily CSV, so the naive forecast comes from the app's own windows. */
function seriesDataset() {
  const day = (k: number) => new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);
  const csv = ['Date,Close', ...series.map((v, k) => `${day(k)},${v}`)].join('\n');
  const config = { ...NEXT_DAY_RECIPE, seqLen: 1, horizon: 1, split: { kind: 'rows', rows: 10 } };
  return prepareStockDataset(parseCsvText(csv), config as typeof NEXT_DAY_RECIPE);
}

describe('metrics against sklearn', () => {
  it('RMSE, MAE and MAPE (%) of a prediction to 1e-9', () => {
    const actual = series.slice(1);
    const m = regressionMetrics(prediction, actual, series.slice(0, -1));
    expect(Math.abs(m.rmse - g.model.rmse)).toBeLessThan(1e-9);
    expect(Math.abs(m.mae - g.model.mae)).toBeLessThan(1e-9);
    expect(Math.abs(m.mape - g.model.mape)).toBeLessThan(1e-9);
  });

  it('the app’s "tomorrow = today" windows: actual[k] = series[k+1], naive[k] = series[k]', () => {
    const ds = seriesDataset();
    expect(ds.all.count).toBe(series.length - 1);
    const naive = naivePrediction(ds, ds.all, 1);
    const actual = Array.from(ds.all.targetRow, (r) => ds.targetRaw[r]);
    for (let k = 0; k < ds.all.count; k++) {
      expect(actual[k]).toBe(series[k + 1]);
      expect(naive[k]).toBe(series[k]);
    }
  });

  it('the naive baseline’s metrics, through the app’s evaluation, to 1e-9', () => {
    const s = stockSeries(seriesDataset(), 1);
    // Judge every window, as the reference does (the app judges only those after the split).
    const ev = evaluateSeries({ ...s, trainCount: 0 }, prediction);
    for (const key of ['rmse', 'mae', 'mape'] as const) {
      expect(Math.abs(ev.naive[key] - g.naive[key]), `naive ${key}`).toBeLessThan(1e-9);
      expect(Math.abs(ev.model[key] - g.model[key]), `model ${key}`).toBeLessThan(1e-9);
    }
    expect(ev.beatsNaive).toBe(g.model.rmse < g.naive.rmse);
  });
});

describe('upShare', () => {
  it('is the share of rows that went up, of those that moved (what "always up" scores)', () => {
    expect(upShare([2, 1, 3, 3], [1, 2, 2, 3])).toBeCloseTo(2 / 3, 12);
    expect(Number.isNaN(upShare([1], [1]))).toBe(true);
  });
});
