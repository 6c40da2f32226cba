/**
 * Issue 25's measurements, on the production build in headless Chromium:
 *  - cold load at 390×844 with the CPU slowed 4× (FCP, LCP, the Cell explorer ready, bytes, the
 *    longest frame while loading);
 *  - a scripted learner session at 1280×800: every frame over 50 ms with the scripts in it (Long
 *    Animation Frames) and the Event Timing duration of every click, key and pointer interaction.
 * Timings only measure: CI checks structure, never these numbers.
 */
import type { Browser, Page } from '@playwright/test';

/** Collects the browser's own performance entries from the first byte on. */
export const OBSERVE = `(() => {
  const perf = { lcp: 0, fcp: 0, ready: 0, frames: [], events: [] };
  window.__perf = perf;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) perf.lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries())
    if (e.name === 'first-contentful-paint') perf.fcp = e.startTime; })
    .observe({ type: 'paint', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) perf.frames.push({
    at: Math.round(e.startTime), ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
    scriptMs: Math.round(e.scripts.reduce((a, s) => a + s.duration, 0)),
    scripts: e.scripts.map((s) => ((s.invoker || s.invokerType) + ' ' + (s.sourceURL || '').split('/').pop()
      + ' ' + Math.round(s.duration) + ' ms')).slice(0, 3) }); })
    .observe({ type: 'long-animation-frame', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.interactionId)
    perf.events.push({ type: e.name, ms: Math.round(e.duration), at: Math.round(e.startTime) }); })
    .observe({ type: 'event', durationThreshold: 16, buffered: true });
  // "Ready": the explorer's Next step button exists and is enabled.
  const check = () => {
    const b = [...document.querySelectorAll('button')].find((x) => x.getAttribute('aria-label') === 'Next step');
    if (b && !b.disabled) perf.ready = performance.now(); else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})()`;

export interface Frame {
  at: number;
  ms: number;
  blocking: number;
  /** Script run in the frame (the sum of its scripts over 5 ms): what target 1 limits to 50 ms. */
  scriptMs: number;
  scripts: string[];
}
export interface Perf {
  lcp: number;
  fcp: number;
  ready: number;
  frames: Frame[];
  events: { type: string; ms: number; at: number }[];
}

export interface ColdLoad {
  fcpMs: number;
  lcpMs: number;
  readyMs: number;
  /** Bytes over the wire (encoded) until the explorer was ready. */
  bytes: number;
  longestFrameMs: number;
  blockingFrames: string[];
}

export async function coldLoad(browser: Browser, base: string): Promise<ColdLoad> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  let counting = true;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    if (counting) bytes += e.encodedDataLength;
  });
  await page.addInitScript(OBSERVE);
  await page.goto(`${base}/#/explorer`);
  await page.waitForFunction(() => (window as unknown as { __perf: Perf }).__perf.ready > 0, null, {
    timeout: 60_000,
  });
  counting = false;
  await page.waitForTimeout(1000);
  const perf = await page.evaluate(() => (window as unknown as { __perf: Perf }).__perf);
  await context.close();
  const during = perf.frames.filter((f) => f.at <= perf.ready + 1000);
  return {
    fcpMs: Math.round(perf.fcp),
    lcpMs: Math.round(perf.lcp),
    readyMs: Math.round(perf.ready),
    bytes,
    longestFrameMs: Math.max(0, ...during.map((f) => f.ms)),
    blockingFrames: during
      .filter((f) => f.blocking > 0)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((f) => `${f.ms} ms (blocking ${f.blocking}) at ${f.at} ms: ${f.scripts.join(', ')}`),
  };
}

export interface Session {
  /** Frames over 50 ms of script, worst first, with what ran in them. */
  longFrames: string[];
  worstFrameMs: number;
  framesOver50: number;
  /** The most script in one frame, and the frames with more than 50 ms of script. */
  worstScriptMs: number;
  framesOver50Script: number;
  /** The slowest interactions (Event Timing duration, input to next paint). */
  worstInteractions: string[];
  worstInteractionMs: number;
  steps: string[];
  /** Frames over 50 ms in each step (its action and the 600 ms after it), and the worst. */
  byStep: {
    step: string;
    frames: number;
    worstMs: number;
    script50: number;
    worstScriptMs: number;
  }[];
}

/** A 5,000-row daily price file, as a learner might upload. */
function csv5000(): string {
  const rows = ['Date,Open,High,Low,Close,Volume'];
  let p = 100;
  const d0 = Date.UTC(2000, 0, 3);
  for (let k = 0; k < 5000; k++) {
    p *= 1 + 0.01 * Math.sin(k * 0.37) + 0.002 * Math.cos(k * 1.3);
    const date = new Date(d0 + k * 86_400_000).toISOString().slice(0, 10);
    rows.push(
      `${date},${p.toFixed(2)},${(p * 1.01).toFixed(2)},${(p * 0.99).toFixed(2)},${p.toFixed(2)},${1000 + k}`,
    );
  }
  return rows.join('\n');
}

export async function learnerSession(
  browser: Browser,
  base: string,
  /** For profiling by hand: called with the page before the session and before it closes. */
  hooks: { start?: (p: Page) => Promise<void>; end?: (p: Page) => Promise<void> } = {},
): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(OBSERVE);
  await hooks.start?.(page);
  const steps: string[] = [];
  /** When each step (its action and the 600 ms after it) ended, on the page's clock. */
  const ends: number[] = [];
  const step = async (name: string, act: (p: Page) => Promise<unknown>) => {
    await act(page);
    steps.push(name);
    await page.waitForTimeout(600);
    ends.push(await page.evaluate(() => performance.now()));
  };
  const visit = (view: string) => (p: Page) =>
    p.getByRole('link', { name: view, exact: true }).click();
  await step('load', (p) => p.goto(`${base}/#/explorer`));
  await page.getByRole('button', { name: 'Next step' }).waitFor();
  for (const round of [1, 2])
    for (const view of ['Stock lab', 'Digit reader', 'Why LSTM', 'Cell explorer'])
      await step(`visit ${view} (${round})`, visit(view));
  await step('Stock lab: S&P 500', async (p) => {
    await visit('Stock lab')(p);
    await p
      .getByRole('button', { name: /S&P 500/ })
      .first()
      .click();
    await p
      .getByTestId('dataset-rows')
      .filter({ hasText: /5,?\d{3}/ })
      .waitFor({ timeout: 60_000 });
  });
  await step('Train 12 s, then Pause', async (p) => {
    await p.getByRole('button', { name: 'Train', exact: true }).click();
    await p.waitForTimeout(12_000);
    await p.getByRole('button', { name: 'Pause', exact: true }).click();
  });
  await step('Cell explorer: a step', async (p) => {
    await visit('Cell explorer')(p);
    await p.getByRole('button', { name: 'Next step' }).click();
  });
  await step('Digit reader: draw and Read', async (p) => {
    await visit('Digit reader')(p);
    const pad = p.getByTestId('draw-pad');
    const box = (await pad.boundingBox())!;
    await p.mouse.move(box.x + box.width / 2, box.y + 30);
    await p.mouse.down();
    for (let y = 30; y < box.height - 30; y += 12)
      await p.mouse.move(box.x + box.width / 2, box.y + y);
    await p.mouse.up();
    await p.getByRole('button', { name: 'Read', exact: true }).click();
  });
  await step('Why LSTM: start the race', async (p) => {
    await visit('Why LSTM')(p);
    await p.getByRole('button', { name: 'Start the race' }).click();
    await p.waitForTimeout(3000);
    await p.getByRole('button', { name: 'Stop' }).first().click();
  });
  await step('Stock lab: upload a 5,000-row CSV', async (p) => {
    await visit('Stock lab')(p);
    await p.getByTestId('csv-input').setInputFiles({
      name: 'prices-5000.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv5000()),
    });
    await p.getByTestId('dataset-rows').filter({ hasText: '5,000' }).waitFor({ timeout: 60_000 });
  });
  await page.waitForTimeout(1000);
  const perf = await page.evaluate(() => (window as unknown as { __perf: Perf }).__perf);
  await hooks.end?.(page);
  await context.close();
  const long = perf.frames.filter((f) => f.ms > 50).sort((a, b) => b.ms - a.ms);
  const events = [...perf.events].sort((a, b) => b.ms - a.ms);
  const stepAt = (at: number) => steps[ends.findIndex((end) => at <= end)] ?? 'after the last step';
  return {
    longFrames: long
      .slice(0, 8)
      .map((f) => `${f.ms} ms (script ${f.scriptMs}) at ${f.at} ms: ${f.scripts.join(', ')}`),
    worstFrameMs: long[0]?.ms ?? 0,
    framesOver50: long.length,
    worstScriptMs: Math.max(0, ...long.map((f) => f.scriptMs)),
    framesOver50Script: long.filter((f) => f.scriptMs > 50).length,
    worstInteractions: events
      .slice(0, 6)
      .map((e) => `${e.type} ${e.ms} ms at ${e.at} ms (${stepAt(e.at)})`),
    worstInteractionMs: events[0]?.ms ?? 0,
    steps,
    byStep: steps.map((name, k) => {
      const mine = long.filter((f) => f.at <= ends[k] && (k === 0 || f.at > ends[k - 1]));
      return {
        step: name,
        frames: mine.length,
        worstMs: mine[0]?.ms ?? 0,
        script50: mine.filter((f) => f.scriptMs > 50).length,
        worstScriptMs: Math.max(0, ...mine.map((f) => f.scriptMs)),
      };
    }),
  };
}

/** The RESULTS.md section for both measurements. */
export function sessionTable(cold: ColdLoad | null, session: Session | null): string[] {
  const kb = (b: number) => `${Math.round(b / 1024)} KB`;
  return [
    '## Cold load: 390×844, CPU slowed 4× (Chrome DevTools’ phone-class preset), cache off, production build',
    '',
    'Targets: LCP ≤ 2.5 s, the Cell explorer ready (its Next step button enabled) ≤ 2.5 s, no blocking frame over 200 ms.',
    '',
    '| FCP | LCP | explorer ready | bytes until ready | longest frame while loading |',
    '|---|---|---|---|---|',
    cold
      ? `| ${cold.fcpMs} ms | ${cold.lcpMs} ms | ${cold.readyMs} ms | ${kb(cold.bytes)} | ${cold.longestFrameMs} ms |`
      : '| — | — | — | — | — |',
    '',
    ...(cold?.blockingFrames.length
      ? [
          'Frames with blocking time while loading:',
          '',
          ...cold.blockingFrames.map((f) => `- ${f}`),
          '',
        ]
      : []),
    '## A scripted learner session (1280×800): load, every view twice, S&P 500 Train 12 s then Pause, a Cell explorer step, a Digit reader draw and Read, the Why-LSTM race, a 5,000-row upload',
    '',
    'Targets: no frame over 50 ms of script; every interaction paints within 100 ms (Event Timing duration). A frame’s duration also holds style, layout and paint; its script is the sum of the scripts its Long Animation Frame entry lists.',
    '',
    '| worst frame | frames over 50 ms | most script in a frame | frames with over 50 ms of script | worst interaction |',
    '|---|---|---|---|---|',
    session
      ? `| ${session.worstFrameMs} ms | ${session.framesOver50} | ${session.worstScriptMs} ms | ${session.framesOver50Script} | ${session.worstInteractionMs} ms |`
      : '| — | — | — | — | — |',
    '',
    ...(session
      ? [
          'Worst frames, with the scripts that ran in them (Long Animation Frames):',
          '',
          ...session.longFrames.map((f) => `- ${f}`),
          '',
          'Frames over 50 ms by step (each step: its action and the 600 ms after it):',
          '',
          '| step | frames over 50 ms | worst frame | frames with over 50 ms of script | most script |',
          '|---|---|---|---|---|',
          ...session.byStep.map(
            (b) =>
              `| ${b.step} | ${b.frames} | ${b.frames ? `${b.worstMs} ms` : '—'} | ${b.script50} | ${b.frames ? `${b.worstScriptMs} ms` : '—'} |`,
          ),
          '',
          'Slowest interactions:',
          '',
          ...session.worstInteractions.map((e) => `- ${e}`),
          '',
        ]
      : []),
  ];
}
