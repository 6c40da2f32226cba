import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Saving what the user made (persist.ts) against a stand-in for IndexedDB whose writes finish
 * only when the test lets them: the order and overlap of writes become visible.
 */
const db = new Map<string, unknown>();
const pending: (() => void)[] = [];
let inFlight = 0;
let mostInFlight = 0;

vi.mock('idb-keyval', () => ({
  createStore: () => ({}),
  get: (key: string) => Promise.resolve(db.get(key)),
  // As IndexedDB does, the value is cloned when it is put and stored when the write completes.
  set: (key: string, value: unknown) =>
    new Promise<void>((resolve) => {
      const copy = structuredClone(value);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      pending.push(() => {
        db.set(key, copy);
        inFlight--;
        resolve();
      });
    }),
  clear: () => Promise.resolve(db.clear()),
}));

/** Lets every queued write complete, in order, until nothing more is written. */
async function settle(): Promise<void> {
  for (let quiet = 0; quiet < 20;) {
    await Promise.resolve();
    const next = pending.shift();
    if (next) {
      next();
      quiet = 0;
    } else quiet++;
  }
}

const point = (step: number) => ({ step, loss: 1 / step, accuracy: 0.5 });

describe('persistence', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('indexedDB', {});
    vi.stubGlobal('location', { search: '', hash: '' });
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('writes one state at a time, and the last write holds the race as it stands', async () => {
    const { startPersistence } = await import('./persist');
    const { useRace } = await import('./race');
    const { usePersistence } = await import('./persistStatus');
    await startPersistence();
    expect(usePersistence.getState().status).toBe('ok');

    // Stop is saved at once; its writes are still on their way when a progress message that
    // was already in flight adds a point (saved after a second of quiet).
    useRace.setState({
      status: 'stopped',
      points: { rnn: [point(3000)], lstm: [point(1500)] },
    });
    await Promise.resolve();
    expect(inFlight).toBe(1);
    useRace.setState({ points: { rnn: [point(3000)], lstm: [point(1500), point(1525)] } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(mostInFlight, 'a second write began while one was in flight').toBe(1);
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    await settle();

    expect(mostInFlight).toBe(1);
    const saved = db.get('race.state') as { status: string; points: { lstm: { step: number }[] } };
    expect(saved.status).toBe('stopped');
    expect(saved.points.lstm.at(-1)?.step).toBe(1525);
    expect(usePersistence.getState().savedRace).toEqual({ status: 'stopped', steps: 1525 });
  });
});
