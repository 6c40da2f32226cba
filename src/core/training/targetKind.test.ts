import { describe, expect, it } from 'vitest';
import { readShared } from '../../test/shared';
import { parseCsvText } from '../data/csv';
import { NEXT_DAY_RECIPE, SEED_RECIPE } from './stockConfig';
import { naivePrediction, prepareStockDataset, unscaleTarget } from './stockData';

const table = parseCsvText(readShared('data', 'SBUX.csv'));

describe('what the network predicts: price, daily change or log return', () => {
  for (const kind of ['price', 'change', 'logReturn'] as const) {
    it(`${kind}: the scaled target of every window turns back into the actual price exactly`, () => {
      const ds = prepareStockDataset(table, { ...NEXT_DAY_RECIPE, targetKind: kind });
      expect(ds.targetKind).toBe(kind);
      const back = unscaleTarget(ds, ds.all.y, ds.all, 0);
      for (let k = 0; k < ds.all.count; k++) {
        expect(Math.abs(back[k] - ds.targetRaw[ds.all.targetRow[k]])).toBeLessThan(1e-9);
      }
      // Test windows alone (the metrics' path) too.
      const t = unscaleTarget(ds, ds.test.y, ds.test);
      expect(Math.abs(t[0] - ds.targetRaw[ds.test.targetRow[0]])).toBeLessThan(1e-9);
    });
  }

  it('a predicted change of zero is exactly "tomorrow = today"', () => {
    for (const kind of ['change', 'logReturn'] as const) {
      const ds = prepareStockDataset(table, { ...NEXT_DAY_RECIPE, targetKind: kind });
      const s = ds.yScaler;
      const zero = new Float64Array(ds.all.count).fill(s.min[0]);
      const asPrice = unscaleTarget(ds, zero, ds.all, 0);
      const naive = naivePrediction(ds, ds.all, 1);
      for (let k = 0; k < ds.all.count; k++)
        expect(Math.abs(asPrice[k] - naive[k])).toBeLessThan(1e-9);
    }
  });

  it('the next-day recipe predicts log returns; the seed (horizon 0) keeps the level', () => {
    expect(prepareStockDataset(table, NEXT_DAY_RECIPE).targetKind).toBe('logReturn');
    expect(prepareStockDataset(table, { ...SEED_RECIPE, targetKind: 'change' }).targetKind).toBe(
      'price',
    );
  });
});

describe('full batch on a large file', () => {
  it('is refused with a sentence that says what to choose instead', async () => {
    const { checkFullBatch, FULL_BATCH_MAX_WINDOWS } = await import('./stockData');
    const ds = prepareStockDataset(table, { ...SEED_RECIPE });
    expect(() => checkFullBatch(ds, SEED_RECIPE)).not.toThrow();
    const big = { ...ds, train: { ...ds.train, count: FULL_BATCH_MAX_WINDOWS + 1 } };
    expect(() => checkFullBatch(big, SEED_RECIPE)).toThrow(/Choose a batch size such as 32/);
    expect(() => checkFullBatch(big, { ...SEED_RECIPE, batchSize: 32 })).not.toThrow();
  });
});
