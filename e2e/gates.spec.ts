import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  PIXELS,
  PackedSaturationCounter,
  SIDE,
  decodePixel,
  loadDigitModel,
  lstmForward,
  saturationSummary,
  splitMnist,
} from '../src/core/index';
import { loadMnistPackage } from '../src/cli/mnist';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const modelFile = fileURLToPath(new URL('../public/models/digit-lstm.json', import.meta.url));

/** Each gate's sentence counts the dots it describes: units open, or shut, ≥ 90 % of steps. */
async function sentencesMatchDots(plot: Locator): Promise<void> {
  for (const li of await plot.locator('li[data-gate]').all()) {
    const gate = await li.getAttribute('data-gate');
    const dots = plot.locator(`[data-unit][data-gate="${gate}"]`);
    const values = await dots.evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('data-low')), Number(e.getAttribute('data-high'))]),
    );
    expect(values.length).toBeGreaterThan(0);
    expect(Number(await li.getAttribute('data-open'))).toBe(
      values.filter(([, h]) => h >= 0.9).length,
    );
    expect(Number(await li.getAttribute('data-shut'))).toBe(
      values.filter(([l]) => l >= 0.9).length,
    );
  }
}

test.describe('What each gate learned', () => {
  test('Stock lab: a finished run plots every unit’s i, f, o; a dot opens that unit on the shown window', async ({
    page,
  }) => {
    await page.goto('./#/stock');
    await page.getByTestId('epochs-input').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', {
      timeout: 45_000,
    });
    const plot = page.getByTestId('stock-saturation');
    // The next-day recipe: one layer of 16 units, three sigmoid gates each.
    await expect(plot.locator('[data-unit]')).toHaveCount(3 * 16);
    await expect(
      page.getByText(
        /Over \d+ windows spread across the whole series, with the weights of epoch 3/,
      ),
    ).toBeVisible();
    await sentencesMatchDots(plot);
    // Dots at the same spot cover each other: the unit list opens any of them.
    await page.getByTestId('stock-saturation-unit').selectOption('3');
    await plot.getByRole('button', { name: 'Open in the Cell explorer' }).click();
    await expect(page).toHaveURL(/#\/explorer/);
    await expect(page.getByTestId('unit-select')).toHaveValue('3');
    await expect(page.getByTestId('source-note')).toContainText(/window \d+/);
  });

  test('Digit reader: the pretrained model’s gates over 100 test digits, as the core counts them', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.goto('./#/digits');
    await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
      timeout: 20_000,
    });
    await page.getByTestId('digit-gates-measure').click();
    const plot = page.getByTestId('digit-saturation');
    await expect(plot).toBeVisible({ timeout: 60_000 });

    // The same count in Node, from the model file and the held-out digits.
    const model = loadDigitModel(JSON.parse(readFileSync(modelFile, 'utf8')));
    const set = loadMnistPackage();
    const test100 = Array.from(splitMnist(set.labels, 0).test).slice(0, 100);
    const counter = new PackedSaturationCounter(model.hiddenSize);
    for (const idx of test100) {
      const data = Float64Array.from(
        set.pixels.subarray(idx * PIXELS, (idx + 1) * PIXELS),
        (v) => decodePixel(v) - 0.5,
      );
      const fwd = lstmForward(model.lstm, { data, batch: 1, time: SIDE, features: SIDE });
      counter.add(fwd.layers[fwd.layers.length - 1].gates);
    }
    const want = saturationSummary(counter.result());
    await expect(plot.locator('[data-unit]')).toHaveCount(3 * model.hiddenSize);
    for (const g of want) {
      const li = plot.locator(`li[data-gate="${g.gate}"]`);
      await expect(li).toHaveAttribute('data-open', String(g.open));
      await expect(li).toHaveAttribute('data-shut', String(g.shut));
    }
    await sentencesMatchDots(plot);
    await plot.locator('[data-gate="o"][data-unit="7"]').focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/explorer/);
    await expect(page.getByTestId('unit-select')).toHaveValue('7');
  });
});
