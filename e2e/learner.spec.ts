import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

/** A 120-row Korean broker export: newest first, dotted dates, quoted thousands (issue 21). */
export function koreanExport(rows = 120): string {
  const lines = ['날짜,종가,시가,고가,저가,거래량'];
  let price = 70_000;
  const day = new Date(Date.UTC(2024, 0, 2));
  const body: string[] = [];
  for (let k = 0; k < rows; k++) {
    const open = price;
    const close = price + Math.round(600 * Math.sin(k * 0.7) + 200 * Math.cos(k * 1.3));
    const q = (v: number) => `"${v.toLocaleString('en-US')}"`;
    const date = day.toISOString().slice(0, 10).replaceAll('-', '.');
    body.push(
      `${date},${q(close)},${q(open)},${q(Math.max(open, close) + 300)},${q(Math.min(open, close) - 300)},${900_000 + 1000 * k}`,
    );
    price = close;
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return [...lines, ...body.reverse()].join('\n') + '\n';
}

test.describe('a learner’s path: a new file gets its own setup', () => {
  test('the seed recipe’s 200-row split does not carry over to a 120-row file; the notes name its columns', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.uploadShared('SBUX.csv');
    await lab.button('Seed recipe').click();
    await expect(page.getByTestId('split-value')).toHaveText('200 train rows · 53 test rows');
    await expect(page.getByTestId('recipe-note')).toContainText('the first 200 rows train');

    await lab.upload('kr-broker.csv', koreanExport());
    await expect(lab.datasetName).toHaveText('kr-broker.csv');
    await expect(lab.datasetRows).toHaveText('120');
    // The old file's 200 rows would leave no test row: the default 80 % split, and it is said.
    await expect(page.getByTestId('split-value')).toHaveText('96 train rows · 24 test rows');
    await expect(page.getByTestId('setup-notice')).toContainText('row 200');
    await expect(page.getByTestId('setup-notice')).toContainText('first 96 rows (80%)');
    // The recipe's sentence speaks of this file: its target and its training rows.
    const note = page.getByTestId('recipe-note');
    await expect(note).toContainText('today’s 종가'.replace('’', "'"));
    await expect(note).toContainText('the first 96 rows train');
    await expect(note).not.toContainText('Volume predict');
    await expect(page.getByTestId('target-select')).toHaveValue('종가');

    // It trains: no "shorter window" advice for a window that is already 1.
    await lab.setNumber('epochs-input', 3);
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
    await expect(lab.runError).toHaveCount(0);
  });

  test('too few windows: the advice names only what can still shrink', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.upload('kr-broker.csv', koreanExport());
    await lab.button('Seed recipe').click();
    // 96 training rows hold no window of 97 steps; the horizon is already 0.
    await page.getByRole('spinbutton', { name: 'Sequence length (steps)' }).fill('97');
    await lab.button('Train').click();
    await expect(lab.runError).toContainText('Use a shorter window or another split.');
    await expect(lab.runError).not.toContainText('horizon');
  });
});

/** Every pair a translation may write; none may reach the screen (issue 21, item 2). */
const PARTICLE_PAIR =
  /을\(를\)|를\(을\)|은\(는\)|는\(은\)|이\(가\)|가\(이\)|과\(와\)|와\(과\)|\(으\)로|\(이\)[가-힣]/;

test.describe('Korean that reads naturally', () => {
  test('no particle template is left on any view, before or after training', async ({ page }) => {
    const text = () => page.evaluate(() => document.body.textContent ?? '');
    for (const view of ['explorer', 'stock', 'digits', 'why']) {
      await page.goto(`./?lang=ko#/${view}`);
      await page.getByRole('banner').waitFor();
      await page.waitForTimeout(400);
      expect(await text(), view).not.toMatch(PARTICLE_PAIR);
    }
    // A trained next-day run: the loss summary, the verdict and the log-return lesson.
    await page.goto('./?lang=ko#/stock');
    await expect(page.getByTestId('dataset-name')).toContainText('합성');
    await page.getByTestId('epochs-input').fill('3');
    await page.getByRole('button', { name: '학습', exact: true }).click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', {
      timeout: 45_000,
    });
    await expect(page.getByTestId('changes-lesson')).toBeVisible();
    const after = await text();
    expect(after).not.toMatch(PARTICLE_PAIR);
    expect(after).toMatch(/로그 수익률을 예측하므로/);
  });
});

test.describe('a glossary the learner can open', () => {
  test('lists every term in the reader’s language, with the other language beside it', async ({
    page,
  }) => {
    await page.goto('./?lang=ko#/explorer');
    await page.getByRole('button', { name: '용어집', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /용어집/ });
    await expect(dialog).toBeVisible();
    const forget = dialog.locator('.glossary-term', { hasText: '망각 게이트 f' });
    await expect(forget).toContainText('forget gate f');
    await expect(forget).toContainText('이전 기억');
    await expect(dialog.locator('.glossary-term', { hasText: '윈도우' }).first()).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.goto('./?lang=en#/explorer');
    await page.getByRole('button', { name: 'Glossary', exact: true }).click();
    await expect(
      page.getByRole('dialog').locator('.glossary-term dt', { hasText: 'test period' }),
    ).toContainText('테스트 기간');
  });
});

/** A hyphen-minus before a digit, as a number on screen would show it. */
const HYPHEN_NUMBER = /(^|[\s(=[,:/×·+])-\d/;

test.describe('numbers that agree', () => {
  test('the diagram’s i·g is the equation’s “written”, f = 0.9975 keeps 99.75 %, not 100 %', async ({
    page,
  }) => {
    await page.goto('./#/explorer');
    await page.getByTestId('step-label').waitFor();
    await expect(page.getByTestId('plain-forget')).toHaveText(
      '0.9975: keep 99.75% of the old memory.',
    );
    for (let t = 0; t < 6; t++) {
      const written = /written (\S+)\./.exec(
        (await page.getByTestId('plain-cell').textContent()) ?? '',
      )![1];
      await expect(page.getByTestId('diagram-ig'), `t = ${t}`).toHaveText(`i·g = ${written}`);
      if (t < 5) await page.getByRole('button', { name: 'Next step' }).click();
    }
    for (const gate of ['forget', 'input', 'output'])
      await expect(page.getByTestId(`plain-${gate}`)).not.toContainText(/ 100%|keep 0%/);
  });

  test('one minus sign (U+2212) on every view', async ({ page }) => {
    const views = ['explorer', 'stock', 'digits', 'why'];
    for (const lang of ['en', 'ko'])
      for (const view of views) {
        await page.goto(`./?lang=${lang}#/${view}`);
        await page.getByRole('banner').waitFor();
        await page.waitForTimeout(500);
        const text = await page.evaluate(() => {
          const main = document.querySelector('main')!.cloneNode(true) as HTMLElement;
          // Python code keeps its own syntax.
          for (const code of main.querySelectorAll('pre, code, .katex-mathml')) code.remove();
          return main.textContent ?? '';
        });
        expect(text, `${view} (${lang})`).not.toMatch(HYPHEN_NUMBER);
      }
  });
});

test.describe('a one-step window', () => {
  test('says why it has nothing to compare and offers the next-day recipe', async ({ page }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.trainSeedRecipe(3);
    const note = page.getByTestId('one-step-note');
    await expect(note).toContainText('no earlier day to compare');
    // No one-bar "which days mattered", no 2×1 heatmap, no "1 days back".
    await expect(page.getByTestId('saliency-strip')).toHaveCount(0);
    await expect(page.getByTestId('gate-strip')).not.toContainText('1 days back');
    await expect(page.getByTestId('gate-strip').locator('canvas')).toHaveCount(0);
    await note.getByRole('button', { name: /next-day recipe/ }).click();
    await expect(page.getByRole('button', { name: 'Next-day forecast' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(page.getByRole('spinbutton', { name: 'Sequence length (steps)' })).toHaveValue(
      '20',
    );
  });
});

test.describe('status lines that speak to learners', () => {
  test('while training: which engine and how fast; numbers behind “details”; after: “Engine: X”', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open('?backend=wasm');
    await lab.setNumber('epochs-input', 60);
    await lab.button('Train').click();
    const footer = page.getByTestId('engine-badge');
    const line = page.getByTestId('run-engine');
    await expect(line).toContainText('Training on WASM', { timeout: 30_000 });
    await expect(footer).toContainText(/Training on WASM · [\d.]+ epochs\/s/);
    // Tensor counts and measurements are there for the curious, not in the sentence.
    const tensors = line.getByText(/\d+ tensors/);
    await expect(tensors).toBeHidden();
    await line.getByText('details').click();
    await expect(tensors).toBeVisible();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 45_000 });
    await expect(line).toContainText('Engine: WASM');
    await expect(footer).toContainText('Engine: WASM');
    await expect(footer).not.toContainText('Training on');
    await expect(lab.runStatus).not.toContainText('tensors');
  });
});
