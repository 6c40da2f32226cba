import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasTorch, PYTHON } from '../test/python';
import { cli, cliJson, tempDir } from '../test/cli';
import { toSeedDigitStateDict } from '../test/seedFormat';
import { loadGolden, loadModelsGolden, maxAbsDiff, readShared, sharedPath } from '../test/shared';
import { parseCsvText } from '../core/data/csv';
import { RegressionTrainer } from '../core/training/regressionTrainer';
import { SEED_RECIPE } from '../core/training/stockConfig';
import { prepareStockDataset } from '../core/training/stockData';

const GOLDEN = sharedPath('golden', 'lstm_golden.json');
const golden = loadGolden();

const run = promisify(execFile);
const json = cliJson;

describe('lstm-lab CLI', () => {
  it('forward on the LSTMCell golden state_dict: one layer, output = h of every step', async () => {
    const out = await json(
      'forward',
      '--state-dict',
      `${GOLDEN}#lstm_cell`,
      '--input',
      `${GOLDEN}#input`,
    );
    expect(out.layers).toHaveLength(1);
    expect(
      maxAbsDiff(
        out.layers[0].steps.map((s: { f: unknown }) => s.f),
        golden.lstm_cell.steps.map((s: { f: unknown }) => s.f),
      ),
    ).toBeLessThan(1e-9);
    expect(maxAbsDiff(out.output, golden.lstm_cell.outputs_h)).toBeLessThan(1e-9);
    expect(maxAbsDiff(out.h_n, [golden.lstm_cell.final_h])).toBeLessThan(1e-9);
  });

  it('forward and grad on a plain state_dict file and input file (2-layer nn.LSTM)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sd.json'), JSON.stringify(golden.lstm.state_dict));
    writeFileSync(join(dir, 'x.json'), JSON.stringify(golden.input));
    const fwd = await json(
      'forward',
      '--state-dict',
      join(dir, 'sd.json'),
      '--input',
      join(dir, 'x.json'),
    );
    expect(fwd.layers).toHaveLength(2);
    expect(maxAbsDiff(fwd.c_n, golden.lstm.c_n)).toBeLessThan(1e-9);
    const g = await json(
      'grad',
      '--state-dict',
      join(dir, 'sd.json'),
      '--input',
      join(dir, 'x.json'),
    );
    expect(Math.abs(g.loss - golden.lstm.loss)).toBeLessThan(1e-9);
    for (const [name, want] of Object.entries(golden.lstm.grads))
      expect(maxAbsDiff(g.grads[name], want)).toBeLessThan(1e-9);
    expect(maxAbsDiff(g.grad_input, golden.lstm.grad_input)).toBeLessThan(1e-9);
  });

  it.each(['seed_digit_model', 'seed_stock_model'])(
    'model-grad and model-adam on %s match PyTorch to 1e-9',
    async (key) => {
      const g = loadModelsGolden()[key];
      const file = sharedPath('golden', 'models_golden.json');
      const target = `${file}#${key}.${key === 'seed_digit_model' ? 'labels' : 'targets'}`;
      const base = ['--state-dict', `${file}#${key}`, '--input', `${file}#${key}.input`];
      const out = await json('model-grad', ...base, '--target', target);
      expect(out.kind).toBe(key === 'seed_digit_model' ? 'digit' : 'stock');
      expect(maxAbsDiff(out.output, g.output)).toBeLessThan(1e-9);
      expect(Math.abs(out.loss - g.loss)).toBeLessThan(1e-9);
      expect(Object.keys(out.grads).sort()).toEqual(Object.keys(g.grads).sort());
      for (const [name, want] of Object.entries(g.grads))
        expect(maxAbsDiff(out.grads[name], want), name).toBeLessThan(1e-9);
      const adam = await json(
        'model-adam',
        ...base,
        '--target',
        target,
        '--steps',
        String(g.adam.steps),
        '--lr',
        String(g.adam.lr),
      );
      expect(maxAbsDiff(adam.losses, g.adam.loss_before_each_step)).toBeLessThan(1e-9);
      expect(Object.keys(adam.state_dict).sort()).toEqual(Object.keys(g.state_dict).sort());
      for (const [name, want] of Object.entries(g.adam.state_dict_after))
        expect(maxAbsDiff(adam.state_dict[name], want), name).toBeLessThan(1e-9);
    },
  );

  it.skipIf(!hasTorch)(
    'model-grad and model-adam match PyTorch on other shapes (hidden 5 cell, 3-layer LSTM)',
    async () => {
      const dir = tempDir();
      const ref = join(dir, 'ref.json');
      await run(PYTHON, [resolve(import.meta.dirname, '../test/seed_models.py'), ref]);
      const cases = JSON.parse(readFileSync(ref, 'utf8'));
      for (const [kind, c] of Object.entries(cases) as [string, Record<string, never>][]) {
        const base = [
          '--state-dict',
          `${ref}#${kind}.state_dict`,
          '--input',
          `${ref}#${kind}.input`,
        ];
        const target = ['--target', `${ref}#${kind}.target`];
        const out = await json('model-grad', ...base, ...target);
        expect(out.kind).toBe(kind);
        expect(maxAbsDiff(out.output, c.output)).toBeLessThan(1e-9);
        expect(Math.abs(out.loss - c.loss)).toBeLessThan(1e-9);
        for (const [name, want] of Object.entries(c.grads))
          expect(maxAbsDiff(out.grads[name], want), `${kind} ${name}`).toBeLessThan(1e-9);
        const adam = await json('model-adam', ...base, ...target, '--steps', '3', '--lr', '0.02');
        expect(maxAbsDiff(adam.losses, c.adam_losses)).toBeLessThan(1e-9);
        for (const [name, want] of Object.entries(c.adam_state_dict))
          expect(maxAbsDiff(adam.state_dict[name], want), `${kind} ${name}`).toBeLessThan(1e-9);
      }
    },
  );

  it('model-grad refuses a target of the wrong shape with one line', async () => {
    const file = sharedPath('golden', 'models_golden.json');
    const r = await cli(
      'model-grad',
      '--state-dict',
      `${file}#seed_stock_model`,
      '--input',
      `${file}#seed_stock_model.input`,
      '--target',
      `${file}#seed_digit_model.labels`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lstm-lab model-grad: the target must be \[\[y\], …\] with 7 rows/);
  });

  it('inspect: numbers as numbers, dates as YYYY-MM-DD, newest-first reordered', async () => {
    const out = await json('inspect', sharedPath('data', 'nasdaq_SBUX.csv'));
    expect(out).toMatchObject({
      rows: 2516,
      dateColumn: 'Date',
      closeColumn: 'Close/Last',
      order: 'ascending',
      dropped: 0,
    });
    expect(out.last).toEqual({
      Date: '2023-11-29',
      'Close/Last': 99.85,
      Volume: 8428536,
      Open: 101.51,
      High: 101.69,
      Low: 99.53,
    });
    const kospi = await json('inspect', sharedPath('data', 'yahoo_KS11_kospi_with_null.csv'));
    expect(kospi.dropped).toBe(1);
    expect(kospi.warnings.join(' ')).toMatch(/1 row\(s\) have a missing value/);
  });

  it('inspect: a Stooq export whose first day has no volume is read, the short row reported', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'stooq.csv'),
      'Date,Open,High,Low,Close,Volume\n2011-01-03,17.2,17.28,17.09,17.23\n2011-01-04,17.3,17.4,17.1,17.35,1200\n2011-01-05,17.4,17.5,17.2,17.45,1300\n',
    );
    const out = await json('inspect', join(dir, 'stooq.csv'));
    expect(out.rows).toBe(3);
    expect(out.first).toMatchObject({ Date: '2011-01-03', Close: 17.23, Volume: null });
    expect(out.warnings.join(' ')).toMatch(/1 row\(s\) have fewer cells than the header/);
  });

  it('inspect: "1.08B" and "73,73" in a ; file', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'de.csv'),
      'Datum;Schlusskurs;Volumen\n02.01.2024;73,73;1.08B\n03.01.2024;74,10;2,5M\n',
    );
    const out = await json('inspect', join(dir, 'de.csv'));
    expect(out.first).toEqual({ Datum: '2024-01-02', Schlusskurs: 73.73, Volumen: 1080000000 });
    expect(out.last.Volumen).toBe(2500000);
  });

  it('inspect streams a 60 MB, one-million-row file', async () => {
    const file = join(tempDir(), 'big.csv');
    const out = createWriteStream(file);
    out.write('Date,Open,High,Low,Close,Volume\n');
    const day = Date.UTC(1990, 0, 1);
    for (let k = 0; k < 1_000_000; k++) {
      const p = (100 + (k % 977) / 10).toFixed(4);
      const line = `${new Date(day + k * 60_000).toISOString().slice(0, 19).replace('T', ' ')},${p},${p},${p},${p},${1000 + k}\n`;
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    const summary = await json('inspect', file);
    expect(summary.rows).toBe(1_000_000);
    expect(summary.last.Volume).toBe(1_000_999);
    expect(summary.last.Date).toBe('1991-11-26T10:39:00');
  }, 120_000);

  it('train --recipe seed: the seed’s setup, epoch lines then model vs naive metrics', async () => {
    const r = await cli(
      'train',
      sharedPath('data', 'SBUX.csv'),
      '--recipe',
      'seed',
      '--epochs',
      '5',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(Object.keys(lines[0])).toEqual(['epoch', 'trainLoss', 'testLoss']);
    // Each epoch's loss is the core trainer's, which follows PyTorch's curve to 1e-9.
    const config = { ...SEED_RECIPE, epochs: 5 };
    const data = prepareStockDataset(parseCsvText(readShared('data', 'SBUX.csv')), config);
    const reference = new RegressionTrainer(data, config);
    for (const line of lines.slice(0, 5)) {
      const want = reference.stepEpoch();
      expect(line.trainLoss).toBeCloseTo(want.trainLoss, 12);
      expect(line.testLoss).toBeCloseTo(want.testLoss, 12);
    }
    const final = lines[5];
    expect(final).toMatchObject({
      engine: 'core',
      target: 'Volume',
      trainWindows: 200,
      testWindows: 53,
    });
    expect(final.features).toEqual(['Open', 'High', 'Low', 'Close', 'Adj Close']);
    for (const k of ['rmse', 'mae', 'mape']) {
      expect(final.test.model[k]).toBeGreaterThan(0);
      expect(final.test.naive[k]).toBeGreaterThan(0);
    }
  });

  it('train is reproducible from its seed', async () => {
    const a = await cli('train', sharedPath('data', 'SBUX.csv'), '--epochs', '2', '--seed', '7');
    const b = await cli('train', sharedPath('data', 'SBUX.csv'), '--epochs', '2', '--seed', '7');
    expect(a.stdout).toBe(b.stdout);
  });

  it('errors are one line on stderr with a non-zero exit', async () => {
    const missing = await cli('train', sharedPath('data', 'nasdaq_SBUX.csv'), '--recipe', 'seed');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(
      /no column named "Close", "Adj Close"; its columns are "Date", "Close\/Last"/,
    );
    const nofile = await cli('inspect', '/nonexistent.csv');
    expect(nofile.code).not.toBe(0);
    expect(nofile.stderr.trim().split('\n')).toHaveLength(1);
    const bad = await cli('frobnicate');
    expect(bad.code).toBe(2);
  });
});

describe('lstm-lab mnist-eval / mnist-train', () => {
  it('the committed digit model reads ≥ 97% of the 2,000 held-out digits', async () => {
    const model = resolve(import.meta.dirname, '../../public/models/digit-lstm.json');
    const out = await json('mnist-eval', model);
    expect(out.n).toBe(2000);
    expect(out.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(out.confusion).toHaveLength(10);
    const total = (out.confusion as number[][]).flat().reduce((a, b) => a + b, 0);
    const right = (out.confusion as number[][]).reduce((a, row, k) => a + row[k], 0);
    expect(total).toBe(2000);
    expect(right / total).toBe(out.accuracy);
    // The same weights saved as the seed notes' LSTMModel state_dict read exactly the same.
    const file = JSON.parse(readFileSync(model, 'utf8'));
    const seedFile = join(tempDir(), 'seed-digit.json');
    writeFileSync(seedFile, JSON.stringify(toSeedDigitStateDict(file.state_dict)));
    const seed = await json('mnist-eval', seedFile);
    expect(seed.accuracy).toBe(out.accuracy);
    expect(seed.confusion).toEqual(out.confusion);
  }, 60_000);

  it('trains a small model, logs each epoch and writes a file mnist-eval can read', async () => {
    const out = join(tempDir(), 'tiny.json');
    const r = await cli(
      'mnist-train',
      '--out',
      out,
      '--hidden',
      '32',
      '--epochs',
      '1',
      '--lr',
      '5e-3',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ event: 'start', train: 8000, test: 2000 });
    expect(lines[1]).toMatchObject({ epoch: 1 });
    // One epoch from scratch (the app's quick setting) reads at least half the held-out digits.
    expect(lines[1].testAccuracy).toBeGreaterThanOrEqual(0.5);
    const evaluated = await json('mnist-eval', out);
    expect(evaluated.accuracy).toBe(lines[1].testAccuracy);
  }, 120_000);
});
