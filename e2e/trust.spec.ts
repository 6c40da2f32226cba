import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { StockLabPage } from './pages/StockLab';

const HOSTILE_CSV = [
  'Date,Close,Note,"=HYPERLINK(""http://evil.example"",""click"")"',
  '2024-01-02,10,"<img src=x onerror=""window.__pwned=1"">",1',
  '2024-01-03,11,"<script>window.__pwned2=1</script>",2',
  '2024-01-04,12,"=HYPERLINK(""http://evil.example"",""x"")",3',
  ...Array.from({ length: 60 }, (_, k) => {
    const d = new Date(Date.UTC(2024, 0, 5 + k)).toISOString().slice(0, 10);
    return `${d},${12 + Math.sin(k)},+cmd,${k}`;
  }),
].join('\n');

test.describe('trust: privacy, security, accessibility', () => {
  test('a full session makes no request to any other origin and breaks no CSP rule', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(origin) && !/^(blob|data):/.test(url)) foreign.push(url);
    });
    await page.addInitScript(() => {
      const w = window as unknown as { __cspViolations: string[] };
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`),
      );
    });
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.trainSeedRecipe(20);
    expect(await lab.download('Predictions (CSV)')).toContain('date,actual Volume');
    await lab.button('S&P 500 (2000–2020, daily)').click();
    await expect(lab.datasetRows).toHaveText('5,105');
    await page.goto('./#/explorer');
    await page.keyboard.press('ArrowRight');
    await page.goto('./#/digits');
    await expect(page.getByText(/Reading with the pretrained model/)).toBeVisible({
      timeout: 20_000,
    });
    await page.getByRole('button', { name: 'Pick a test digit' }).click();
    await page.goto('./#/why');
    await page.getByRole('button', { name: 'Start the race' }).click();
    await expect(page.getByTestId('race-chart')).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Stop' }).click();

    expect(foreign, 'requests to other origins').toEqual([]);
    const csp = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(
      await page.evaluate(
        () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
      ),
    ).toEqual([]);
    // The policy is enforced, not just present: an injected inline script does not run.
    const ran = await page.evaluate(async () => {
      const el = document.createElement('script');
      el.textContent = 'window.__inlineRan = true';
      document.head.append(el);
      await new Promise((r) => setTimeout(r, 100));
      const w = window as unknown as { __inlineRan?: boolean; __cspViolations: string[] };
      return { ran: w.__inlineRan === true, violations: w.__cspViolations.length };
    });
    expect(ran).toEqual({ ran: false, violations: 1 });
  });

  test('a CSV with markup and formulas in its cells is shown as text and runs nothing', async ({
    page,
  }) => {
    const lab = new StockLabPage(page);
    await lab.open();
    await lab.upload('hostile.csv', HOSTILE_CSV);
    await expect(lab.datasetName).toHaveText('hostile.csv');
    const preview = page.getByTestId('preview-table');
    await expect(preview).toContainText('<img src=x onerror="window.__pwned=1">');
    await expect(preview).toContainText('<script>window.__pwned2=1</script>');
    await expect(preview.locator('img')).toHaveCount(0);
    await page.waitForTimeout(300);
    expect(
      await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        return [w.__pwned, w.__pwned2];
      }),
    ).toEqual([undefined, undefined]);
    // Train on it and export: no exported cell can start a spreadsheet formula.
    await lab.setNumber('epochs-input', 2);
    await lab.button('Train').click();
    await expect(lab.runStatus).toHaveAttribute('data-status', 'finished', { timeout: 30_000 });
    const cells = (await lab.download('Predictions (CSV)'))
      .trim()
      .split('\n')
      .flatMap((line) => line.split(','));
    for (const cell of cells) {
      if (/^[=+\-@]/.test(cell)) expect(Number.isFinite(Number(cell)), cell).toBe(true);
    }
  });

  for (const view of ['explorer', 'stock', 'digits', 'why'] as const) {
    test(`the ${view} view has no serious accessibility violations (axe)`, async ({ page }) => {
      await page.goto(`./#/${view}`);
      await page.getByRole('heading', { level: 2 }).waitFor();
      await page.waitForTimeout(800);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id}: ${v.help} (${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(' | ')})`,
        );
      expect(serious).toEqual([]);
    });
  }
});
