import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDigitModel, predictDigits, splitMnist } from '../src/core/index';
import { loadMnistPackage } from '../src/cli/mnist';
import { expect, test } from './fixtures';

const modelFile = fileURLToPath(new URL('../public/models/digit-lstm.json', import.meta.url));

test.describe('Digit reader', () => {
  test('a drawn vertical stroke is read row by row: the bars update 28 times and a top class is shown', async ({
    page,
  }) => {
    await page.goto('./#/digits');
    await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
      timeout: 20_000,
    });
    const pad = page.getByTestId('draw-pad');
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 30);
    await page.mouse.down();
    for (let y = 30; y <= box.height - 30; y += 8)
      await page.mouse.move(box.x + box.width / 2, box.y + y);
    await page.mouse.up();
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    const bars = page.getByTestId('prob-bars');
    await expect(bars).toHaveAttribute('data-updates', '28', { timeout: 15_000 });
    await expect(page.getByTestId('read-row')).toContainText('After row 27');
    await expect(page.getByTestId('guess')).toHaveText(/The model reads a \d \(\d+%\)/);
    const best = await bars.getAttribute('data-best');
    expect(await page.getByTestId('guess').textContent()).toContain(`reads a ${best}`);
  });

  test('a picked test digit is read as the CLI reads it with the same weights', async ({
    page,
  }) => {
    await page.goto('./#/digits');
    await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
      timeout: 20_000,
    });
    await page.getByRole('button', { name: 'Pick a test digit' }).click();
    const source = page.getByTestId('image-source');
    await expect(source).toHaveAttribute('data-test-index', /\d+/);
    const index = Number(await source.getAttribute('data-test-index'));
    const set = loadMnistPackage();
    const model = loadDigitModel(JSON.parse(readFileSync(modelFile, 'utf8')));
    const [expected] = predictDigits(model, set, [index]);
    // The test digit really is one of the 2,000 the CLI holds out.
    expect(Array.from(splitMnist(set.labels, 0).test)).toContain(index);
    await expect(page.getByTestId('guess')).toContainText(`reads a ${expected}`);
  });
});

test('training from scratch in the worker reports accuracy, a confusion matrix and misread digits', async ({
  page,
}) => {
  await page.goto('./#/digits');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled({
    timeout: 20_000,
  });
  await page.getByTestId('digits-hidden').selectOption('16');
  await page.getByTestId('digits-epochs').selectOption('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const status = page.getByTestId('digits-train-status');
  await expect(status).toHaveAttribute('data-status', 'finished', { timeout: 90_000 });
  await expect(status).toContainText(/held-out accuracy \d+\.\d%/);
  await expect(status).toContainText(/Training on (WASM|WebGPU|WebGL|CPU|Pure TS)/);
  const confusion = page.getByTestId('confusion');
  await expect(confusion.locator('tbody tr')).toHaveCount(10);
  // Every held-out digit is counted once in the matrix.
  const cells = await confusion.locator('tbody td').allTextContents();
  expect(cells.reduce((a, c) => a + (Number(c) || 0), 0)).toBe(2000);
  await expect(page.getByTestId('wrong-gallery').locator('button').first()).toBeVisible();
  await page.getByRole('button', { name: /Read with this model \(epoch 1\)/ }).click();
  await expect(page.getByText(/Reading with the model you trained here/)).toBeVisible();
});
