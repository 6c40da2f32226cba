import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FromHelper, ToHelper } from './digitsHelperProtocol';

/**
 * The digits worker's helper client against a stand-in Worker: a run never waits on a helper
 * that does not start, and a helper that stops fails the batch it was computing with a reason.
 */
class FakeWorker {
  static last: FakeWorker | null = null;
  static answer: ((msg: ToHelper) => FromHelper | null) | null = null;
  onmessage: ((e: { data: FromHelper }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  terminated = false;
  constructor() {
    FakeWorker.last = this;
  }
  postMessage(msg: ToHelper): void {
    const reply = FakeWorker.answer?.(msg);
    if (reply) queueMicrotask(() => this.onmessage?.({ data: reply }));
  }
  terminate(): void {
    this.terminated = true;
  }
}

const part = { x: new Float32Array(28 * 28 * 2), y: new Int32Array(2), n: 2 };

describe('the digits helper client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('Worker', FakeWorker);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    FakeWorker.answer = null;
  });

  it('a helper that never says it is ready is given up after the timeout, and terminated', async () => {
    const { DigitsHelper, START_TIMEOUT_MS } = await import('./digitsHelper');
    let result: unknown = 'pending';
    void DigitsHelper.start('wasm', 64).then((h) => (result = h));
    await vi.advanceTimersByTimeAsync(START_TIMEOUT_MS - 1);
    expect(result).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBeNull();
    expect(FakeWorker.last?.terminated).toBe(true);
  });

  it('a ready helper answers each part; when it fails, the waiting batch is rejected with why', async () => {
    const { DigitsHelper } = await import('./digitsHelper');
    FakeWorker.answer = (msg) =>
      msg.type === 'init'
        ? { type: 'ready' }
        : { type: 'grads', id: msg.id, loss: 0.5, grads: [new Float32Array([1, 2])] };
    const helper = (await DigitsHelper.start('wasm', 64))!;
    expect(helper).not.toBeNull();
    const r = await helper.gradients([new Float32Array(2)], part);
    expect(r.loss).toBe(0.5);
    expect(Array.from(r.grads[0])).toEqual([1, 2]);
    FakeWorker.answer = () => null;
    const pending = helper.gradients([new Float32Array(2)], part);
    FakeWorker.last!.onmessage!({ data: { type: 'failed', message: 'out of memory' } });
    await expect(pending).rejects.toThrow('the second training worker stopped: out of memory');
    helper.dispose();
    expect(FakeWorker.last!.terminated).toBe(true);
  });

  it('classify sends the weights and digits and resolves with the classes of its own request', async () => {
    const { DigitsHelper } = await import('./digitsHelper');
    const seen: ToHelper[] = [];
    FakeWorker.answer = (msg) => {
      seen.push(msg);
      if (msg.type === 'init') return { type: 'ready' };
      if (msg.type === 'classify')
        return {
          type: 'classes',
          id: msg.id,
          classes: Int32Array.from({ length: msg.n }, (_, k) => k),
        };
      return null;
    };
    const helper = (await DigitsHelper.start('wasm', 64))!;
    const classes = await helper.classify([new Float32Array(2)], part.x, 2);
    expect(Array.from(classes)).toEqual([0, 1]);
    const sent = seen.find((m) => m.type === 'classify');
    expect(sent && sent.type === 'classify' && sent.n).toBe(2);
    // An answer of the wrong kind is an error, not a silent misread.
    FakeWorker.answer = (msg) =>
      msg.type === 'classify' ? { type: 'grads', id: msg.id, loss: 0, grads: [] } : null;
    await expect(helper.classify([new Float32Array(2)], part.x, 2)).rejects.toThrow(
      'the helper answered grads to classify',
    );
    helper.dispose();
  });
});
