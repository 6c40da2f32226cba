import { describe, expect, it } from 'vitest';
import { NEXT_DAY_RECIPE, type StockDataset } from '../../core/index';
import type { FromWorker } from '../protocol';
import { TrainingRun } from './run';
import { sleep, type Trainer } from './trainer';

/**
 * A trainer whose batches take a few milliseconds (as a GPU step does) and that refuses to be
 * stepped after dispose or twice at once: what a second loop, or a loop on a disposed
 * trainer, would do.
 */
class FakeTrainer implements Trainer {
  epoch = 0;
  batchInEpoch = 0;
  readonly batchesPerEpoch = 4;
  disposed = false;
  inFlight = 0;
  steps = 0;
  misuse: string[] = [];
  constructor(
    readonly name: string,
    private readonly failAt = Infinity,
  ) {}
  stepEpoch(): never {
    throw new Error('not used');
  }
  async stepBatch() {
    if (this.disposed) this.misuse.push(`${this.name} stepped after dispose`);
    if (this.inFlight > 0) this.misuse.push(`${this.name} stepped by two loops at once`);
    this.inFlight++;
    await sleep(2);
    this.inFlight--;
    // As tfjs does: a step whose tensors were disposed under it fails.
    if (this.disposed) throw new Error(`${this.name}: tensor is disposed`);
    if (++this.steps >= this.failAt) throw new Error(`${this.name}: device lost`);
    this.batchInEpoch++;
    if (this.batchInEpoch < this.batchesPerEpoch) {
      return { batch: this.batchInEpoch, batches: this.batchesPerEpoch, loss: 0.5, epoch: null };
    }
    this.batchInEpoch = 0;
    this.epoch++;
    const epoch = { epoch: this.epoch, trainLoss: 0.5, testLoss: 0.6 };
    return { batch: 4, batches: 4, loss: 0.5, epoch };
  }
  predictRange(from: number, to: number) {
    return new Float64Array(to - from);
  }
  evaluate(): never {
    throw new Error('not used');
  }
  stateDict() {
    return { w: [this.epoch] };
  }
  dispose() {
    this.disposed = true;
  }
}

const dataset = { all: { count: 3 }, rows: 10 } as unknown as StockDataset;

function makeRun(trainer: Trainer, onError: (e: unknown) => void = () => {}) {
  const messages: FromWorker[] = [];
  const run = new TrainingRun(
    {
      id: 1,
      config: { ...NEXT_DAY_RECIPE, epochs: 1_000_000 },
      dataset,
      trainer,
      paused: false,
      maxEpochsPerSecond: null,
      gateSample: null,
      slowOk: true,
    },
    {
      post: (m) => messages.push(m),
      memory: () => null,
      gates: () => Promise.reject(new Error('no gates here')),
      onError: (_, e) => onError(e),
    },
  );
  return { run, messages };
}

describe('a training run has one loop, stopped by one awaited stopLoop', () => {
  it('an engine failover stops the loop before the trainer is replaced: no step on a disposed trainer, never two loops', async () => {
    const gpu = new FakeTrainer('gpu');
    const errors: unknown[] = [];
    const { run, messages } = makeRun(gpu, (e) => errors.push(e));
    run.startLoop();
    await sleep(15);
    // What the session's failover does when the device is lost mid-batch.
    run.switching = true;
    await run.stopLoop();
    const wasm = new FakeTrainer('wasm');
    run.replaceTrainer(wasm, run.checkpoint);
    run.switching = false;
    run.startLoop();
    run.startLoop(); // a second start while one loop works is a no-op
    await sleep(30);
    await run.stop();
    expect(gpu.disposed).toBe(true);
    expect([...gpu.misuse, ...wasm.misuse]).toEqual([]);
    expect(errors).toEqual([]);
    expect(wasm.steps).toBeGreaterThan(0);
    expect(messages.filter((m) => m.type === 'failed')).toEqual([]);
    expect(messages[messages.length - 1]).toMatchObject({ type: 'state', state: 'stopped' });
  });

  it('a step that fails after its loop was stopped is not blamed on anyone', async () => {
    const gpu = new FakeTrainer('gpu', 6);
    const errors: unknown[] = [];
    const { run } = makeRun(gpu, (e) => errors.push(e));
    run.startLoop();
    await sleep(1);
    run.switching = true;
    const stopped = run.stopLoop();
    await stopped;
    await sleep(5);
    expect(errors).toEqual([]);
  });

  it('a loop that fails by itself ends first, then reports once', async () => {
    const gpu = new FakeTrainer('gpu', 3);
    const errors: unknown[] = [];
    const { run } = makeRun(gpu, (e) => errors.push(e));
    run.startLoop();
    await sleep(30);
    expect(errors).toHaveLength(1);
    expect(run.busy).toBe(false);
    expect(gpu.misuse).toEqual([]);
  });

  it('pause waits for the loop, then says where the run stands and that it paused', async () => {
    const t = new FakeTrainer('wasm');
    const { run, messages } = makeRun(t);
    run.startLoop();
    await sleep(12);
    await run.pause();
    expect(run.busy).toBe(false);
    const steps = t.steps;
    await sleep(10);
    expect(t.steps).toBe(steps); // nothing steps after the pause
    const states = messages.filter((m) => m.type === 'state');
    expect(states[states.length - 1]).toMatchObject({ state: 'paused' });
  });

  it('a new Start disposes the old run: its loop has ended and it posts nothing more', async () => {
    const t = new FakeTrainer('wasm');
    const { run, messages } = makeRun(t);
    run.startLoop();
    await sleep(8);
    await run.dispose();
    const count = messages.length;
    await sleep(10);
    expect(messages.length).toBe(count);
    expect(t.misuse).toEqual([]);
    expect(t.disposed).toBe(true);
  });
});
