import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

/** What the Stock lab says about a run is what happened: after a reload, a pause, a step. */
test.describe('the Stock lab says what is true', () => {
  test('a reload mid-training loses at most about a second, and banner, chart and weights agree on the epoch', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await lab.setNumber('epochs-input', 400);
    await page.getByLabel('Speed').selectOption('30');
    await lab.button('Train').click();
    await expect.poll(() => lab.epochNumber(), { timeout: 30_000 }).toBeGreaterThanOrEqual(40);
    const before = await lab.epochNumber();
    await page.reload();
    const banner = page.getByTestId('interrupted');
    await expect(banner).toContainText('Training stopped when the page was closed');
    const kept = Number(/epoch (\d+)/.exec((await banner.textContent()) ?? '')?.[1]);
    // Checkpoints are saved at least once a second: at 30 epochs/s, at most ~30 epochs are lost.
    expect(kept).toBeGreaterThanOrEqual(before - 31);
    // One epoch everywhere: the banner, the status, the loss chart and the weights.
    await expect(lab.epoch).toContainText(`epoch ${kept} of 400`);
    await expect(lab.lossChart).toHaveAttribute('data-epochs', String(kept));
    await expect(lab.predictionChart).toHaveAttribute('data-has-predictions', 'true');
    await expect(
      page.getByRole('button', { name: `Weights, epoch ${kept} (state_dict JSON)` }),
    ).toBeEnabled();
    await expect(lab.metrics).toBeVisible();
  });

  test('a finished run reloaded at once comes back finished, with its metrics', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await page.getByLabel('Speed').selectOption('null');
    await lab.trainSeedRecipe(60);
    const verdict = (await page.getByTestId('verdict').textContent()) ?? '';
    // Wait for the save itself, not for time.
    const saved = page.getByTestId('saved-state');
    await expect(saved).toHaveAttribute('data-status', 'finished');
    await expect(saved).toHaveAttribute('data-epoch', '60');
    await page.reload();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished');
    await expect(lab.epoch).toContainText('epoch 60 of 60');
    await expect(page.getByTestId('interrupted')).toHaveCount(0);
    await expect(lab.metrics).toBeVisible();
    await expect(page.getByTestId('verdict')).toHaveText(verdict);
    await expect(lab.lossChart).toHaveAttribute('data-epochs', '60');
  });

  test('the speed chosen before Train holds from the first epoch, and a change mid-run applies at once', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    // A new learner starts at a speed the curves can be watched at.
    await expect(page.getByLabel('Speed')).toHaveValue('10');
    const options = await page.getByLabel('Speed').locator('option').allTextContents();
    expect(options).toEqual([
      '1 epochs/s',
      '2 epochs/s',
      '5 epochs/s',
      '10 epochs/s',
      '30 epochs/s',
      'as fast as possible',
    ]);
    await lab.setNumber('epochs-input', 5000);
    // A model small enough that "as fast as possible" is far above 2 epochs/s on any engine and
    // host: at the default size the pure-TS core once ran this dataset at 1.77 epochs/s in CI, so
    // the test measured the host instead of the speed setting.
    await page.getByRole('spinbutton', { name: 'Hidden size' }).fill('4');
    await page.getByRole('spinbutton', { name: /^Batch size/ }).fill('0');
    await page.getByLabel('Speed').selectOption('2');
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'running');
    await expect.poll(() => lab.epochNumber(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    const t0 = Date.now();
    const e0 = await lab.epochNumber();
    await page.waitForTimeout(3000);
    const e1 = await lab.epochNumber();
    const seconds = (Date.now() - t0) / 1000;
    // 2 epochs a second, never more (one epoch of slack for the moment of reading).
    expect(e1 - e0).toBeLessThanOrEqual(Math.ceil(2 * seconds) + 1);
    await page.getByLabel('Speed').selectOption('null');
    // 60 epochs in 20 s: half again what the old pace could give (40), so only the new speed passes.
    await expect.poll(() => lab.epochNumber(), { timeout: 20_000 }).toBeGreaterThan(e1 + 60);
    await lab.button('Stop').click();
  });

  test('the status line: a rate only while running, the export names its epoch, Step epoch adds exactly one', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    // The seed recipe trains full-batch: every pause lands on an epoch's end.
    await lab.startSeedRecipe(5000);
    await expect(page.getByTestId('epoch-rate')).toContainText(/[\d.]+ epochs\/s/, {
      timeout: 20_000,
    });
    await lab.button('Pause').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'paused');
    // Paused: no rate that decays while nothing trains.
    await expect(page.getByTestId('epoch-rate')).toHaveCount(0);
    const paused = await lab.epochNumber();
    const weights = page.getByRole('button', { name: /Weights, epoch \d+/ });
    await expect(weights).toHaveText(`Weights, epoch ${paused} (state_dict JSON)`);
    const file = JSON.parse(await lab.download(/Weights, epoch/));
    expect(file.epoch).toBe(paused);
    for (let k = 1; k <= 3; k++) {
      await lab.button('Step epoch').click();
      await expect(lab.epoch).toContainText(`epoch ${paused + k} of`);
      await expect(weights).toHaveText(`Weights, epoch ${paused + k} (state_dict JSON)`);
    }
    // Nothing more arrives later: exactly three epochs for three clicks.
    await page.waitForTimeout(800);
    expect(await lab.epochNumber()).toBe(paused + 3);
    await lab.button('Resume').click();
    await expect(page.getByTestId('epoch-rate')).toBeVisible({ timeout: 20_000 });
    await lab.button('Stop').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'stopped');
    await expect(page.getByTestId('epoch-rate')).toHaveCount(0);
    const stopped = await lab.epochNumber();
    await expect(weights).toHaveText(`Weights, epoch ${stopped} (state_dict JSON)`);
  });

  test('a file too short to train on is refused at load, saying how many rows it has and needs; the dataset stays', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await lab.upload('tiny.csv', 'Date,Close\n2024-01-02,10\n2024-01-03,11\n');
    await expect(lab.dataError).toContainText(
      'This file has 2 usable row(s); the LSTM needs at least 3',
    );
    await expect(lab.datasetName).toHaveText('SBUX.csv');
    await expect(lab.datasetRows).toHaveText('253');
  });

  test('a Stooq export whose first day has no volume is read; the short row is reported', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    const rows = Array.from({ length: 40 }, (_, k) => {
      const d = new Date(Date.UTC(2011, 0, 3 + k)).toISOString().slice(0, 10);
      const p = (17 + k / 10).toFixed(2);
      return k === 0 ? `${d},${p},${p},${p},${p}` : `${d},${p},${p},${p},${p},${1000 + k}`;
    });
    await lab.upload('aapl_us_d.csv', ['Date,Open,High,Low,Close,Volume', ...rows].join('\n'));
    await expect(lab.datasetName).toHaveText('aapl_us_d.csv');
    await expect(lab.datasetRows).toHaveText('40');
    await expect(page.getByTestId('data-warnings')).toContainText(
      '1 row(s) have fewer cells than the header names (first at line 2)',
    );
  });
});

test('levels vs changes: the next-day recipe predicts log returns, prices come back in the charts, and the verdict teaches why', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const lab = new StockLabPage(page);
  await lab.open();
  await lab.button('S&P 500 (2000–2020, daily)').click();
  await expect(lab.datasetName).toContainText('S&P 500', { timeout: 20_000 });
  await expect(page.getByTestId('target-kind')).toHaveValue('logReturn');
  await page.getByLabel('Speed').selectOption('null');
  await lab.setNumber('epochs-input', 2);
  await lab.button('Train').click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 90_000 });
  // Metrics are in index points (prices turned back from log returns), beside the baseline.
  const lesson = page.getByTestId('changes-lesson');
  await expect(lesson).toContainText('It predicts the log return');
  await expect(lesson).toContainText(
    /RMSE [\d,.]+\) is the bar to beat — the model’s [\d,.]+ is [\d.]+× that/,
  );
  await expect(page.getByTestId('range-hint')).toHaveCount(0);
  // The same data as price levels: the test period leaves the training range, and it says so.
  await page.getByTestId('target-kind').selectOption('price');
  await lab.button('Train').click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 90_000 });
  await expect(page.getByTestId('range-hint')).toBeVisible();
  await expect(page.getByTestId('changes-lesson')).toHaveCount(0);
});

test('which days mattered: a strip under the window, from the model’s own gradient, live while it trains; and which rows mattered for a digit', async ({
  page,
}) => {
  const lab = new StockLabPage(page);
  await lab.open();
  await lab.setNumber('epochs-input', 2000);
  await lab.button('Train').click();
  const strip = page.getByTestId('saliency-strip');
  await expect(strip).toBeVisible({ timeout: 30_000 });
  const read = async () => ((await strip.getAttribute('data-values')) ?? '').split(',').map(Number);
  const first = await read();
  // One value per day of the 20-day window, all measured (finite, not all zero).
  expect(first).toHaveLength(20);
  expect(first.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  expect(Math.max(...first)).toBeGreaterThan(0);
  // Live: as the model trains, what it looks at changes.
  await expect
    .poll(async () => (await read()).join(','), { timeout: 30_000 })
    .not.toBe(first.join(','));
  await lab.button('Stop').click();

  // One fixed held-out digit (the page opens on a random one): test digit #0.
  await page.goto('./?debug=1#/digits');
  await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
    timeout: 20_000,
  });
  await page.waitForFunction(() => '__lstmLab' in window);
  // (Picked again until the held-out set has loaded and the digit is read.)
  await expect
    .poll(() =>
      page.evaluate(() => {
        type S = {
          imageSource: { kind: string; k?: number };
          reading: unknown;
          pickTest(k: number): void;
        };
        type Lab = { digits: { getState(): S } };
        const digits = (window as unknown as { __lstmLab: Lab }).__lstmLab.digits;
        const st = digits.getState();
        if (st.imageSource.kind !== 'test' || st.imageSource.k !== 0) st.pickTest(0);
        const now = digits.getState();
        return now.imageSource.kind === 'test' && now.imageSource.k === 0 && now.reading !== null;
      }),
    )
    .toBe(true);
  const rows = page.getByTestId('row-saliency');
  await expect(rows).toBeVisible();
  const values = ((await rows.getAttribute('data-values')) ?? '').split(',').map(Number);
  expect(values).toHaveLength(28);
  // The blank top rows of an MNIST digit matter less than the strokes in the middle.
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  expect(mean(values.slice(8, 20))).toBeGreaterThan(mean(values.slice(0, 3)));
});

test('changing the engine during a run moves the run to that engine, from where it stood', async ({
  page,
  shell,
}) => {
  await shell.open('stock');
  await page.getByTestId('engine-select').selectOption('core');
  await expect(shell.engineBadge).toContainText('Engine: Pure TS');
  const lab = new StockLabPage(page);
  await lab.setNumber('epochs-input', 5000);
  await lab.button('Train').click();
  await expect.poll(() => lab.epochNumber(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  // The pure-TS core reports no tensors: tfjs is not training.
  const runEngine = page.getByTestId('run-engine');
  await expect(runEngine).not.toContainText('tensors');
  await page.getByTestId('engine-select').selectOption('wasm');
  await expect(shell.engineBadge).toContainText('Training on WASM');
  const at = await lab.epochNumber();
  // The same run goes on (its epochs count on) and tfjs now trains it: the model's weights and
  // Adam's moments are tensors on the new backend (an idle backend would hold none).
  const tensors = async () =>
    Number(/(\d+) tensors/.exec((await runEngine.textContent()) ?? '')?.[1] ?? 0);
  await expect.poll(tensors, { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
  await expect(lab.runStatus).toHaveAttribute('data-status', 'running');
  await expect.poll(() => lab.epochNumber(), { timeout: 20_000 }).toBeGreaterThan(at);
  expect(await lab.epochNumber()).toBeGreaterThanOrEqual(3);
  await lab.button('Stop').click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'stopped');
});

test('while the model trains as fast as it can, the loss chart redraws on a fixed beat of at most 4 a second', async ({
  page,
}) => {
  const lab = new StockLabPage(page);
  await lab.open();
  await lab.setNumber('epochs-input', 100000);
  await page.getByLabel('Speed').selectOption('null');
  await lab.button('Train').click();
  await expect.poll(() => lab.epochNumber(), { timeout: 20_000 }).toBeGreaterThan(5);
  const e0 = await lab.epochNumber();
  // When, over 3 s, the loss chart redrew (its epoch count changed).
  const redraws = await page.evaluate(async () => {
    const chart = document.querySelector('[data-testid="loss-chart"]')!;
    const at: number[] = [];
    const watch = new MutationObserver(() => at.push(performance.now()));
    watch.observe(chart, { attributes: true, attributeFilter: ['data-epochs'] });
    await new Promise((r) => setTimeout(r, 3000));
    watch.disconnect();
    return at;
  });
  const e1 = await lab.epochNumber();
  await lab.button('Stop').click();
  expect(e1).toBeGreaterThan(e0);
  // It follows the run, on its own beat: ≤ 4 redraws a second (one of slack), never two
  // within 150 ms of each other, however many epochs the worker reports.
  // Several redraws (a chart drawn once would pass a bare "at most" check), each epoch the run
  // made in those 3 s reaching the chart on a later beat.
  const epochs = e1 - e0;
  expect(redraws.length).toBeGreaterThanOrEqual(Math.min(6, epochs));
  expect(epochs).toBeGreaterThanOrEqual(6);
  expect(redraws.length).toBeLessThanOrEqual(13);
  const gaps = redraws.slice(1).map((t, k) => t - redraws[k]);
  expect(Math.min(...gaps, Infinity)).toBeGreaterThanOrEqual(150);
});
