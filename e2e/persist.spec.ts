import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

test.describe('nothing lost: persistence, recovery, shared links', () => {
  test('a reload brings back the dataset, the setup, the chart history and the model', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.trainSeedRecipe(10);
    // Wait for what was saved, not for time: the finished run at epoch 10.
    const saved = page.getByTestId('saved-state');
    await expect(saved).toHaveAttribute('data-status', 'finished');
    await expect(saved).toHaveAttribute('data-epoch', '10');
    await page.reload();
    await expect(lab.datasetName).toHaveText('SBUX.csv');
    await expect(page.getByTestId('recipe-note')).toContainText('leak');
    await expect(lab.lossChart).toHaveAttribute('data-epochs', '10');
    await expect(lab.predictionChart).toHaveAttribute('data-has-predictions', 'true');
    await expect(page.getByRole('button', { name: /Weights, epoch 10/ })).toBeEnabled();
  });

  test('a reload in the middle of training offers Resume, which continues from the checkpoint', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.setNumber('epochs-input', 5000);
    await page.getByLabel('Speed').selectOption('10');
    await lab.button('Train').click();
    await expect.poll(() => lab.epochNumber(), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    // A checkpoint of this run has been written.
    await expect
      .poll(async () => Number(await page.getByTestId('saved-state').getAttribute('data-epoch')))
      .toBeGreaterThanOrEqual(1);
    await page.reload();
    const banner = page.getByTestId('interrupted');
    await expect(banner).toContainText('Training stopped when the page was closed');
    const kept = Number(/epoch (\d+)/.exec((await banner.textContent()) ?? '')?.[1]);
    expect(kept).toBeGreaterThanOrEqual(1);
    await expect(lab.lossChart).toBeVisible();
    await banner.getByRole('button', { name: 'Resume training' }).click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'running');
    await expect.poll(() => lab.epochNumber(), { timeout: 20_000 }).toBeGreaterThan(kept + 1);
    await lab.button('Stop').click();
  });

  test('Reset everything forgets it all, after asking', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await expect(lab.dataset).toHaveAttribute('data-saved', 'true');
    page.once('dialog', (d) => void d.dismiss());
    await page.getByTestId('reset-everything').click();
    await page.reload();
    await expect(lab.datasetName).toHaveText('SBUX.csv');
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('reset-everything').click();
    await expect(lab.datasetName).toContainText('Synthetic');
  });

  test('a shared link opens the same bundled dataset and setup', async ({ page }) => {
    await page.goto('./?ds=stocks&sym=MSFT&recipe=window&w=10&hid=8&ep=7#/stock');
    const lab = new StockLabPage(page);
    await expect(lab.datasetRows).toHaveText('123');
    await expect(page.getByLabel('Ticker')).toHaveValue('MSFT');
    await expect(page.getByLabel('Sequence length (steps)', { exact: true })).toHaveValue('10');
    await expect(page.getByLabel('Hidden size')).toHaveValue('8');
    await expect(lab.page.getByTestId('epochs-input')).toHaveValue('7');
    // The address bar follows the setup, so the link can be copied at any time.
    await page.getByLabel('Hidden size').fill('12');
    await expect.poll(() => new URL(page.url()).searchParams.get('hid')).toBe('12');
    expect(new URL(page.url()).searchParams.get('ds')).toBe('stocks');
  });

  test('without storage the app still works and says progress will not be kept', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    });
    const lab = new StockLabPage(page);
    await lab.open();
    await expect(page.getByTestId('persist-note')).toContainText('nothing will be kept');
    await lab.uploadShared('SBUX.csv');
    await expect(lab.datasetRows).toHaveText('253');
  });
});
