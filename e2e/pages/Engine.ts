import type { Page } from '@playwright/test';
import type { FromWorker, GoldenCase, ModelGoldenCase } from '../../src/worker/protocol';

/**
 * Drives the training worker through the ?debug=1 handle (window.__lstmLab), the same client
 * the views use, and collects what it reports.
 */
export class EngineDriver {
  constructor(readonly page: Page) {}

  async open(backend: string): Promise<void> {
    await this.page.goto(`./?debug=1&backend=${backend}#/stock`);
    await this.page.waitForFunction(() => '__lstmLab' in window);
  }

  async selfTest(golden: GoldenCase): Promise<Extract<FromWorker, { type: 'selfTestResult' }>> {
    // Sent as JSON text: Playwright's serialisable-argument types recurse too deeply for it.
    const text = await this.page.evaluate(async (json: string) => {
      type Lab = { client: { selfTest(g: unknown): Promise<unknown> } };
      const lab = (window as unknown as { __lstmLab: Lab }).__lstmLab;
      return JSON.stringify(await lab.client.selfTest(JSON.parse(json)));
    }, JSON.stringify(golden));
    return JSON.parse(text);
  }

  async selfTestModel(
    golden: ModelGoldenCase,
  ): Promise<Extract<FromWorker, { type: 'selfTestModelResult' }>> {
    const text = await this.page.evaluate(async (json: string) => {
      type Lab = { client: { selfTestModel(g: unknown): Promise<unknown> } };
      const lab = (window as unknown as { __lstmLab: Lab }).__lstmLab;
      return JSON.stringify(await lab.client.selfTestModel(JSON.parse(json)));
    }, JSON.stringify(golden));
    return JSON.parse(text);
  }

  /** Starts a run on CSV text and records every message of it in window.__messages. */
  async startRun(csv: string, config: object, opts: { paused?: boolean } = {}): Promise<void> {
    await this.page.evaluate(
      ({ csv, config, paused }) => {
        type Lab = {
          client: {
            start(c: unknown, t: unknown, o: unknown): number;
            subscribe(l: (m: unknown) => void): void;
          };
          parseCsvText(text: string): unknown;
        };
        const w = window as unknown as { __lstmLab: Lab; __messages: unknown[] };
        w.__messages = [];
        w.__lstmLab.client.subscribe((m) => w.__messages.push(m));
        w.__lstmLab.client.start(config, w.__lstmLab.parseCsvText(csv), { paused });
      },
      { csv, config, paused: opts.paused ?? false },
    );
  }

  command(
    name:
      | 'pause'
      | 'resume'
      | 'stop'
      | 'stepEpoch'
      | 'crashForTest'
      | 'debugLoseDevice'
      | 'debugGpuError',
  ): Promise<void> {
    return this.page.evaluate((n) => {
      const lab = (window as unknown as { __lstmLab: { client: Record<string, () => void> } })
        .__lstmLab;
      lab.client[n]();
    }, name);
  }

  /** Asks the run for the gates of window `sample` (they arrive in a progress message). */
  recordGates(sample: number): Promise<void> {
    return this.page.evaluate((k) => {
      type Lab = { client: { recordGates(k: number): void } };
      (window as unknown as { __lstmLab: Lab }).__lstmLab.client.recordGates(k);
    }, sample);
  }

  /** Waits until some progress message reaches at least `epoch`. */
  async waitForEpoch(epoch: number, timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      (e) =>
        (window as unknown as { __messages: { type: string; epoch?: number }[] }).__messages.some(
          (m) => m.type === 'progress' && (m.epoch ?? 0) >= e,
        ),
      epoch,
      { timeout },
    );
  }

  messages(): Promise<FromWorker[]> {
    return this.page.evaluate(() => (window as unknown as { __messages: FromWorker[] }).__messages);
  }

  /** Waits for a message of a type; a 'failed' message (when not awaited) fails at once. */
  async waitFor(type: FromWorker['type'], timeout = 60_000): Promise<FromWorker> {
    const handle = await this.page.waitForFunction(
      (t) => {
        const all = (window as unknown as { __messages: { type: string }[] }).__messages;
        return all.find((m) => m.type === t) ?? all.find((m) => m.type === 'failed');
      },
      type,
      { timeout },
    );
    const msg = (await handle.jsonValue()) as FromWorker;
    if (msg.type === 'failed' && type !== 'failed') {
      throw new Error(`worker failed (${msg.kind}): ${msg.message}`);
    }
    return msg;
  }
}
