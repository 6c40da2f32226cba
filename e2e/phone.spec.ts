import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

const PHONE = { width: 390, height: 844 };

/** No view may scroll sideways on a phone: wide things scroll inside their own box. */
async function fitsWidth(page: import('@playwright/test').Page): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll, 'page width on a 390 px phone').toBeLessThanOrEqual(inner);
}

test.describe('on a 390 px phone', () => {
  test.use({ viewport: PHONE });

  for (const [view, heading] of [
    ['explorer', 'Cell explorer'],
    ['stock', 'Stock lab'],
    ['digits', 'Digit reader'],
    ['why', 'Why LSTM'],
  ] as const) {
    for (const lang of ['en', 'ko']) {
      test(`${view} (${lang}) fits the screen, no sideways scrolling`, async ({ page }) => {
        await page.goto(`./?lang=${lang}#/${view}`);
        if (lang === 'en')
          await expect(page.getByRole('heading', { level: 2 })).toHaveText(heading);
        await page.waitForTimeout(800);
        await fitsWidth(page);
        // The theme switch stays on screen.
        const theme = page
          .getByRole('group')
          .filter({ has: page.locator('button[aria-pressed]') })
          .first();
        const box = (await theme.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      });
    }
  }

  test('the explorer’s sticky player covers at most 15 % of the screen; the diagram stays readable', async ({
    page,
  }) => {
    await page.goto('./#/explorer');
    const player = page.locator('.player');
    await expect(player).toBeVisible();
    const h = (await player.boundingBox())!.height;
    expect(h).toBeLessThanOrEqual(0.15 * PHONE.height);
    // The diagram is drawn at a readable size (it scrolls inside its card), not shrunk to 260 px.
    const svg = (await page.locator('.cell-diagram').boundingBox())!;
    expect(svg.width).toBeGreaterThanOrEqual(560);
    await fitsWidth(page);
  });

  test('the digit pad stays square', async ({ page }) => {
    await page.goto('./#/digits');
    const pad = (await page.getByTestId('draw-pad').boundingBox())!;
    expect(Math.abs(pad.width - pad.height)).toBeLessThanOrEqual(1);
    expect(pad.width).toBeLessThanOrEqual(PHONE.width);
  });

  test('the Stock lab with a trained run still fits: charts take the card’s width', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await page.getByLabel('Speed').selectOption('null');
    await lab.trainSeedRecipe(20);
    await expect(lab.metrics).toBeVisible();
    await fitsWidth(page);
  });
});
