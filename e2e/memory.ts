import type { CDPSession, Page } from '@playwright/test';

interface HeapUsage {
  usedSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

/**
 * Peak memory of one of the page's workers (matched by its script URL), read through the
 * DevTools protocol: its JavaScript heap plus the ArrayBuffer backing stores it holds (typed
 * arrays and the WASM heap live there). Sampled every `ms` until stop().
 */
export async function watchWorkerMemory(
  page: Page,
  urlPart: string,
  ms = 150,
): Promise<{ peakMb(): number; samples(): number; stop(): Promise<number> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const workers = new Map<string, string>();
  const waiting = new Map<number, (v: HeapUsage | null) => void>();
  let nextId = 1;
  let peak = 0;
  let count = 0;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.url.includes(urlPart)) workers.set(e.sessionId, e.targetInfo.url);
  });
  cdp.on('Target.detachedFromTarget', (e) => void workers.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as { id?: number; result?: HeapUsage };
    if (m.id !== undefined && waiting.has(m.id)) {
      waiting.get(m.id)!(m.result ?? null);
      waiting.delete(m.id);
    }
  });
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });
  const sample = async () => {
    for (const sessionId of workers.keys()) {
      const id = nextId++;
      const answer = new Promise<HeapUsage | null>((r) => {
        waiting.set(id, r);
        setTimeout(() => r(null), 2000);
      });
      await cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
        })
        .catch(() => undefined);
      const u = await answer;
      if (!u) continue;
      const bytes = u.usedSize + (u.embedderHeapUsedSize ?? 0) + (u.backingStorageSize ?? 0);
      peak = Math.max(peak, bytes / 2 ** 20);
      count++;
    }
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await sample();
      await new Promise((r) => setTimeout(r, ms));
    }
  })();
  return {
    peakMb: () => peak,
    samples: () => count,
    async stop() {
      running = false;
      await loop;
      await cdp.detach().catch(() => undefined);
      return peak;
    },
  };
}
