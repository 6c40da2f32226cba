/// <reference lib="webworker" />
import {
  DataError,
  RegressionTrainer,
  asBatch,
  lstmForward,
  lstmFromStateDict,
  prepareStockDataset,
  stepRecord,
  stockSeries,
  type BatchResult,
  type Checkpoint,
  type EpochResult,
  type StateDict,
  type StockConfig,
  type StockDataset,
  type StockEvaluation,
} from '../core/index';
import { runSelfTest } from '../ml/selfTest';
import { TfRegressionTrainer } from '../ml/regressionTrainer';
import {
  activateEngine,
  autoCandidates,
  loseDevice,
  onDeviceLost,
  selectEngine,
  tfMemory,
} from './engines';
import type {
  EngineChoice,
  EngineName,
  EngineReport,
  FromWorker,
  GateSnapshot,
  ProgressMessage,
  ToWorker,
} from './protocol';

/**
 * The training worker: owns tfjs, picks the engine, runs one training run at a time and
 * reports progress, throttled, tagged with the run id. Messages for other runs are ignored.
 */
declare const self: DedicatedWorkerGlobalScope;

/** What both engines' trainers offer (the core one is synchronous; await works on both). */
interface Trainer {
  readonly epoch: number;
  stepEpoch(): EpochResult | Promise<EpochResult>;
  stepBatch(): BatchResult | Promise<BatchResult>;
  predictAll(): Float64Array | Promise<Float64Array>;
  evaluate(): StockEvaluation | Promise<StockEvaluation>;
  stateDict(): StateDict | Promise<StateDict>;
  dispose?(): void;
}

const PROGRESS_INTERVAL_MS = 33; // ≤ ~30 messages a second, whatever the epoch rate
const PREDICTION_INTERVAL_MS = 1000;
// The gate strip animates at ~10 frames a second: each frame reads the weights back once.
const GATES_INTERVAL_MS = 100;
// By time, not by epoch count: reading weights back is a GPU sync point on fast small models.
const CHECKPOINT_INTERVAL_MS = 1000;

let report: EngineReport | null = null;
/** Set when the WebGPU device is gone (its `lost` promise resolved). */
let deviceLost = false;
let choice: EngineChoice = 'auto';
const broken: EngineName[] = [];

interface Run {
  id: number;
  config: StockConfig;
  dataset: StockDataset;
  trainer: Trainer;
  state: 'running' | 'paused' | 'stopped';
  maxEpochsPerSecond: number | null;
  history: EpochResult[];
  lastSent: number;
  lastPredictions: number;
  lastGates: number;
  gateSample: number | null;
  checkpoint: Checkpoint | null;
  lastCheckpointAt: number;
  /** The lowest training loss so far (a checkpoint is only kept while the loss is near it). */
  bestLoss: number;
  startedAt: number;
  epochsAtStart: number;
}
let run: Run | null = null;

const post = (msg: FromWorker) => self.postMessage(msg);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One engine selection at a time: concurrent setBackend calls make each other fail. */
let selecting: Promise<EngineReport> | null = null;

async function ensureEngine(runId: number): Promise<EngineReport> {
  if (report) return report;
  if (!selecting) {
    selecting = selectEngine(choice, broken).then((r) => {
      report = r;
      selecting = null;
      if (r.engine === 'webgpu') {
        onDeviceLost((message) => {
          deviceLost = true;
          void handleEngineLoss(`WebGPU device lost: ${message}`, 'webgpu');
        });
      }
      post({ type: 'ready', runId, report: r });
      return r;
    });
  }
  return selecting;
}

function makeTrainer(
  dataset: StockDataset,
  config: StockConfig,
  engine: EngineName,
  resumeFrom?: Checkpoint,
): Trainer {
  return engine === 'core'
    ? new RegressionTrainer(dataset, config, Float64Array, resumeFrom)
    : new TfRegressionTrainer(dataset, config, resumeFrom);
}

/** How long Auto may spend timing one engine for a model. */
const MEASURE_MS = 300;
const measuredPicks = new Map<
  string,
  { engine: EngineName; ms: Partial<Record<EngineName, number>> }
>();

/** ms per training batch of a fresh trainer on the active engine (first batch = warm-up). */
async function timeBatches(trainer: Trainer): Promise<number> {
  await trainer.stepBatch();
  const times: number[] = [];
  const until = performance.now() + MEASURE_MS;
  while (times.length < 2 || (performance.now() < until && times.length < 20)) {
    const t0 = performance.now();
    await trainer.stepBatch();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Auto: times each candidate engine on this very model for ≤ 300 ms and trains on the fastest.
 * Picks are kept per model size, so a second run of the same size starts at once.
 */
async function autoPick(dataset: StockDataset, config: StockConfig): Promise<EngineReport> {
  const key = [
    dataset.train.count,
    config.seqLen,
    dataset.features.length,
    config.hiddenSize,
    config.numLayers,
    config.headSize,
    config.batchSize,
  ].join('x');
  const { candidates, reasons } = await autoCandidates();
  let pick = measuredPicks.get(key);
  if (!pick) {
    const ms: Partial<Record<EngineName, number>> = {};
    for (const name of candidates) {
      if (broken.includes(name)) continue;
      if ((await activateEngine(name)) !== null) continue;
      const probe = makeTrainer(dataset, { ...config, epochs: 1 }, name);
      try {
        ms[name] = await timeBatches(probe);
      } catch {
        // An engine that fails while timing is simply not picked.
      } finally {
        probe.dispose?.();
      }
    }
    const best = (Object.entries(ms) as [EngineName, number][]).sort((a, b) => a[1] - b[1])[0];
    pick = { engine: best ? best[0] : 'core', ms };
    measuredPicks.set(key, pick);
  }
  if (pick.engine !== 'core') await activateEngine(pick.engine);
  const all = { ...reasons };
  for (const [name, t] of Object.entries(pick.ms) as [EngineName, number][]) {
    if (name !== pick.engine) all[name] = { code: 'slower', detail: `${t.toFixed(1)} ms` };
  }
  return { engine: pick.engine, software: false, reasons: all, measured: pick.ms };
}

/** Gates of one window, computed by the core from the current weights (one implementation). */
async function gatesFor(r: Run, sample: number): Promise<GateSnapshot> {
  const sd = await r.trainer.stateDict();
  const lstm = lstmFromStateDict(sd);
  const k = Math.min(Math.max(0, sample), r.dataset.all.count - 1);
  const batch = asBatch(r.dataset.all, Float64Array, [k]);
  const fwd = lstmForward(lstm, batch);
  const steps = Array.from({ length: fwd.time }, (_, t) => {
    const layers = fwd.layers.map((_, l) => stepRecord(fwd, l, t));
    const pick = (key: 'i' | 'f' | 'g' | 'o' | 'c' | 'h') =>
      layers.map((s) => (s[key] as number[][])[0]);
    return { i: pick('i'), f: pick('f'), g: pick('g'), o: pick('o'), c: pick('c'), h: pick('h') };
  });
  const F = batch.features;
  const input = Array.from({ length: fwd.time }, (_, t) =>
    Array.from(batch.data.subarray(t * F, (t + 1) * F)),
  );
  return { sample: k, input, steps };
}

async function sendProgress(
  r: Run,
  force = false,
  batch?: ProgressMessage['batch'],
): Promise<void> {
  const now = performance.now();
  if (!force && now - r.lastSent < PROGRESS_INTERVAL_MS) return;
  const withPredictions = force || now - r.lastPredictions >= PREDICTION_INTERVAL_MS;
  const elapsed = (now - r.startedAt) / 1000;
  const msg: FromWorker = {
    type: 'progress',
    runId: r.id,
    epoch: r.trainer.epoch,
    history: r.history.splice(0),
    epochsPerSecond: elapsed > 0 ? (r.trainer.epoch - r.epochsAtStart) / elapsed : 0,
    memory: report?.engine === 'core' ? null : tfMemory(),
    batch,
  };
  if (withPredictions) {
    msg.predictions = Array.from(await r.trainer.predictAll());
    r.lastPredictions = now;
  }
  if (r.gateSample !== null && (force || now - r.lastGates >= GATES_INTERVAL_MS)) {
    msg.gates = await gatesFor(r, r.gateSample);
    r.lastGates = now;
  }
  r.lastSent = now;
  post(msg);
}

async function finish(r: Run): Promise<void> {
  r.state = 'stopped';
  await sendProgress(r, true);
  post({
    type: 'finished',
    runId: r.id,
    epoch: r.trainer.epoch,
    evaluation: await r.trainer.evaluate(),
    predictions: Array.from(await r.trainer.predictAll()),
  });
  post({
    type: 'checkpoint',
    runId: r.id,
    epoch: r.trainer.epoch,
    stateDict: await r.trainer.stateDict(),
  });
}

/** One epoch with the checks around it; returns false when the run must stop. */
async function epochOnce(r: Run): Promise<boolean> {
  return afterEpoch(r, await r.trainer.stepEpoch());
}

/** The checks after an epoch ends: NaN, checkpoint, the end of the run, progress. */
async function afterEpoch(r: Run, result: EpochResult): Promise<boolean> {
  const finite = Number.isFinite(result.trainLoss) && Number.isFinite(result.testLoss);
  // The target is scaled to 0..1, so a training MSE above 1 that is also 100× the best so far
  // means the weights are running away (Adam's bounded steps rarely reach NaN by themselves).
  const diverged = finite && result.trainLoss > 1 && result.trainLoss > 100 * r.bestLoss;
  if (!finite || diverged) {
    r.state = 'stopped';
    const keep = r.checkpoint;
    const lr = r.config.learningRate;
    post({
      type: 'failed',
      runId: r.id,
      kind: 'nan',
      code: finite ? 'diverged' : 'nan',
      message: `The loss ${finite ? `exploded to ${result.trainLoss.toPrecision(3)}` : `became ${result.trainLoss}`} at epoch ${result.epoch}: the learning rate (${lr}) is too high for this data. Try ${lr / 10}. ${keep ? `The model from epoch ${keep.epoch} is kept.` : ''}`,
      params: {
        epoch: result.epoch,
        lr,
        kept: keep?.epoch ?? 0,
        loss: result.trainLoss.toPrecision(3),
        best: r.bestLoss.toPrecision(3),
      },
      recoverable: true,
    });
    if (keep)
      post({ type: 'checkpoint', runId: r.id, epoch: keep.epoch, stateDict: keep.stateDict });
    post({ type: 'state', runId: r.id, state: 'stopped' });
    return false;
  }
  r.bestLoss = Math.min(r.bestLoss, result.trainLoss);
  r.history.push(result);
  const now = performance.now();
  const healthy = result.trainLoss <= 2 * r.bestLoss;
  if (r.checkpoint === null || (healthy && now - r.lastCheckpointAt >= CHECKPOINT_INTERVAL_MS)) {
    r.checkpoint = { epoch: result.epoch, stateDict: await r.trainer.stateDict() };
    r.lastCheckpointAt = now;
    // The page keeps the last good model too, for export and for the explorer.
    post({ type: 'checkpoint', runId: r.id, ...r.checkpoint });
  }
  if (result.epoch >= r.config.epochs) {
    await finish(r);
    return false;
  }
  await sendProgress(r);
  return true;
}

async function loop(r: Run): Promise<void> {
  while (run === r && r.state === 'running') {
    const t0 = performance.now();
    try {
      if (!(await epochOnce(r))) break;
    } catch (e) {
      await handleFailure(r, e);
      return;
    }
    const minMs = r.maxEpochsPerSecond ? 1000 / r.maxEpochsPerSecond : 0;
    // Yield every epoch so pause/stop/speed messages are handled between epochs.
    await sleep(Math.max(0, minMs - (performance.now() - t0)));
  }
}

async function handleFailure(r: Run, e: unknown): Promise<void> {
  r.state = 'stopped';
  const message = e instanceof Error ? e.message : String(e);
  if (report && report.engine !== 'core') {
    const engine = report.engine;
    // A lost GPU device first shows up as failing GPU calls; let its own event say so.
    if (engine === 'webgpu') await sleep(100);
    if (engine === 'webgpu' && deviceLost) return;
    await handleEngineLoss(`${engine} failed: ${message.split('\n')[0]}`, engine);
    return;
  }
  post({ type: 'failed', runId: r.id, kind: 'internal', message, recoverable: false });
}

/** The engine broke (device lost, backend error): restart the run on the next rung. */
async function handleEngineLoss(reason: string, engine: EngineName): Promise<void> {
  // Once per loss: a device loss can also surface as a failed step, and vice versa.
  if (!report || report.engine !== engine) return;
  const r = run;
  broken.push(report.engine);
  report = null;
  if (!r) return;
  const from = r.checkpoint;
  post({
    type: 'failed',
    runId: r.id,
    kind: 'engine',
    message: `${reason}. Restarting on the next engine${from ? ` from epoch ${from.epoch}` : ''}.`,
    recoverable: true,
  });
  r.trainer.dispose?.();
  await ensureEngine(r.id);
  r.trainer = makeTrainer(r.dataset, r.config, report!.engine, from ?? undefined);
  r.state = 'running';
  r.startedAt = performance.now();
  r.epochsAtStart = r.trainer.epoch;
  void loop(r);
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  stopRun();
  let dataset: StockDataset;
  try {
    dataset = prepareStockDataset(msg.table, msg.config);
  } catch (e) {
    const err = e as DataError;
    post({
      type: 'failed',
      runId: msg.runId,
      kind: 'data',
      message: err.message,
      code: e instanceof DataError ? err.code : undefined,
      params: e instanceof DataError ? err.params : undefined,
      recoverable: true,
    });
    return;
  }
  post({ type: 'dataset', runId: msg.runId, series: stockSeries(dataset, msg.config.horizon) });
  await ensureEngine(msg.runId);
  if (choice === 'auto') {
    report = await autoPick(dataset, msg.config);
    post({ type: 'ready', runId: msg.runId, report });
  }
  const { engine } = report!;
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
  const r: Run = {
    id: msg.runId,
    config: msg.config,
    dataset,
    trainer,
    state: msg.paused ? 'paused' : 'running',
    maxEpochsPerSecond: null,
    history: [],
    lastSent: 0,
    lastPredictions: 0,
    lastGates: 0,
    gateSample: msg.gateSample ?? null,
    checkpoint: null,
    lastCheckpointAt: 0,
    bestLoss: Infinity,
    startedAt: performance.now(),
    epochsAtStart: trainer.epoch,
  };
  run = r;
  post({ type: 'state', runId: r.id, state: r.state });
  if (r.state === 'running') void loop(r);
}

function stopRun(): void {
  if (!run) return;
  run.state = 'stopped';
  run.trainer.dispose?.();
  run = null;
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    if (msg.choice !== choice) {
      await selecting;
      choice = msg.choice;
      report = null;
    }
    // ensureEngine announces a selection it makes; an engine already chosen is announced here.
    const alreadyChosen = report !== null;
    const r = await ensureEngine(msg.runId);
    if (alreadyChosen) post({ type: 'ready', runId: msg.runId, report: r });
    return;
  }
  if (msg.type === 'start') return start(msg);
  if (msg.type === 'debugLoseDevice') {
    loseDevice();
    return;
  }
  if (msg.type === 'selfTest') {
    const { engine } = await ensureEngine(msg.runId);
    const g = msg.golden;
    const result = await runSelfTest(g.stateDict, g.input, g.adam);
    post({ type: 'selfTestResult', runId: msg.runId, engine, ...result });
    return;
  }
  const r = run;
  if (!r || r.id !== msg.runId) return; // a stale command for a run that is gone
  switch (msg.type) {
    case 'pause':
      if (r.state === 'running') r.state = 'paused';
      post({ type: 'state', runId: r.id, state: r.state });
      break;
    case 'resume':
      if (r.state === 'paused') {
        r.state = 'running';
        r.startedAt = performance.now();
        r.epochsAtStart = r.trainer.epoch;
        post({ type: 'state', runId: r.id, state: 'running' });
        void loop(r);
      }
      break;
    case 'stop':
      r.state = 'stopped';
      post({ type: 'state', runId: r.id, state: 'stopped' });
      post({
        type: 'checkpoint',
        runId: r.id,
        epoch: r.trainer.epoch,
        stateDict: await r.trainer.stateDict(),
      });
      break;
    case 'stepEpoch':
      if (r.state === 'paused') {
        try {
          if (await epochOnce(r)) await sendProgress(r, true);
        } catch (e) {
          await handleFailure(r, e);
        }
      }
      break;
    case 'stepBatch':
      if (r.state === 'paused') {
        try {
          const b = await r.trainer.stepBatch();
          if (!Number.isFinite(b.loss) && !b.epoch) {
            post({
              type: 'failed',
              runId: r.id,
              kind: 'nan',
              message: `The loss became ${b.loss}: the learning rate (${r.config.learningRate}) is too high for this data.`,
              params: {
                epoch: r.trainer.epoch,
                lr: r.config.learningRate,
                kept: r.checkpoint?.epoch ?? 0,
              },
              recoverable: true,
            });
            break;
          }
          const goOn = b.epoch ? await afterEpoch(r, b.epoch) : true;
          if (goOn) {
            r.lastSent = 0;
            await sendProgress(r, true, { index: b.batch, count: b.batches, loss: b.loss });
          }
        } catch (e) {
          await handleFailure(r, e);
        }
      }
      break;
    case 'setSpeed':
      r.maxEpochsPerSecond = msg.maxEpochsPerSecond;
      break;
    case 'recordGates':
      r.gateSample = msg.sample;
      post({
        type: 'progress',
        runId: r.id,
        epoch: r.trainer.epoch,
        history: [],
        epochsPerSecond: 0,
        memory: null,
        gates: await gatesFor(r, msg.sample),
      });
      break;
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
