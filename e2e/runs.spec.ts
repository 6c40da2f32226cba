import { readFileSync } from 'node:fs';
import {
  RegressionTrainer,
  SEED_RECIPE,
  parseCsvText,
  prepareStockDataset,
  watchFit,
} from '../src/core/index';
import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';
import { sharedData } from './shared';

/** The seed recipe on SBUX.csv at Adam 1e-3 for 300 epochs overfits: the core says where. */
function overfitReference() {
  const config = { ...SEED_RECIPE, learningRate: 1e-3, epochs: 300 };
  const ds = prepareStockDataset(
    parseCsvText(readFileSync(sharedData('SBUX.csv'), 'utf8')),
    config,
  );
  const trainer = new RegressionTrainer(ds, config);
  const history = Array.from({ length: 300 }, () => trainer.stepEpoch());
  return { fit: watchFit(history), evaluation: trainer.evaluate() };
}

test.describe('Stock lab: runs side by side, and overfitting said out loud', () => {
  test('a small file trained long: the best test epoch is marked, “rising since” is said, and that epoch comes back', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const want = overfitReference();
    expect(want.fit.risingSince).not.toBeNull();
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.button('Starbucks 2019–2020 (the seed notes’ data)').click();
    await expect(lab.datasetRows).toHaveText('253');
    await lab.setNumber('lr-input', 0.001);
    await lab.setNumber('epochs-input', 300);
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 90_000 });

    // The engine trains in float32: its best epoch is the core's, give or take a few.
    const best = Number(await lab.lossChart.getAttribute('data-best-epoch'));
    expect(Math.abs(best - want.fit.bestEpoch!)).toBeLessThanOrEqual(3);
    await expect(lab.lossChart.locator('.recharts-reference-line')).toHaveCount(1);
    await expect(lab.lossChart).toContainText(`best test: epoch ${best}`);
    const rising = page.getByTestId('fit-rising');
    await expect(rising).toContainText(`Test loss rising since epoch ${best}`);
    await expect(rising).toContainText('learning the training rows by heart');
    // The run is over and the test loss stopped improving long ago: no "yet".
    await expect(page.getByTestId('verdict')).not.toContainText('yet');
    // Direction against a coin flip and against "always up" (the test period's up days).
    const up = (want.evaluation.upShare * 100).toFixed(1).replace(/\.0$/, '');
    await expect(page.getByTestId('direction-note')).toContainText('A coin flip gets 50%');
    await expect(page.getByTestId('direction-note')).toContainText(
      `always guessing “up” gets ${up}%`,
    );

    // Restore: the saved weights at or just before the best epoch become the model again.
    const before = await page.getByTestId('metrics-model').textContent();
    await page.getByTestId('fit-restore').click();
    const restored = page.getByTestId('fit-restored');
    await expect(restored).toBeVisible();
    const epoch = Number(/epoch (\d+)/.exec((await restored.textContent()) ?? '')?.[1]);
    expect(epoch).toBeLessThanOrEqual(best);
    expect(best - epoch).toBeLessThan(10);
    await expect(page.getByTestId('metrics-model')).not.toHaveText(before!);
    await expect(page.getByTestId('fit-rising')).toHaveCount(0);
  });
});
