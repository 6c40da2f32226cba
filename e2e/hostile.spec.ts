import { statSync, writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

/** Every kind of broken file the foundation refuses, each with the sentence it must show. */
const BROKEN: [name: string, content: string | Buffer, message: RegExp][] = [
  ['empty.csv', '', /The file is empty/],
  ['header-only.csv', 'Date,Open,Close\n', /header row but no data rows/],
  ['words.csv', 'Name,City\nAda,London\nAlan,Wilmslow\n', /No column holds numbers/],
  ['ragged.csv', 'Date,Close\n2020-01-01,1\n2020-01-02,2,3,4\n', /Line 3 has 4 fields/],
  [
    'sheet.xlsx',
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0xff, 0xfe, 0, 1]),
    /not text/,
  ],
];

test.describe('hostile and broken input', () => {
  test('every broken file kind gets one clear message and the loaded dataset stays', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    for (const [name, content, message] of BROKEN) {
      await lab.upload(name, content);
      await expect(page.getByRole('alert'), name).toContainText(message);
      await expect(lab.datasetName).toHaveText('SBUX.csv');
      await expect(lab.datasetRows).toHaveText('253');
    }
  });

  test('a 60 MB file is parsed in a worker with a progress bar; the page keeps answering', async ({
    page,
  }, info) => {
    test.setTimeout(120_000);
    const path = info.outputPath('big.csv');
    const lines = ['Date,Open,High,Low,Close,Adj Close,Volume'];
    let day = Date.UTC(1990, 0, 1);
    for (let k = 0; k < 1_000_000; k++) {
      const d = new Date(day).toISOString().slice(0, 19).replace('T', ' ');
      const p = (100 + 10 * Math.sin(k / 500)).toFixed(4);
      lines.push(`${d},${p},${p},${p},${p},${p},${1_000_000 + (k % 977)}`);
      day += 60_000;
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(statSync(path).size).toBeGreaterThan(60 * 1024 * 1024);
    const lab = new StockLabPage(page);
    await lab.open();
    await page.getByTestId('csv-input').setInputFiles(path);
    await expect(page.getByRole('status').filter({ hasText: /Reading big\.csv/ })).toBeVisible();
    // While it parses, the page still responds: switching views works and comes back.
    const t0 = Date.now();
    await page.getByRole('link', { name: 'Why LSTM' }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Why LSTM');
    await page.getByRole('link', { name: 'Stock lab' }).click();
    expect(Date.now() - t0).toBeLessThan(5000);
    await expect(lab.datasetName).toHaveText('big.csv', { timeout: 90_000 });
    await expect(lab.datasetRows).toHaveText('1,000,000');
  });

  test('state_dict files with a wrong shape, a NaN or a missing key are refused, the model stays', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.trainSeedRecipe(5);
    const file = JSON.parse(await lab.download(/Weights, epoch 5/));
    const variants: [string, (f: typeof file) => void, RegExp][] = [
      ['shape.json', (f) => (f.state_dict['lstm.weight_ih_l0'] = [[1, 2]]), /weight_ih_l0/],
      ['nan.json', (f) => (f.state_dict['fc.bias'] = ['NaN']), /not a finite number/],
      ['missing.json', (f) => delete f.state_dict['fc_1.weight'], /missing "fc_1.weight"/],
    ];
    for (const [name, spoil, message] of variants) {
      const bad = structuredClone(file);
      spoil(bad);
      await page.getByTestId('model-input').setInputFiles({
        name,
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(bad)),
      });
      await expect(lab.runError, name).toContainText(message);
      await expect(page.getByRole('button', { name: /Weights, epoch 5/ })).toBeEnabled();
    }
    await expect(lab.predictionChart).toHaveAttribute('data-has-predictions', 'true');
  });
});
