import { describe, expect, it } from 'vitest';
import { NEXT_DAY_RECIPE, type StockSeries } from '../core/index';
import type { FromWorker } from '../worker/protocol';
import { checkpointOf, reduceRun, type RunView } from './runReducer';

const series: StockSeries = {
  dates: null,
  actual: [10, 11, 12, 13],
  naive: [10, 10, 11, 12],
  trainCount: 2,
  features: ['Close'],
  target: 'Close',
  intraday: false,
} as unknown as StockSeries;

const run = (patch: Partial<RunView> = {}): RunView => ({
  runId: 7,
  status: 'running',
  config: NEXT_DAY_RECIPE,
  dataKey: 1,
  epoch: 0,
  history: [],
  series: null,
  predictions: null,
  evaluation: null,
  gates: null,
  epochsPerSecond: 0,
  memory: null,
  batch: null,
  slow: null,
  ...patch,
});

const loss = (epoch: number) => ({ epoch, trainLoss: 1 / epoch, testLoss: 2 / epoch });
const progress = (epoch: number, extra: Partial<Extract<FromWorker, { type: 'progress' }>> = {}) =>
  ({
    type: 'progress',
    runId: 7,
    epoch,
    history: [loss(epoch)],
    epochsPerSecond: 5,
    memory: null,
    ...extra,
  }) as FromWorker;
const reduce = (start: RunView, ...msgs: FromWorker[]) => msgs.reduce(reduceRun, start);

describe('the Stock lab run as the worker reports it (a pure reducer)', () => {
  it('dataset: the series the charts draw', () => {
    expect(reduce(run(), { type: 'dataset', runId: 7, series }).series).toBe(series);
  });

  it('progress: what each gate learned stays, with its epoch, until a pause or end measures it again', () => {
    const gates = (saturation?: { epoch: number }) =>
      ({ sample: 0, input: [], steps: [], ...(saturation ? { saturation } : {}) }) as never;
    const measured = { epoch: 4, windows: 10, layers: [] };
    const r = reduce(
      run(),
      progress(4, { gates: gates(measured) }),
      progress(5, { gates: gates() }),
    );
    expect(r.gates?.saturation).toEqual(measured);
    expect(r.epoch).toBe(5);
    const later = { epoch: 9, windows: 10, layers: [] };
    expect(reduce(r, progress(9, { gates: gates(later) })).gates?.saturation).toEqual(later);
  });

  it('progress: epochs, every loss in order, rate, and where it stands inside an epoch', () => {
    const r = reduce(
      run(),
      progress(1),
      progress(2, { batch: { index: 3, count: 9, loss: 0.1 } }),
      progress(2, { history: [] }),
    );
    expect(r.epoch).toBe(2);
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(r.epochsPerSecond).toBe(5);
    // A message without history keeps the batch shown; an epoch's end (history, no batch) clears it.
    expect(r.batch).toEqual({ index: 3, count: 9, loss: 0.1 });
    expect(reduce(r, progress(3)).batch).toBeNull();
  });

  it('progress with predictions: the metrics follow, judged against the naive forecast', () => {
    const r = reduce(run({ series }), progress(1, { predictions: [10, 11, 12, 13] }));
    expect(r.predictions).toEqual([10, 11, 12, 13]);
    expect(r.evaluation?.model.rmse).toBe(0);
    expect(r.evaluation?.naive.rmse).toBeGreaterThan(0);
  });

  it('state: paused and stopped zero the rate; running clears the slow-epoch question', () => {
    const slow = { secondsPerEpoch: 90, batches: 100, rows: 1e6 };
    const r = reduce(run({ epochsPerSecond: 3 }), { type: 'slow', runId: 7, ...slow });
    expect(r.slow).toEqual(slow);
    const paused = reduce(r, { type: 'state', runId: 7, state: 'paused' });
    expect([paused.status, paused.epochsPerSecond, paused.slow]).toEqual(['paused', 0, slow]);
    expect(reduce(paused, { type: 'state', runId: 7, state: 'running' }).slow).toBeNull();
  });

  it('finished: the final epoch, predictions and metrics; the loop’s closing “stopped” does not undo it', () => {
    const evaluation = { model: { rmse: 1 }, naive: { rmse: 2 } } as never;
    const r = reduce(
      run({ batch: { index: 1, count: 2, loss: 1 } }),
      { type: 'finished', runId: 7, epoch: 100, evaluation, predictions: [1, 2, 3, 4] },
      { type: 'state', runId: 7, state: 'stopped' },
    );
    expect([r.status, r.epoch, r.batch, r.evaluation]).toEqual(['finished', 100, null, evaluation]);
  });

  it('checkpoint: charts and metrics show that checkpoint’s predictions; the model is its weights', () => {
    const msg: FromWorker = {
      type: 'checkpoint',
      runId: 7,
      epoch: 5,
      stateDict: { w: [1] },
      predictions: [10, 11, 12, 14],
    };
    const r = reduceRun(run({ series }), msg);
    expect(r.predictions).toEqual([10, 11, 12, 14]);
    expect(r.evaluation).not.toBeNull();
    expect(checkpointOf(r, msg)).toEqual({
      epoch: 5,
      stateDict: { w: [1] },
      predictions: msg.predictions,
    });
    // A re-sent checkpoint without predictions (after a NaN) keeps what is drawn.
    const bare: FromWorker = { type: 'checkpoint', runId: 7, epoch: 4, stateDict: { w: [0] } };
    expect(reduceRun(r, bare).predictions).toEqual([10, 11, 12, 14]);
  });

  it('failed: a NaN or an internal error stops the run; a refused setup is left to the store', () => {
    const nan: FromWorker = {
      type: 'failed',
      runId: 7,
      kind: 'nan',
      message: 'NaN',
      recoverable: true,
    };
    expect(reduceRun(run(), nan).status).toBe('stopped');
    const internal: FromWorker = { ...nan, kind: 'internal', recoverable: false };
    expect(reduceRun(run(), internal).status).toBe('stopped');
    const data: FromWorker = { ...nan, kind: 'data' };
    expect(reduceRun(run(), data)).toEqual(run());
  });

  it('failover mid-epoch: the run goes on from its checkpoint, and says that epoch, not the lost ones', () => {
    let r = reduce(
      run(),
      progress(1),
      progress(2),
      progress(3, { batch: { index: 4, count: 9, loss: 1 } }),
    );
    r = reduceRun(r, {
      type: 'failed',
      runId: 7,
      kind: 'engine',
      message: 'WebGPU device lost. Restarting on the next engine from epoch 2.',
      params: { fromEpoch: 2 },
      recoverable: true,
    });
    expect([r.status, r.epoch, r.batch]).toEqual(['running', 2, null]);
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
    // Training goes on from there on the next engine: epoch 3 again, once in the history.
    r = reduce(r, progress(3), progress(4));
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('progress after a stop does not bring the run back to life', () => {
    const r = reduce(
      run(),
      { type: 'state', runId: 7, state: 'stopped' },
      progress(9, { epochsPerSecond: 0 }),
    );
    expect(r.status).toBe('stopped');
    expect(r.epoch).toBe(9);
  });

  it('a finish that arrives after a reload (for the run before it) changes nothing', () => {
    const restored = run({ runId: 8, status: 'paused', epoch: 40 });
    const stale: FromWorker = {
      type: 'finished',
      runId: 7,
      epoch: 100,
      evaluation: null as never,
      predictions: [],
    };
    expect(reduceRun(restored, stale)).toBe(restored);
    expect(reduceRun(restored, progress(99))).toBe(restored);
  });
});
