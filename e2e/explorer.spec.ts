import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { CellExplorerPage } from './pages/CellExplorer';
import { StockLabPage } from './pages/StockLab';
import { goldenPath } from './shared';

const golden = JSON.parse(readFileSync(goldenPath(), 'utf8'));

test.describe('Cell explorer', () => {
  test('shows PyTorch’s own gate values for the imported golden cell at t = 2, unit 1', async ({
    page,
  }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    await ex.importWeights(goldenPath());
    await expect(page.getByText(/weights at lstm_cell\.state_dict/)).toBeVisible();
    expect(await ex.step()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => ex.step()).toBe(2);
    await page.getByTestId('unit-select').selectOption('1');
    const ref = golden.lstm_cell.steps[2];
    for (const k of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
      await expect(ex.value(k)).toHaveText(ref[k][0][1].toFixed(4).replace('-', '−'));
    }
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => ex.step()).toBe(1);
    // The second sequence of the file gives other numbers, still PyTorch's.
    await page.getByTestId('explorer-sample').selectOption('1');
    await expect(ex.value('h')).toHaveText(
      golden.lstm_cell.steps[0].h[1][1].toFixed(4).replace('-', '−'),
    );
  });

  test('Play advances on its own and stops at the last step', async ({ page }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    await page.getByRole('button', { name: 'Count', exact: true }).click();
    await ex.playButton.click();
    // Sub-steps unticked: Play walks whole steps, never a stage.
    for (let k = 0; k < 6; k++) {
      await expect(ex.stepLabel).not.toContainText(/forget|write|update|output/);
      await page.waitForTimeout(250);
    }
    await expect.poll(() => ex.step(), { timeout: 5_000 }).toBeGreaterThan(0);
    await expect.poll(() => ex.step(), { timeout: 30_000 }).toBe(6);
    await expect(ex.playButton).toHaveText(/Play/, { timeout: 5_000 });
    await page.waitForTimeout(1200);
    expect(await ex.step()).toBe(6);
  });

  test('sub-steps walk the four stages and highlight the matching code', async ({ page }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    await page.getByLabel(/Sub-steps/).check();
    await expect(ex.stepLabel).toContainText('1 forget');
    await expect(page.locator('.code-line[data-active="true"]')).toHaveCount(1);
    await expect(page.locator('.code-line[data-active="true"]')).toContainText('sigmoid(f)');
    await page.keyboard.press('ArrowRight');
    await expect(ex.stepLabel).toContainText('2 write');
    await expect(page.locator('.code-line[data-active="true"]')).toHaveCount(2);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(ex.stepLabel).toContainText('4 output');
    await page.keyboard.press('ArrowRight');
    await expect(ex.stepLabel).toContainText('t = 1');
    await expect(ex.stepLabel).toContainText('1 forget');
    await expect(page.getByTestId('diagram-forget')).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('diagram-output')).toHaveAttribute('data-state', 'dim');
  });

  test('the plain-language reading follows the language switch', async ({ page, shell }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    await expect(page.getByTestId('plain-forget')).toContainText('of the old memory');
    await shell.switchLanguage('한국어');
    await expect(page.getByTestId('plain-forget')).toContainText('이전 기억');
  });

  test('a toy weight slider changes the gates at once', async ({ page }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    const before = await ex.value('f').textContent();
    // The forget gate's bias slider: push it to the far left (forget everything).
    const bias = page.locator('.toy-gate').nth(1).locator('input[type=range]').last();
    await bias.focus();
    await bias.press('Home');
    await expect(ex.value('f')).not.toHaveText(before!);
    expect(Number(await ex.value('f').textContent())).toBeLessThan(0.01);
  });

  test('a broken state_dict is refused with a sentence and the cell stays', async ({
    page,
  }, info) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    const bad = structuredClone(golden.lstm_cell.state_dict);
    bad.weight_hh = [[1, 2]];
    const file = info.outputPath('bad.json');
    const fs = await import('node:fs');
    fs.writeFileSync(file, JSON.stringify(bad));
    await ex.importWeights(file);
    await expect(page.getByTestId('explorer-error')).toContainText('4H × H');
    await expect(ex.value('c')).toBeVisible();
  });

  test('a window from the Stock lab opens in the explorer with the live weights', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.setNumber('epochs-input', 3);
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
    await page.getByRole('button', { name: 'Open this window in the Cell explorer' }).click();
    await expect(page).toHaveURL(/#\/explorer$/);
    await expect(page.getByTestId('source-note')).toContainText('Stock lab window 1');
    const ex = new CellExplorerPage(page);
    await expect(ex.stepLabel).toContainText('steps 0 to 19');
    await expect(page.getByTestId('unit-select').locator('option')).toHaveCount(16);
  });
});

test('time travel: a Stock lab model can be replayed at an earlier epoch', async ({ page }) => {
  const lab = new StockLabPage(page);
  await lab.open();
  await lab.setNumber('epochs-input', 60);
  await page.getByLabel('Speed').selectOption('10');
  await lab.button('Train').click();
  await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Open this window in the Cell explorer' }).click();
  const ex = new CellExplorerPage(page);
  const slider = page.getByLabel('Training epoch to show');
  await expect(page.getByText(/Following training live \(epoch 60\)/)).toBeVisible();
  // One epoch: the note names the weights that are drawn.
  const note = page.getByTestId('source-note');
  await expect(note).toContainText('weights of epoch 60');
  const live = await ex.value('f').textContent();
  await slider.focus();
  await slider.press('Home');
  await expect(page.getByText(/Weights saved at epoch \d+/)).toBeVisible();
  const early = Number(
    /epoch (\d+)/.exec((await page.getByText(/Weights saved at epoch/).textContent())!)?.[1],
  );
  expect(early).toBeLessThan(60);
  await expect(note).toContainText(`weights of epoch ${early}`);
  await expect(ex.value('f')).not.toHaveText(live!);
});

test('with reduced motion, Play moves whole steps and reading a digit jumps to the answer', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const ex = new CellExplorerPage(page);
  await ex.open();
  await ex.playButton.click();
  await expect.poll(() => ex.step(), { timeout: 5_000 }).toBeGreaterThan(0);
  await expect(ex.stepLabel).not.toContainText('forget');
  await page.goto('./#/digits');
  await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
    timeout: 20_000,
  });
  await page.getByRole('button', { name: 'Pick a test digit' }).click();
  await page.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(page.getByTestId('read-row')).toContainText('After row 27');
});
