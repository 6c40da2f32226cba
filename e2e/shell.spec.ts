import { expect, test } from './fixtures';
import { AppShell } from './pages/AppShell';

test.describe('app shell', () => {
  test('loads with no console errors and shows all four views as tabs', async ({ shell, page }) => {
    await shell.open();
    await expect(shell.heading).toHaveText('LSTM Lab');
    for (const name of ['Cell explorer', 'Stock lab', 'Digit reader', 'Why LSTM']) {
      await expect(shell.tab(name)).toBeVisible();
    }
    await expect(shell.tab('Cell explorer')).toHaveAttribute('aria-current', 'page');
    await shell.tab('Stock lab').click();
    await expect(page).toHaveURL(/#\/stock$/);
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Stock lab');
    await expect(shell.tab('Stock lab')).toHaveAttribute('aria-current', 'page');
    await expect(shell.engineBadge).toContainText(/Engine: |Idle/);
  });

  test('the language switch flips the UI to Korean and back', async ({ shell, page }) => {
    await shell.open('why');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await shell.switchLanguage('한국어');
    await expect(shell.heading).toHaveText('LSTM 랩');
    await expect(shell.tab('왜 LSTM인가')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('왜 LSTM인가');
    await expect(shell.engineBadge).toContainText(/엔진: |대기 중/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(shell.languageButton('한국어')).toHaveAttribute('aria-pressed', 'true');
    // The choice survives a reload.
    await page.reload();
    await expect(shell.heading).toHaveText('LSTM 랩');
    await shell.switchLanguage('EN');
    await expect(shell.heading).toHaveText('LSTM Lab');
    await expect(page.getByRole('heading', { level: 2 })).toHaveText('Why LSTM');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });

  test('when the Korean strings cannot be fetched, the switch says so, in both languages, and a second try works', async ({
    page,
  }) => {
    // Not the shell fixture: the refused fetch itself is logged as a console error, and that one is
    // expected here. Anything else (an unhandled rejection above all) still fails the test.
    const shell = new AppShell(page);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    // A first visit whose connection drops before the Korean chunk arrives.
    await page.route(/\/assets\/ko-[^/]+\.js$/, (route) => route.abort('internetdisconnected'));
    await shell.open('explorer', '?lang=en');
    await shell.switchLanguage('한국어');
    const error = page.getByRole('alert').filter({ hasText: '한국어' });
    await expect(error).toContainText('Korean could not be loaded');
    await expect(error).toContainText('한국어를 불러오지 못했습니다');
    // Nothing else changed: still English, and the EN button still says so.
    await expect(shell.heading).toHaveText('LSTM Lab');
    await expect(shell.languageButton('EN')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    // The connection is back: the same button now works and the message goes.
    await page.unroute(/\/assets\/ko-[^/]+\.js$/);
    await shell.switchLanguage('한국어');
    await expect(shell.heading).toHaveText('LSTM 랩');
    await expect(error).toHaveCount(0);
    expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });

  test('?lang=ko opens in Korean (for shared classroom links)', async ({ shell }) => {
    await shell.open('explorer', '?lang=ko');
    await expect(shell.heading).toHaveText('LSTM 랩');
    await expect(shell.tab('셀 탐색기')).toHaveAttribute('aria-current', 'page');
  });
});

test('the theme switch changes the page colours and follows the system by default', async ({
  shell,
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await shell.open();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await background();
  await page.getByRole('button', { name: 'Light' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).not.toBe(dark);
  await page.getByRole('button', { name: 'System' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the engine control switches the training engine and is kept for the next visit', async ({
  shell,
  page,
}) => {
  await shell.open('stock');
  await expect(shell.engineBadge).toContainText('Engine: WASM');
  await page.getByTestId('engine-select').selectOption('core');
  await expect(shell.engineBadge).toContainText('Engine: Pure TS');
  await page.reload();
  await expect(page.getByTestId('engine-select')).toHaveValue('core');
  await expect(shell.engineBadge).toContainText('Engine: Pure TS');
  await page.getByTestId('engine-select').selectOption('auto');
  await expect(shell.engineBadge).toContainText('Engine: WASM');
});

test('the gate heatmaps (canvas) redraw in the new theme’s colours, also when the system switches', async ({
  shell,
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await shell.open();
  const canvas = page.locator('.gate-heatmap canvas').first();
  await expect(canvas).toBeVisible();
  // Pixels of exactly the theme's --surface-2 (the gaps between cells) and --text (the outline
  // of the current step): a canvas cannot follow CSS, so it has to be drawn again.
  const count = (hex: string) =>
    canvas.evaluate((c: HTMLCanvasElement, hex) => {
      const want = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 0; k < d.length; k += 4)
        if (d[k] === want[0] && d[k + 1] === want[1] && d[k + 2] === want[2] && d[k + 3] === 255)
          n++;
      return n;
    }, hex);
  const colours = () =>
    page.evaluate(() => {
      const css = getComputedStyle(document.documentElement);
      return ['--surface-2', '--text'].map((v) => css.getPropertyValue(v).trim());
    });
  const [lightSurface, lightText] = await colours();
  await expect.poll(() => count(lightText)).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const [darkSurface, darkText] = await colours();
  expect(darkText).not.toBe(lightText);
  await expect.poll(() => count(darkText)).toBeGreaterThan(20);
  expect(await count(lightText)).toBe(0);
  expect(await count(darkSurface)).toBeGreaterThan(0);
  expect(await count(lightSurface)).toBe(0);
  // "System" while the OS is light, then the OS turns dark: the canvas follows it live.
  await page.getByRole('button', { name: 'System' }).click();
  await expect.poll(() => count(lightText)).toBeGreaterThan(20);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => count(darkText)).toBeGreaterThan(20);
  expect(await count(lightText)).toBe(0);
});
