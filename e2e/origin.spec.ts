import { writeFileSync } from 'node:fs';
import { lstmFromStateDict, traceSequence } from '../src/core/index';
import { loadModelsGolden } from '../src/test/shared';
import { expect, test } from './fixtures';
import { CellExplorerPage } from './pages/CellExplorer';

/** A number as the app prints it (U+2212 minus) → thousandths, as an integer. */
const thousandths = (s: string | null) => Math.round(Number((s ?? '').replace('−', '-')) * 1000);

const GATES = [
  ['i', 'input gate'],
  ['f', 'forget gate'],
  ['g', 'candidate'],
  ['o', 'output gate'],
] as const;

test.describe('Where every number comes from (Cell explorer)', () => {
  test('an imported seed-format cell (x2h/h2h): W_ih·x + W_hh·h + b_ih + b_hh adds up to z, for every gate', async ({
    page,
  }, info) => {
    const seed = loadModelsGolden().seed_digit_model.state_dict;
    const input = Array.from({ length: 4 }, (_, t) =>
      Array.from({ length: 5 }, (_, k) => Math.round(Math.sin(3 + 5 * t + k) * 1000) / 1000),
    );
    const file = info.outputPath('seed-cell.json');
    writeFileSync(file, JSON.stringify({ state_dict: seed, input }));
    const ex = new CellExplorerPage(page);
    await ex.open();
    await ex.importWeights(file);
    const panel = page.getByTestId('weights-panel');
    // The file's own names, with the shapes the notes give: 4H × In and 4H × H.
    await expect(panel.getByTestId('matrix-ih')).toContainText('lstm.x2h.weight 16 × 5');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => ex.step()).toBe(2);
    await page.getByTestId('unit-select').selectOption('1');
    await expect(panel.getByTestId('matrix-hh')).toContainText('lstm.h2h.weight 16 × 4');
    await expect(panel).toContainText('gates.chunk(4)');

    // PyTorch's pre-activations (the core matches them to 1e-12 in the unit tests).
    const want = traceSequence(lstmFromStateDict(seed), input).steps[2].pre;
    for (const [g, name] of GATES) {
      await panel.getByRole('button', { name, exact: true }).click();
      const sum = panel.getByTestId('pre-sum');
      await expect(sum).toHaveAttribute('data-gate', g);
      await expect(sum).toHaveAttribute('data-unit', '1');
      const parts = await Promise.all(
        ['ih', 'hh', 'bih', 'bhh'].map(async (id) =>
          thousandths(await sum.getByTestId(`split-${id}`).textContent()),
        ),
      );
      const z = thousandths(await sum.getByTestId('split-z').textContent());
      // The parts add up to z exactly as printed, and z is the model's own.
      expect(
        parts.reduce((a, b) => a + b),
        `gate ${g}`,
      ).toBe(z);
      expect(Math.abs(z / 1000 - want[g][1]), `gate ${g}`).toBeLessThanOrEqual(0.0005 + 1e-9);
      await expect(sum).toContainText(`lstm.x2h.weight[${g}·1] · x_t`);
    }
  });

  test('every weight is a button: pointing, focusing or tapping it shows its term', async ({
    page,
  }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    await ex.settled();
    const panel = page.getByTestId('weights-panel');
    const term = panel.getByTestId('weight-term');
    // The "remember" lesson: the input gate reads the "first?" flag with weight 10; x_0 = [0.8, 1].
    const w = panel.getByRole('button', { name: /weight_ih\[i\] on x_t\[first\?\]/ });
    await w.hover();
    await expect(term).toHaveText('weight_ih[i] on x_t[first?]: 10.000 × 1.000 = 10.000');
    // Keyboard: Tab reaches the weights; focus alone shows the term. A keyboard reader's pointer
    // rests away from the grid (one resting on a weight would show that weight when it moves).
    await page.mouse.move(0, 0);
    const next = panel.getByRole('button', { name: /weight_ih\[f\] on x_t\[value\]/ });
    await next.focus();
    await expect(term).toContainText('weight_ih[f] on x_t[value]: 0.000 × 0.800 = 0.000');
    // Tapping a weight of another gate takes that gate apart.
    await panel.getByRole('button', { name: /weight_hh\[o\] on h_\{t−1\}\[0\]/ }).click();
    await expect(panel.getByTestId('pre-sum')).toHaveAttribute('data-gate', 'o');
  });

  test('σ and tanh with each gate’s z marked; dragging the forget mark moves b_f by the same amount', async ({
    page,
  }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    // The drag reads the mark's box, then moves: nothing may shift in between.
    await ex.settled();
    const curves = page.getByTestId('curves');
    await expect(curves).toContainText('strictly between 0 and 1');
    await expect(curves.getByTestId('curve-sigmoid').getByTestId('mark-f')).toHaveCount(1);
    await expect(curves.getByTestId('curve-tanh').getByTestId('mark-g')).toHaveCount(1);
    const mark = curves.getByTestId('mark-f');
    await expect(mark).toHaveAttribute('data-z', '6.0000');
    const bias = page.getByTestId('toy-bias-f');
    await expect(bias).toHaveValue('6');
    // Drag the mark to about z = 0 (the middle of the −10…10 axis).
    await curves.getByTestId('curve-sigmoid').scrollIntoViewIfNeeded();
    const box = (await curves.getByTestId('curve-sigmoid').locator('svg').boundingBox())!;
    const dot = (await mark.locator('circle').boundingBox())!;
    await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
    await page.mouse.down();
    const x0 = box.x + box.width * ((30 + (320 - 42) / 2) / 320);
    await page.mouse.move(x0, dot.y, { steps: 8 });
    await page.mouse.up();
    const z = Number(await mark.getAttribute('data-z'));
    expect(Math.abs(z)).toBeLessThan(0.3);
    // The bias moved by what z moved: b_f = 6 + (z − 6) = z (its weights on x and h are 0).
    expect(Math.abs(Number(await bias.inputValue()) - z)).toBeLessThan(0.011);
    await expect(ex.value('f')).not.toHaveText('0.9975');
    // Keyboard: ← moves it by 0.1.
    await mark.focus();
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(async () => Number(await mark.getAttribute('data-z')))
      .toBeCloseTo(z - 0.1, 3);
  });

  test('the toy’s controls sit beside the diagram; the forget presets change the drawn c_t line and the computed sentence', async ({
    page,
  }) => {
    const ex = new CellExplorerPage(page);
    await ex.open();
    const viewport = page.viewportSize()!;
    const slider = page.getByTestId('toy-controls').getByLabel('forget gate: bias b_f');
    const diagram = page.locator('.cell-diagram');
    // Slider and diagram on screen at once, at 1280 × 800 with the page unscrolled…
    for (const el of [slider, diagram]) {
      const b = (await el.boundingBox())!;
      expect(b.y, 'top on screen').toBeGreaterThanOrEqual(0);
      expect(b.y + Math.min(b.height, 60)).toBeLessThanOrEqual(viewport.height);
    }
    // …and still after scrolling down to the equations (the side panel stays in view).
    await page.getByRole('heading', { name: /Equations at t = 0/ }).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 300);
    await expect(slider).toBeInViewport();

    const line = page.getByTestId('ct-line');
    const story = page.getByTestId('toy-story');
    const lesson = await line.getAttribute('data-values');
    await expect(story).toHaveAttribute('data-verdict', 'kept');
    await expect(page.getByTestId('source-note')).toContainText('forget gate stays near 1');

    await page.getByTestId('forget-preset-0.1').click();
    // b_f = σ⁻¹(0.1) = −2.197 (the range input shows it to its 0.01 step).
    await expect(slider).toHaveValue('-2.2');
    await expect(line).not.toHaveAttribute('data-values', lesson!);
    const fading = (await line.getAttribute('data-values'))!.split(' ').map(Number);
    // c falls away: each step keeps a tenth, and the nearly shut input gate (i ≈ 0.007 after
    // step 0) writes almost nothing back: under 1 % of c_0 is left at t = 5.
    expect(Math.abs(fading[5])).toBeLessThan(Math.abs(fading[0]) * 0.01);
    await expect(story).toHaveAttribute('data-verdict', 'fades');
    await expect(story).toContainText('f = 0.100 at every step');
    // The lesson's fixed description is no longer true, and it is not shown.
    await expect(page.getByTestId('source-note')).not.toContainText('forget gate stays near 1');
    await expect(page.getByTestId('source-note')).toContainText('You have changed');

    await page.getByTestId('forget-preset-0.9').click();
    const kept = (await line.getAttribute('data-values'))!.split(' ').map(Number);
    // 0.9⁵ of c_0 is kept; the small writes of the nearly shut input gate move it a little.
    expect(Math.abs(kept[5] / kept[0] - 0.9 ** 5)).toBeLessThan(0.02);
    await expect(story).toHaveAttribute('data-verdict', 'kept');
    await expect(story).toContainText('59% is left at t = 5');
  });
});
