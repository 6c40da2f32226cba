import { SEED_RECIPE } from '../src/core/training/stockConfig';
import { expect, test } from './fixtures';
import { referenceCurve } from './referenceCurve';
import { StockLabPage } from './pages/StockLab';

test.describe('Stock lab', () => {
  test('seed recipe on SBUX.csv: trains 50 epochs, loss falls, charts, metrics and baseline appear', async ({
    page,
    consoleErrors,
  }) => {
    void consoleErrors;
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await expect(lab.datasetRows).toHaveText('253');
    await expect(page.getByTestId('first-date')).toHaveText('2019-12-11');
    await expect(page.getByTestId('last-date')).toHaveText('2020-12-10');
    await expect(page.getByTestId('preview-table')).toContainText('Adj Close');

    await lab.button('Seed recipe').click();
    await expect(page.getByTestId('recipe-note')).toContainText('leak');
    await expect(page.getByTestId('target-select')).toHaveValue('Volume');
    await lab.setNumber('epochs-input', 50);
    await lab.button('Train').click();

    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
    expect(await lab.epochNumber()).toBe(50);
    await expect(lab.lossChart).toHaveAttribute('data-epochs', '50');
    // The curve is the core's on the same file, recipe and seed (PyTorch's, to 1e-9).
    const reference = referenceCurve('SBUX.csv', { ...SEED_RECIPE, epochs: 50 });
    const first = Number(await lab.lossChart.getAttribute('data-first-loss'));
    const last = Number(await lab.lossChart.getAttribute('data-last-loss'));
    expect(Math.abs(first - reference[0]) / reference[0]).toBeLessThan(1e-3);
    expect(Math.abs(last - reference[49]) / reference[49]).toBeLessThan(1e-3);
    expect(reference[49]).toBeLessThan(reference[0]);

    // Both series drawn, and the split line where the seed drew it.
    await expect(lab.predictionChart).toHaveAttribute('data-has-predictions', 'true');
    await expect(lab.predictionChart.locator('.recharts-line-curve')).toHaveCount(2);
    await expect(lab.predictionChart.locator('.recharts-reference-line')).toHaveCount(1);
    await expect(lab.predictionChart).toContainText('split');

    // Metrics for the model and for the naive baseline, with a verdict.
    await expect(page.getByTestId('metrics-model')).toContainText(/\d/);
    await expect(page.getByTestId('metrics-naive')).toContainText(/\d/);
    await expect(page.getByTestId('verdict')).toContainText(/naive forecast/);
    // Auto timed the engines on this very model and says how fast the chosen one is.
    await expect(page.getByTestId('run-engine')).toContainText(/ms per batch, measured/);
    // The run is over: the line names the engine, it no longer says "Training on".
    await expect(page.getByTestId('run-engine')).toContainText(
      /Engine: (WASM|WebGPU|WebGL|CPU|Pure TS)/,
    );
    await expect(page.getByTestId('run-engine')).not.toContainText('Training on');
  });

  test('the seed notes’ Starbucks data is one click: 253 rows, opened with the seed recipe', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.button('Starbucks 2019–2020 (the seed notes’ data)').click();
    await expect(lab.datasetName).toContainText('SBUX.csv');
    await expect(lab.datasetRows).toHaveText('253');
    await expect(page.getByTestId('first-date')).toHaveText('2019-12-11');
    await expect(lab.button('Seed recipe')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('target-select')).toHaveValue('Volume');
    // The notes' split: the first 200 rows train, the last 53 test.
    await expect(page.getByTestId('recipe-note')).toContainText('first 200 rows');
    await expect(page.getByTestId('setup-notice')).toHaveCount(0);
  });

  test('a Nasdaq export ($ prices, newest first) is read in date order', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('nasdaq_SBUX.csv');
    await expect(page.getByTestId('first-date')).toHaveText('2013-12-02');
    await expect(page.getByTestId('last-date')).toHaveText('2023-11-29');
    await expect(page.getByTestId('data-warnings')).toContainText('newest row first');
    await expect(page.getByTestId('target-select')).toHaveValue('Close/Last');
    // The first preview row is the oldest day, with the dollar sign read away.
    await expect(page.getByTestId('preview-table').locator('tbody tr').first()).toContainText(
      '40.535',
    );
  });

  test('a broken file shows one clear error and the earlier dataset stays', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await lab.upload('broken.csv', 'Date,Open,Close\n2020-01-01,1,2\n2020-01-02,1,2,3,4\n');
    await expect(lab.dataError).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Line 3 has 5 fields');
    await expect(lab.datasetName).toHaveText('SBUX.csv');
    await expect(lab.datasetRows).toHaveText('253');
    // A binary file: refused the same way.
    await lab.upload('sheet.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0xff, 0xfe]));
    await expect(page.getByRole('alert')).toContainText('not text');
    await expect(lab.datasetName).toHaveText('SBUX.csv');
    // A good file afterwards clears the message.
    await lab.uploadShared('stooq_aapl_us_d.csv');
    await expect(lab.dataError).toHaveCount(0);
  });

  test('Pause stops the epoch counter, Step epoch adds one, Resume continues', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.setNumber('epochs-input', 5000);
    await page.getByLabel('Speed').selectOption('10');
    await lab.button('Train').click();
    await expect.poll(() => lab.epochNumber(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await lab.button('Pause').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'paused');
    const paused = await lab.epochNumber();
    await page.waitForTimeout(1500);
    expect(await lab.epochNumber()).toBe(paused);
    // A pause lands within the epoch on a busy machine: the status says which batch it is at.
    const status = page.getByTestId('batch-status');
    const at = (await status.count())
      ? Number(/batch (\d+) of/.exec((await status.textContent()) ?? '')?.[1] ?? 0)
      : 0;
    await lab.button('Step batch').click();
    await expect(status).toContainText(new RegExp(`batch ${at + 1} of \\d+ \\(loss`));
    await lab.button('Step batch').click();
    await expect(status).toContainText(`batch ${at + 2} of`);
    expect(await lab.epochNumber()).toBe(paused);
    // Step epoch finishes the epoch those batches started.
    await lab.button('Step epoch').click();
    await expect.poll(() => lab.epochNumber()).toBe(paused + 1);
    await lab.button('Resume').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'running');
    await expect.poll(() => lab.epochNumber(), { timeout: 20_000 }).toBeGreaterThan(paused + 2);
    await lab.button('Stop').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'stopped');
  });

  test('exports predictions and weights; the weights import back and training continues', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.trainSeedRecipe(20);

    const csv = (await lab.download('Predictions (CSV)')).trim().split('\n');
    expect(csv[0]).toBe('date,actual Volume,predicted Volume,split');
    expect(csv).toHaveLength(254);
    expect(csv[1]).toMatch(/^2019-12-11,\d+,[-\d.e]+,train$/);
    expect(csv[253]).toMatch(/^2020-12-10,\d+,[-\d.e]+,test$/);

    const json = await lab.download(/Weights, epoch 20/);
    const file = JSON.parse(json);
    expect(file.format).toBe('lstm-lab/stock-model');
    expect(file.state_dict['lstm.weight_ih_l0']).toHaveLength(8);

    expect(await lab.download('PyTorch script (.py)')).toContain('model.load_state_dict');

    await page.getByTestId('model-input').setInputFiles({
      name: 'model.json',
      mimeType: 'application/json',
      buffer: Buffer.from(json),
    });
    await expect(page.getByTestId('imported-note')).toContainText('epoch 20');
    await lab.setNumber('epochs-input', 25);
    await lab.button('Continue training').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
    expect(await lab.epochNumber()).toBe(25);

    // A state_dict with a wrong shape is refused with a sentence; the model stays.
    file.state_dict['fc.bias'] = [1, 2, 3];
    await page.getByTestId('model-input').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await expect(lab.runError).toContainText('fc.bias');
    await expect(page.getByRole('button', { name: /Weights, epoch 25/ })).toBeEnabled();
  });

  test('bundled datasets load without upload; a ticker can be picked', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.button('S&P 500 (2000–2020, daily)').click();
    await expect(lab.datasetRows).toHaveText('5,105');
    await expect(page.getByTestId('first-date')).toHaveText('2000-01-03');
    // Predicting price levels, the S&P's test years rise past everything the training years
    // saw: the app says so.
    await page.getByTestId('target-kind').selectOption('price');
    await lab.setNumber('epochs-input', 1);
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
    await expect(page.getByTestId('range-hint')).toContainText(
      'beyond the values seen in training',
    );
    await lab.button('Five tech stocks (monthly)').click();
    await expect(page.getByLabel('Ticker')).toHaveValue('AAPL');
    await page.getByLabel('Ticker').selectOption('MSFT');
    await expect(lab.datasetRows).toHaveText('123');
    await expect(page.getByTestId('target-select')).toHaveValue('price');
  });

  test('a learning rate of 10 makes the loss explode: the run stops, says why, and keeps a model', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await lab.button('Seed recipe').click();
    await lab.setNumber('lr-input', 10);
    await lab.setNumber('epochs-input', 300);
    await lab.button('Train').click();
    await expect(lab.runError).toContainText('learning rate (10) is too high', { timeout: 45_000 });
    await expect(lab.runStatus).toHaveAttribute('data-status', 'stopped');
    await expect(page.getByRole('button', { name: /Weights, epoch \d+/ })).toBeEnabled();
    await expect(lab.lossChart).toBeVisible();
    await expect(lab.predictionChart).toBeVisible();
  });
});
