import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

test('after one visit the app works offline: views, bundled data and the digit model', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await page.goto('./#/stock');
  // The service worker has cached the whole build (7.8 MB of digits included).
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!reg.active) throw new Error('no active service worker');
  });
  await context.setOffline(true);
  await page.reload();
  const lab = new StockLabPage(page);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Stock lab');
  await lab.button('S&P 500 (2000–2020, daily)').click();
  await expect(lab.datasetRows).toHaveText('5,105');
  await page.goto('./#/digits');
  await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
    timeout: 20_000,
  });
  await page.getByRole('button', { name: 'Pick a test digit' }).click();
  await expect(page.getByTestId('guess')).toContainText('The model reads a');
  await page.goto('./#/explorer');
  await expect(page.getByTestId('value-c')).toBeVisible();
  await context.setOffline(false);
});
