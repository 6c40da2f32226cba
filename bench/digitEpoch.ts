/**
 * Issue 25, target 4: the Digit reader's "Train from scratch" with hidden 128, one epoch of the
 * 8,000 training digits on Auto, in the production build as a learner runs it. Reports the
 * epoch's training seconds as the worker measured them (batches only), the wall time from the
 * click to the finished epoch (Auto's probe and the held-out read included) and the page's
 * frames over 50 ms meanwhile.
 */
import type { Browser } from '@playwright/test';
import { OBSERVE, type Perf } from './session';

export interface DigitEpoch {
  engine: string;
  epochSeconds: number;
  wallSeconds: number;
  accuracy: number;
  worstFrameMs: number;
  framesOver50: number;
  /** The most script in one frame, and the frames with more than 50 ms of script (target 4). */
  worstScriptMs: number;
  framesOver50Script: number;
  longFrames: string[];
}

interface DigitsHandle {
  __lstmLab: {
    digits: {
      getState(): {
        data: string;
        train: {
          status: string;
          history: { accuracy: number; seconds: number }[];
          engine: { engine: string } | null;
        } | null;
      };
    };
  };
}

export async function digitEpoch(browser: Browser, base: string): Promise<DigitEpoch> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(OBSERVE);
  await page.goto(`${base}/?debug=1#/digits`);
  await page.waitForFunction(
    () => (window as unknown as DigitsHandle).__lstmLab?.digits.getState().data === 'ready',
    null,
    { timeout: 120_000 },
  );
  await page.getByTestId('digits-hidden').selectOption('128');
  await page.getByTestId('digits-epochs').selectOption('1');
  const card = page.locator('section[aria-labelledby="digits-train-title"]');
  const t0 = await page.evaluate(() => performance.now());
  await card.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(
    () => {
      const t = (window as unknown as DigitsHandle).__lstmLab.digits.getState().train;
      return t?.status === 'finished' || t?.status === 'failed';
    },
    null,
    { timeout: 10 * 60_000, polling: 250 },
  );
  const t1 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(500);
  const { perf, train } = await page.evaluate(() => ({
    perf: (window as unknown as { __perf: Perf }).__perf,
    train: (window as unknown as DigitsHandle).__lstmLab.digits.getState().train!,
  }));
  await context.close();
  if (!train.history.length) throw new Error(`digit training ended ${train.status}`);
  const long = perf.frames.filter((f) => f.at >= t0 && f.ms > 50).sort((a, b) => b.ms - a.ms);
  return {
    engine: train.engine?.engine ?? '?',
    epochSeconds: train.history[0].seconds,
    wallSeconds: (t1 - t0) / 1000,
    accuracy: train.history[0].accuracy,
    worstFrameMs: long[0]?.ms ?? 0,
    framesOver50: long.length,
    worstScriptMs: Math.max(0, ...long.map((f) => f.scriptMs)),
    framesOver50Script: long.filter((f) => f.scriptMs > 50).length,
    longFrames: long
      .slice(0, 5)
      .map(
        (f) =>
          `${f.ms} ms (script ${f.scriptMs}) at ${Math.round(f.at - t0)} ms after the click: ${f.scripts.join(', ')}`,
      ),
  };
}

/** The RESULTS.md section. */
export function digitEpochTable(d: DigitEpoch | null): string[] {
  if (!d) return [];
  return [
    '## Digit reader: Train from scratch, hidden 128, one epoch of 8,000 digits, Auto (production build, 1280×800)',
    '',
    'Target: the epoch in ≤ 7 s, no frame over 50 ms meanwhile.',
    '',
    '| engine Auto chose | epoch (worker, batches only) | click to finished epoch | held-out accuracy | worst frame | frames over 50 ms | most script in a frame | frames with over 50 ms of script |',
    '|---|---|---|---|---|---|---|---|',
    `| ${d.engine} | ${d.epochSeconds.toFixed(1)} s | ${d.wallSeconds.toFixed(1)} s | ${(100 * d.accuracy).toFixed(1)}% | ${d.worstFrameMs} ms | ${d.framesOver50} | ${d.worstScriptMs} ms | ${d.framesOver50Script} |`,
    '',
    ...(d.longFrames.length ? [...d.longFrames.map((f) => `- ${f}`), ''] : []),
  ];
}
