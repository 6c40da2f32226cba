import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../data/csv';
import { loadModelsGolden, sharedPath, readShared } from '../../test/shared';
import { hasTorch, runPython } from '../../test/python';
import { RegressionTrainer } from '../training/regressionTrainer';
import { NEXT_DAY_RECIPE, SEED_RECIPE } from '../training/stockConfig';
import { prepareStockDataset } from '../training/stockData';
import { csvCell, csvLine } from './csvCell';
import { parseStockModel, predictionsCsv, pytorchScript, stockModelFile } from './stockModel';
import { evaluateSeries, stockSeries } from '../training/stockSeries';

const table = parseCsvText(readShared('data', 'SBUX.csv'));
const config = { ...SEED_RECIPE, headSize: 16, learningRate: 1e-3 };
const ds = prepareStockDataset(table, config);
const trainer = new RegressionTrainer(ds, config);
for (let e = 0; e < 3; e++) trainer.stepEpoch();
const file = stockModelFile(ds, config, trainer.epoch, trainer.stateDict());

describe('stock series', () => {
  it('judges predictions exactly as the trainer’s own evaluation does', () => {
    const fromSeries = evaluateSeries(stockSeries(ds, config.horizon), trainer.predictAll());
    const direct = trainer.evaluate();
    expect(fromSeries.model.rmse).toBeCloseTo(direct.model.rmse, 6);
    expect(fromSeries.model.mape).toBeCloseTo(direct.model.mape, 6);
    expect(fromSeries.naive.rmse).toBeCloseTo(direct.naive.rmse, 9);
    expect(fromSeries.beatsNaive).toBe(direct.beatsNaive);
  });
});

describe('csvCell', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(NaN)).toBe('');
    expect(csvLine(['a,b', 2])).toBe('"a,b",2');
  });
});

describe('stock model export and import', () => {
  it('round-trips: the imported weights and metadata equal the exported ones', () => {
    const back = parseStockModel(JSON.stringify(file));
    expect(back.stateDict).toEqual(file.state_dict);
    expect(back.shape).toEqual({ inputSize: 5, hiddenSize: 2, numLayers: 1, headSize: 16 });
    expect(back.epoch).toBe(3);
    expect(back.features).toEqual(['Open', 'High', 'Low', 'Close', 'Adj Close']);
    expect(back.target).toBe('Volume');
  });

  it('reads a bare PyTorch state_dict too', () => {
    const back = parseStockModel(JSON.stringify(file.state_dict));
    expect(back.config).toBeNull();
    expect(back.shape.hiddenSize).toBe(2);
  });

  it('reads the seed notes’ stock model and a seed-cell (x2h/h2h) spelling, under the app’s names', () => {
    const g = loadModelsGolden().seed_stock_model;
    const bare = parseStockModel(JSON.stringify(g.state_dict));
    expect(bare.shape).toEqual({ inputSize: 5, hiddenSize: 2, numLayers: 1, headSize: 128 });
    const cell = Object.fromEntries(
      Object.entries(g.state_dict as Record<string, unknown>).map(([k, v]) => [
        k
          .replace('lstm.weight_ih_l0', 'lstm.x2h.weight')
          .replace('lstm.bias_ih_l0', 'lstm.x2h.bias')
          .replace('lstm.weight_hh_l0', 'lstm.h2h.weight')
          .replace('lstm.bias_hh_l0', 'lstm.h2h.bias'),
        v,
      ]),
    );
    expect(Object.keys(cell)).toContain('lstm.x2h.weight');
    const imported = parseStockModel(JSON.stringify(cell));
    expect(Object.keys(imported.stateDict).sort()).toEqual(Object.keys(g.state_dict).sort());
    for (const [k, v] of Object.entries(g.state_dict)) expect(imported.stateDict[k]).toEqual(v);
  });

  it('refuses broken files with one clear sentence each', () => {
    expect(() => parseStockModel('{not json')).toThrow(/not JSON/);
    const sd = structuredClone(file.state_dict);
    delete sd['fc.bias'];
    expect(() => parseStockModel(JSON.stringify(sd))).toThrow(/missing "fc.bias"/);
    const wrong = structuredClone(file.state_dict);
    wrong['lstm.weight_hh_l0'] = [[1, 2, 3]];
    expect(() => parseStockModel(JSON.stringify(wrong))).toThrow(/must be 4H × H/);
    const text = JSON.stringify(file).replace(/("fc.bias":\[)[-0-9.e]+/, '$1"NaN"');
    expect(() => parseStockModel(text)).toThrow(/not a finite number/);
    expect(() => parseStockModel(JSON.stringify({ ...file, features: ['a'] }))).toThrow(
      /1 feature\(s\) but its weights read 5/,
    );
  });

  it('exports predictions with dates, actual values and the period of each row', () => {
    const csv = predictionsCsv(stockSeries(ds, 0), trainer.predictAll()).trim().split('\n');
    expect(csv[0]).toBe('date,actual Volume,predicted Volume,split');
    expect(csv).toHaveLength(ds.all.count + 1);
    expect(csv[1]).toMatch(/^2019-12-11,\d+,[-0-9.e]+,train$/);
    expect(csv[201]).toMatch(/,test$/);
    expect(csv[200]).toMatch(/,train$/);
  });
});

describe('generated PyTorch script', () => {
  it.skipIf(!hasTorch)(
    'rebuilds the model and predicts what the core predicts, every window',
    () => {
      const out = runPython(
        { 'model.json': JSON.stringify(file), 'model.py': pytorchScript(file, 'model.json') },
        'model.py',
        [sharedPath('data', 'SBUX.csv'), '--all'],
      );
      const lines = out.trim().split('\n');
      const value = Number(/window: (\S+)/.exec(lines[0])?.[1]);
      const ours = trainer.predictAll();
      const last = ours[ds.all.count - 1];
      expect(Math.abs(value - last) / Math.abs(last)).toBeLessThan(1e-4);
      const theirs = JSON.parse(lines[1]) as number[];
      expect(theirs.length).toBeGreaterThanOrEqual(ds.all.count);
      // Volumes are ~1e7: compare relative to the target's range.
      const range = Math.max(...ds.targetRaw) - Math.min(...ds.targetRaw);
      let worst = 0;
      for (let k = 0; k < ds.all.count; k++) worst = Math.max(worst, Math.abs(theirs[k] - ours[k]));
      expect(worst / range).toBeLessThan(1e-5);
    },
  );
});

describe('generated PyTorch script, next-day log returns', () => {
  it.skipIf(!hasTorch)(
    'turns predicted log returns back into prices as the app does, every window',
    () => {
      const cfg = { ...NEXT_DAY_RECIPE, hiddenSize: 4, headSize: 8, epochs: 2 };
      const d = prepareStockDataset(table, cfg);
      expect(d.targetKind).toBe('logReturn');
      const tr = new RegressionTrainer(d, cfg);
      tr.stepEpoch();
      tr.stepEpoch();
      const f = stockModelFile(d, cfg, tr.epoch, tr.stateDict());
      const out = runPython(
        { 'model.json': JSON.stringify(f), 'model.py': pytorchScript(f, 'model.json') },
        'model.py',
        [sharedPath('data', 'SBUX.csv'), '--all'],
      );
      const theirs = JSON.parse(out.trim().split('\n')[1]) as number[];
      const ours = tr.predictAll();
      // The script also predicts from the last window, which has no tomorrow yet.
      expect(theirs.length).toBe(d.all.count + 1);
      let worst = 0;
      for (let k = 0; k < d.all.count; k++) worst = Math.max(worst, Math.abs(theirs[k] - ours[k]));
      expect(worst).toBeLessThan(1e-3);
    },
  );
});
