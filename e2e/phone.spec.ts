import { expect, test } from './fixtures';
import { cutElements, wordsBrokenMidWord } from './layout';
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
      test(`${view} (${lang}) shows everything: nothing cut, no sideways scrolling, no word split`, async ({
        page,
      }) => {
        await page.goto(`./?lang=${lang}#/${view}`);
        if (lang === 'en')
          await expect(page.getByRole('heading', { level: 2 })).toHaveText(heading);
        await page.waitForTimeout(800);
        if (view === 'stock') {
          // A trained run: charts, the gate strip with its heatmaps, the metrics table.
          await page.getByTestId('epochs-input').fill('3');
          await page
            .getByRole('button', { name: lang === 'en' ? 'Train' : '학습', exact: true })
            .click();
          await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', {
            timeout: 45_000,
          });
          await expect(page.getByTestId('metrics')).toBeVisible();
          await page.waitForTimeout(600);
        }
        await fitsWidth(page);
        expect(await cutElements(page)).toEqual([]);
        if (lang === 'ko') expect(await wordsBrokenMidWord(page)).toEqual([]);
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
    // The diagram fits the card in its narrow layout: σo, c_t and h_t are on screen.
    await expect(page.locator('.cell-diagram')).toHaveAttribute('data-layout', 'compact');
    for (const id of ['diagram-output', 'diagram-c', 'diagram-h']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x + box.width, id).toBeLessThanOrEqual(PHONE.width);
    }
    await fitsWidth(page);
  });

  test('the digit pad stays square', async ({ page }) => {
    await page.goto('./#/digits');
    const pad = (await page.getByTestId('draw-pad').boundingBox())!;
    expect(Math.abs(pad.width - pad.height)).toBeLessThanOrEqual(1);
    expect(pad.width).toBeLessThanOrEqual(PHONE.width);
  });

  test('the Digit reader’s training chart takes the card’s width, with the confusion matrix below it', async ({
    page,
  }) => {
    await page.goto('./#/digits');
    const card = page.locator('section[aria-labelledby="digits-train-title"]');
    await card.getByTestId('digits-epochs').selectOption('1');
    await card.getByRole('button', { name: 'Train', exact: true }).click();
    const chart = card.getByRole('figure', {
      name: 'Training loss and held-out accuracy per epoch',
    });
    await expect(chart.locator('.recharts-line')).toHaveCount(2, { timeout: 60_000 });
    const box = (await chart.boundingBox())!;
    const inner = await card.evaluate((el) => {
      const cs = getComputedStyle(el);
      return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    });
    expect(box.width, 'training chart width').toBeGreaterThanOrEqual(inner - 1);
    const table = card.getByRole('table', {
      name: 'Confusion matrix on the 2,000 held-out digits',
    });
    const matrix = (await table.boundingBox())!;
    expect(matrix.y, 'the confusion matrix starts below the chart').toBeGreaterThanOrEqual(
      box.y + box.height,
    );
    // The whole matrix and its title show at once: nothing to scroll sideways, no title cut off.
    const fit = await table.evaluate((el) => {
      const wrap = el.parentElement!;
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
    });
    expect(fit.scroll, 'the matrix scrolls sideways').toBeLessThanOrEqual(fit.client);
    const title = (await card
      .getByText('Confusion matrix on the 2,000 held-out digits')
      .boundingBox())!;
    expect(title.x).toBeGreaterThanOrEqual(box.x - 1);
    expect(title.x + title.width).toBeLessThanOrEqual(box.x + inner + 1);
    await fitsWidth(page);
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
