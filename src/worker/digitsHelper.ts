import type { BatchPart, FlatTensors, GradientHelper } from '../ml/splitBatch';
import type { FromHelper, ToHelper } from './digitsHelperProtocol';
import type { EngineName } from './protocol';

/** How long a helper may take to start its engine (about a second here) before the run goes alone. */
export const START_TIMEOUT_MS = 20_000;

/**
 * The digits worker's side of its helper worker: started for a run on a CPU engine (WASM or tfjs
 * CPU) when the machine has a second core, it computes half of every batch (ml/splitBatch.ts) and
 * classifies half of the test digits after each epoch.
 */
export class DigitsHelper implements GradientHelper {
  private next = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (r: FromHelper) => void; reject: (e: Error) => void }
  >();
  private broken: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<FromHelper>) => {
      const msg = e.data;
      if (msg.type === 'grads' || msg.type === 'classes') {
        this.waiting.get(msg.id)?.resolve(msg);
        this.waiting.delete(msg.id);
      } else if (msg.type === 'failed') this.fail(new Error(msg.message));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.fail(new Error(e.message || 'the helper worker stopped'));
    };
  }

  /** A helper ready on `engine`, or null when it could not start (the run trains alone). */
  static async start(engine: EngineName, hiddenSize: number): Promise<DigitsHelper | null> {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./digitsHelper.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      return null;
    }
    const ready = await new Promise<boolean>((resolve) => {
      // A helper that never answers must not hold the run: it then trains alone.
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      worker.onmessage = (e: MessageEvent<FromHelper>) => settle(e.data.type === 'ready');
      worker.onerror = (e) => {
        e.preventDefault();
        settle(false);
      };
      const init: ToHelper = { type: 'init', engine, hiddenSize };
      worker.postMessage(init);
    });
    if (!ready) {
      worker.terminate();
      return null;
    }
    return new DigitsHelper(worker);
  }

  async gradients(
    weights: FlatTensors,
    part: BatchPart,
  ): Promise<{ loss: number; grads: FlatTensors }> {
    const r = await this.ask((id) => ({ type: 'grads', id, weights, part }));
    if (r.type !== 'grads') throw new Error(`the helper answered ${r.type} to grads`);
    return { loss: r.loss, grads: r.grads };
  }

  async classify(weights: FlatTensors, x: Float32Array, n: number): Promise<Int32Array> {
    const r = await this.ask((id) => ({ type: 'classify', id, weights, x, n }));
    if (r.type !== 'classes') throw new Error(`the helper answered ${r.type} to classify`);
    return r.classes;
  }

  private ask(message: (id: number) => ToHelper): Promise<FromHelper> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  private fail(e: Error): void {
    this.broken = new Error(`the second training worker stopped: ${e.message}`);
    for (const w of this.waiting.values()) w.reject(this.broken);
    this.waiting.clear();
  }

  dispose(): void {
    this.fail(new Error('the run ended'));
    this.worker.terminate();
  }
}
