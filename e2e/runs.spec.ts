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
    await lab.openStarbucks();
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
    // Weights are saved about once a second (10 epochs/s here): the nearest at or before the best.
    expect(epoch).toBeLessThanOrEqual(best);
    expect(best - epoch).toBeLessThanOrEqual(15);
    await expect(page.getByTestId('metrics-model')).not.toHaveText(before!);
    await expect(page.getByTestId('fit-rising')).toHaveCount(0);
  });

  test('two runs leave two rows in “Runs”, with what changed; they survive a reload, overlay, and one can be removed', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const lab = new StockLabPage(page);
    await lab.open();
    const runs = page.getByRole('region', { name: 'Runs' });
    const rows = runs.getByTestId('run-row');
    await expect(runs).toContainText('No runs yet');
    await lab.openStarbucks();
    await lab.setNumber('epochs-input', 20);
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('SBUX.csv');

    // The leak lesson, one click: the same run with the scalers fitted on the training rows.
    await runs.getByTestId('lesson-leak').click();
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await expect(page.locator('#scale-fit')).toHaveValue('train');
    await expect(rows.nth(1)).toContainText('scalers fitted on: all rows → training rows only');
    // Their losses are MSE on differently scaled targets: marked and said.
    await expect(rows.nth(1)).toHaveAttribute('data-incomparable', 'scaling');
    await expect(runs.getByTestId('runs-incomparable')).toContainText('compare RMSE and MAE');

    // Both drawn together.
    await runs.getByLabel('Draw run 1 on the charts below').check();
    await runs.getByLabel('Draw run 2 on the charts below').check();
    const overlay = runs.getByTestId('runs-overlay');
    await expect(overlay).toHaveAttribute('data-runs', '1,2');
    await expect(overlay.getByTestId('overlay-loss').locator('.recharts-line-curve')).toHaveCount(
      2,
    );
    await expect(
      overlay.getByTestId('overlay-prediction').locator('.recharts-line-curve'),
    ).toHaveCount(3);
    await expect(overlay.getByTestId('overlay-incomparable')).toContainText(
      'scaled their data differently',
    );

    // Kept across a reload, overlay included.
    await page.reload();
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('training rows only');
    await expect(runs.getByTestId('runs-overlay')).toHaveAttribute('data-runs', '1,2');

    // A row can be removed, and stays removed.
    await runs.getByRole('button', { name: 'Remove run 1' }).click();
    await expect(rows).toHaveCount(1);
    await page.reload();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('SBUX.csv');
  });

  test('the target lesson is one click: the seed’s same-day price becomes next-day log returns', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const lab = new StockLabPage(page);
    await lab.open();
    const runs = page.getByRole('region', { name: 'Runs' });
    const rows = runs.getByTestId('run-row');
    await lab.openStarbucks();
    await lab.setNumber('epochs-input', 10);
    await lab.button('Train').click();
    await expect(rows).toHaveCount(1, { timeout: 60_000 });
    await runs.getByTestId('lesson-target-logReturn').click();
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    await expect(rows.nth(1)).toContainText('predicts: the price itself → the log return');
    await expect(rows.nth(1)).toContainText('horizon: 0 → 1');
    await expect(rows.nth(1)).toHaveAttribute('data-incomparable', 'targetKind');
  });
});
