import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

/**
 * Issue 25's structure, checked in CI (timings are the bench's business, never a test's):
 * a view visited again keeps its charts, heavy panels mount after the first paint, and the
 * first view's code carries neither recharts nor KaTeX.
 */
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** A chunk and every chunk it imports statically (the code that must arrive before it runs). */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(`${dist}assets/${file}`, 'utf8');
    // Static imports only: `import … from "./x.js"` and bare `import "./x.js"`, not import("./x.js").
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]);
  };
  visit(entry);
  return [...seen];
}

test.describe('Snappy: structure', () => {
  test('the first view’s code (entry and Cell explorer, with their static imports) has neither recharts nor KaTeX', () => {
    const html = readFileSync(`${dist}index.html`, 'utf8');
    const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)![1];
    const explorer = readdirSync(`${dist}assets`).find((f) => /^CellExplorer-.*\.js$/.test(f))!;
    expect(explorer).toBeTruthy();
    const files = [...new Set([...staticClosure(entry), ...staticClosure(explorer)])];
    for (const f of files) {
      const code = readFileSync(`${dist}assets/${f}`, 'utf8');
      expect(code.includes('recharts-wrapper'), `${f} holds recharts`).toBe(false);
      expect(code.includes('KaTeX parse error'), `${f} holds KaTeX`).toBe(false);
    }
    // The check can fail: recharts and KaTeX are in the build, in other chunks.
    const all = readdirSync(`${dist}assets`).filter((f) => f.endsWith('.js'));
    const holding = (s: string) =>
      all.filter((f) => readFileSync(`${dist}assets/${f}`, 'utf8').includes(s));
    expect(holding('recharts-wrapper').length).toBeGreaterThan(0);
    expect(holding('KaTeX parse error').length).toBeGreaterThan(0);
  });

  test('index.html fetches the landing view’s code beside the entry, and still no recharts or KaTeX', () => {
    const html = readFileSync(`${dist}index.html`, 'utf8');
    const listed = [
      ...html.matchAll(/<link rel="modulepreload"[^>]* href="\.\/assets\/([^"]+\.js)"/g),
    ].map((m) => m[1]);
    const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)![1];
    const explorer = readdirSync(`${dist}assets`).find((f) => /^CellExplorer-.*\.js$/.test(f))!;
    // Everything the explorer's chunk needs to run is asked for by the page itself, at once.
    for (const f of staticClosure(explorer))
      expect(f === entry || listed.includes(f), `${f} is not preloaded`).toBe(true);
    expect(new Set(listed).size).toBe(listed.length);
    for (const f of listed) {
      const code = readFileSync(`${dist}assets/${f}`, 'utf8');
      expect(code.includes('recharts-wrapper'), `${f} holds recharts`).toBe(false);
      expect(code.includes('KaTeX parse error'), `${f} holds KaTeX`).toBe(false);
    }
    // Its stylesheet too, as a preload: a stylesheet link would hold back the first paint.
    const css = readdirSync(`${dist}assets`).find((f) => /^CellExplorer-.*\.css$/.test(f))!;
    expect(html).toContain(`<link rel="preload" as="style" href="./assets/${css}">`);
  });

  test('heavy panels of the first view mount after the first contentful paint', async ({
    page,
  }) => {
    await page.goto('./#/explorer');
    await expect(page.locator('[data-heavy="explorer-origin"]')).toHaveAttribute(
      'data-mounted-at',
      /\d+/,
    );
    await expect(page.locator('[data-heavy="explorer-lower"]')).toHaveAttribute(
      'data-mounted-at',
      /\d+/,
    );
    const { fcp, mounted } = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      mounted: [...document.querySelectorAll<HTMLElement>('[data-heavy]')].map((e) =>
        Number(e.dataset.mountedAt),
      ),
    }));
    expect(Number.isFinite(fcp)).toBe(true);
    for (const at of mounted) expect(at).toBeGreaterThan(fcp);
    // One panel per turn: each commits on its own (together they made one long frame).
    expect(mounted.length).toBeGreaterThanOrEqual(4);
    expect(new Set(mounted).size).toBe(mounted.length);
    // And the equations are typeset once KaTeX arrives (it is not in the first view's code).
    await expect(page.locator('.equations .katex').first()).toBeVisible();
  });

  test('while a view’s code loads, its title and lead already show (not a bare “Loading”)', async ({
    page,
  }) => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route(/CellExplorer-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('./#/explorer');
    const lead = page.locator('.view-loading .lead');
    await expect(page.getByRole('heading', { level: 2, name: 'Cell explorer' })).toBeVisible();
    await expect(lead).toContainText('One LSTM cell, drawn as a diagram');
    await expect(page.getByRole('button', { name: 'Next step' })).toHaveCount(0);
    release();
    await expect(page.getByRole('button', { name: 'Next step' })).toBeVisible();
    await expect(lead).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 2, name: 'Cell explorer' })).toHaveCount(1);
  });

  test('Korean strings are a chunk of their own: English readers never load them', async ({
    page,
  }) => {
    const tagline = 'LSTM이 배우는 모습을 게이트 하나하나 지켜보세요';
    const html = readFileSync(`${dist}index.html`, 'utf8');
    const entry = /src="\.\/assets\/([^"]+\.js)"/.exec(html)![1];
    const has = (f: string) => {
      const code = readFileSync(`${dist}assets/${f}`, 'utf8');
      return code.includes(tagline) || code.includes(JSON.stringify(tagline).slice(1, -1));
    };
    for (const f of staticClosure(entry))
      expect(has(f), `${f} holds the Korean strings`).toBe(false);
    const koChunk = readdirSync(`${dist}assets`).find((f) => f.endsWith('.js') && has(f));
    expect(koChunk).toBeTruthy();
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(r.url()));
    await page.goto('./?lang=en#/explorer');
    await expect(page.getByRole('button', { name: 'Next step' })).toBeVisible();
    expect(loaded.filter((u) => u.endsWith(koChunk!))).toEqual([]);
    // Switching loads them, and the whole page speaks Korean.
    await page.getByRole('button', { name: '한국어' }).click();
    await expect(page.getByText(tagline)).toBeVisible();
    expect(loaded.filter((u) => u.endsWith(koChunk!))).toHaveLength(1);
  });

  test('the price chart is drawn again only when what it shows changes, not on a setting beside it or a save', async ({
    page,
  }) => {
    await page.goto('./#/stock');
    const chart = page.locator('figure.chart[data-renders]');
    await expect(chart).toHaveCount(1);
    // The dataset's save has finished (it used to redraw the chart too).
    await expect(page.getByTestId('dataset')).toHaveAttribute('data-saved', 'true');
    const settle = () =>
      page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
    await settle();
    const drawn = Number(await chart.getAttribute('data-renders'));
    // A setting the chart does not show: the epochs.
    const epochs = page.getByTestId('epochs-input');
    await epochs.fill(String(Number(await epochs.inputValue()) + 1));
    await epochs.blur();
    await settle();
    expect(Number(await chart.getAttribute('data-renders'))).toBe(drawn);
    // The split, which it shows: drawn again (the check can fail).
    await page.getByRole('slider', { name: /Train \/ test split/ }).press('ArrowLeft');
    await expect(chart).not.toHaveAttribute('data-renders', String(drawn));
  });

  test('a view visited again keeps its charts: the same DOM, not built anew', async ({ page }) => {
    await page.goto('./#/stock');
    await page.getByTestId('epochs-input').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'finished', {
      timeout: 45_000,
    });
    const chart = page.getByTestId('loss-chart').locator('svg').first();
    await expect(chart).toBeVisible();
    // Mark the chart's node; a remount would build a new one without the mark.
    await chart.evaluate((el) => el.setAttribute('data-visit-mark', 'first'));
    await page.getByRole('link', { name: 'Cell explorer', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Next step' })).toBeVisible();
    await expect(page.getByTestId('loss-chart')).toBeHidden();
    await page.getByRole('link', { name: 'Stock lab', exact: true }).click();
    await expect(
      page.getByTestId('loss-chart').locator('svg[data-visit-mark="first"]'),
    ).toBeVisible();
  });
});
