/// <reference lib="webworker" />
import { DataError, checkFullBatch, prepareStockDataset, stockSeries } from '../core/index';
import { runModelSelfTest, runSelfTest } from '../ml/selfTest';
import { causeDeviceError, loseDevice } from './engines';
import type { FromWorker, ToWorker } from './protocol';
import { TrainingRun } from './training/run';
import { EngineSession, makeTrainer } from './training/session';
import { predicted } from './training/checkpoints';
import { gateSnapshot } from './training/snapshots';
import type { Trainer } from './training/trainer';

/** The training worker: routes messages to the engine session and the one run it trains. */
declare const self: DedicatedWorkerGlobalScope;

const post = (msg: FromWorker) => self.postMessage(msg);
let run: TrainingRun | null = null;
const session = new EngineSession(post, () => run);

const onLoopError = (failed: { readonly id: number }, e: unknown) =>
  void session.loopFailed(failed, e);

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const previous = run;
  run = null;
  await previous?.dispose();
  let dataset;
  try {
    dataset = prepareStockDataset(msg.table, msg.config);
    checkFullBatch(dataset, msg.config);
  } catch (e) {
    const data = e instanceof DataError;
    post({
      type: 'failed',
      runId: msg.runId,
      kind: 'data',
      message: (e as Error).message,
      code: data ? e.code : undefined,
      params: data ? e.params : undefined,
      recoverable: true,
    });
    return;
  }
  post({ type: 'dataset', runId: msg.runId, series: stockSeries(dataset, msg.config.horizon) });
  const engine = await session.engineFor(msg.runId, dataset, msg.config);
  let trainer: Trainer;
  try {
    trainer = makeTrainer(dataset, msg.config, engine, msg.resumeFrom);
  } catch (e) {
    post({
      type: 'failed',
      runId: msg.runId,
      kind: 'data',
      code: 'badModel',
      message: `The model does not fit this setup: ${(e as Error).message}.`,
      recoverable: true,
    });
    return;
  }
  const options = { id: msg.runId, config: msg.config, dataset, trainer };
  const r = new TrainingRun(
    {
      ...options,
      paused: msg.paused ?? false,
      maxEpochsPerSecond: msg.maxEpochsPerSecond ?? null,
      gateSample: msg.gateSample ?? null,
      slowOk: msg.slowOk ?? false,
    },
    { post, memory: () => session.memory(), gates: gateSnapshot, onError: onLoopError },
  );
  run = r;
  post({ type: 'state', runId: r.id, state: r.state });
  if (r.state === 'running') r.startLoop();
}

async function init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  if (msg.choice !== session.choice) {
    await session.settled();
    session.choice = msg.choice;
    session.report = null;
    // A run in progress moves to the new engine from where it stands.
    if (run && run.state !== 'stopped') return session.moveRun(run);
  }
  // ensure() announces a selection it makes; an engine already chosen is announced here.
  const alreadyChosen = session.report !== null;
  const report = await session.ensure(msg.runId);
  if (alreadyChosen) post({ type: 'ready', runId: msg.runId, report });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      return init(msg);
    case 'start':
      return start(msg);
    case 'predictWith':
      return post(predicted(msg));
    case 'debugLoseDevice':
    case 'debugGpuError':
      return msg.type === 'debugLoseDevice' ? loseDevice() : causeDeviceError();
    case 'selfTest': {
      const { engine } = await session.ensure(msg.runId);
      const g = msg.golden;
      const result = await runSelfTest(g.stateDict, g.input, g.adam);
      return post({ type: 'selfTestResult', runId: msg.runId, engine, ...result });
    }
    case 'selfTestModel': {
      const { engine } = await session.ensure(msg.runId);
      const result = await runModelSelfTest(msg.golden);
      return post({ type: 'selfTestModelResult', runId: msg.runId, engine, ...result });
    }
  }
  const r = run;
  if (!r || r.id !== msg.runId) return; // a stale command for a run that is gone
  if (msg.type === 'setSpeed') {
    r.maxEpochsPerSecond = msg.maxEpochsPerSecond;
    return;
  }
  if (r.switching) {
    // The run is moving to another engine: a pause or stop waits for it; stepping is refused.
    if (msg.type === 'pause' || msg.type === 'stop')
      r.wanted = msg.type === 'pause' ? 'paused' : 'stopped';
    return;
  }
  switch (msg.type) {
    case 'pause':
      return r.pause();
    case 'resume':
      return r.resume();
    case 'stop':
      return r.stop();
    case 'stepEpoch':
      return r.stepEpoch();
    case 'stepBatch':
      return r.stepBatch();
    case 'recordGates':
      return r.recordGates(msg.sample);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((e: unknown) => {
    post({
      type: 'failed',
      runId: event.data.runId,
      kind: 'internal',
      message: e instanceof Error ? e.message : String(e),
      recoverable: false,
    });
  });
};
