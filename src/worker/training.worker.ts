/// <reference lib="webworker" />
import {
  DataError,
  RegressionTrainer,
  asBatch,
  checkFullBatch,
  lstmForward,
  lstmFromStateDict,
  prepareStockDataset,
  stepRecord,
  stepSaliency,
  stockSeries,
  wholeModelFromStateDict,
  type BatchResult,
  type Checkpoint,
  type EpochResult,
  type StateDict,
  type StockConfig,
  type StockDataset,
  type StockEvaluation,
} from '../core/index';
import { runModelSelfTest, runSelfTest } from '../ml/selfTest';
import { TfRegressionTrainer } from '../ml/regressionTrainer';
import type { GateSteps } from '../ml/webgpuStep';
import { AutoChooser, syncProbe, type ProbeTarget } from './engineChoice';
import {
  activateEngine,
  gpuFacts,
  loseDevice,
  onDeviceError,
  causeDeviceError,
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
  readonly batchesPerEpoch: number;
  /** Batches of the current epoch already trained (0 at an epoch's start). */
  readonly batchInEpoch: number;
  stepEpoch(): EpochResult | Promise<EpochResult>;
  /** One batch; `readLoss` false lets a GPU engine read the losses once per epoch. */
  stepBatch(readLoss?: boolean): BatchResult | Promise<BatchResult>;
  predictRange(from: number, to: number): Float64Array | Promise<Float64Array>;
  evaluate(): StockEvaluation | Promise<StockEvaluation>;
  stateDict(): StateDict | Promise<StateDict>;
  /** tfjs trainers: how batches run (the fused whole-batch WebGPU step, or autodiff). */
  readonly stepper?: { readonly kind: 'fused-webgpu' | 'autodiff' };
  /** The fused WebGPU step: window k's gates from the GPU's own forward (null elsewhere). */
  gates?(k: number): Promise<GateSteps | null>;
  dispose?(): void;
}

const PROGRESS_INTERVAL_MS = 33; // ≤ ~30 messages a second, whatever the epoch rate
/** Inside a long epoch: where it stands (batch k of n, ETA), a few times a second. */
const BATCH_PROGRESS_MS = 250;
/** The loop yields to the message queue at least this often, so Pause and Stop land at once. */
const YIELD_EVERY_MS = 25;
/** Windows predicted between two yields when the whole series is predicted for a checkpoint. */
const PREDICT_SLICE = 8192;
/** A run whose epochs would take longer than this stops to ask first. */
const SLOW_EPOCH_SECONDS = 60;
/** Epochs/s is the rate over the last seconds of running, not since the start. */
const RATE_WINDOW_MS = 2000;
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
  lastGates: number;
  /** True while the loop (or a step) is working: commands that need the trainer wait. */
  busy: boolean;
  /** Ends of recent epochs while running (ms), for the epochs/s figure. */
  epochEnds: number[];
  epochStartedAt: number;
  lastBatchPost: number;
  /** The slow-epoch estimate was made (or the user said to train anyway). */
  slowChecked: boolean;
  /** Moving to another engine: the loop stops without announcing a pause. */
  switching?: boolean;
  /** A pause or stop asked for while switching engines, applied once the switch is done. */
  wanted?: 'paused' | 'stopped';
  gateSample: number | null;
  checkpoint: Checkpoint | null;
  lastCheckpointAt: number;
  /** The lowest training loss so far (a checkpoint is only kept while the loss is near it). */
  bestLoss: number;
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
      // A new engine: an earlier device loss says nothing about it.
      deviceLost = false;
      if (r.engine === 'webgpu') {
        onDeviceLost((message) => {
          deviceLost = true;
          void handleEngineLoss(`WebGPU device lost: ${message}`, 'webgpu');
        });
        onDeviceError((message) => void handleEngineLoss(`WebGPU error: ${message}`, 'webgpu'));
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
    ? // float32, as on every tfjs engine: the speed the bench measures (the explorer, the CLI
      // and the golden tests keep float64).
      new RegressionTrainer(dataset, config, Float32Array, resumeFrom)
    : new TfRegressionTrainer(dataset, config, resumeFrom);
}

/** Auto (engineChoice.ts): one chooser per worker, picks remembered per model size. */
const auto = new AutoChooser({ facts: gpuFacts, activate: activateEngine });

/** A fresh trainer of this model on one engine (the one training would use), as Auto's probe drives it. */
function stockProbe(dataset: StockDataset, config: StockConfig) {
  return (engine: EngineName): ProbeTarget => {
    const t = makeTrainer(dataset, { ...config, epochs: 1 }, engine);
    if (t instanceof RegressionTrainer) return syncProbe(() => t.stepBatch().loss);
    const tf = t as TfRegressionTrainer;
    return {
      step: () => tf.stepBatch(false),
      lastLoss: () => tf.lastBatchLoss(),
      dispose: () => tf.dispose(),
    };
  };
}

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
  return auto.choose({ key, probe: stockProbe(dataset, config), broken });
}

/** Gates of one window from the current weights, and which input days mattered. */
async function gatesFor(r: Run, sample: number): Promise<GateSnapshot> {
  const sd = await r.trainer.stateDict();
  const k = Math.min(Math.max(0, sample), r.dataset.all.count - 1);
  const batch = asBatch(r.dataset.all, Float64Array, [k]);
  // On the fused WebGPU step, the gates come from the GPU's own forward (the numbers it trains
  // with); elsewhere the core computes them from the same weights.
  const gpu = (await r.trainer.gates?.(k)) ?? null;
  const fwd = gpu ? null : lstmForward(lstmFromStateDict(sd), batch);
  const steps = Array.from({ length: batch.time }, (_, t) => {
    const layers = gpu
      ? gpu[t]
      : fwd!.layers.map((_, l) => {
          const s = stepRecord(fwd!, l, t);
          const row = (key: 'i' | 'f' | 'g' | 'o' | 'c' | 'h') => (s[key] as number[][])[0];
          return { i: row('i'), f: row('f'), g: row('g'), o: row('o'), c: row('c'), h: row('h') };
        });
    const pick = (key: 'i' | 'f' | 'g' | 'o' | 'c' | 'h') => layers.map((s) => s[key]);
    return { i: pick('i'), f: pick('f'), g: pick('g'), o: pick('o'), c: pick('c'), h: pick('h') };
  });
  const F = batch.features;
  const input = Array.from({ length: batch.time }, (_, t) =>
    Array.from(batch.data.subarray(t * F, (t + 1) * F)),
  );
  // Which days mattered: the core's own input gradient of the prediction, per step.
  const [saliency] = stepSaliency(wholeModelFromStateDict(sd).model, batch);
  return { sample: k, input, steps, saliency, ...(gpu ? { source: 'fused-webgpu' as const } : {}) };
}

/** Epochs per second over the last seconds of running (0 when there is no recent epoch). */
function epochRate(r: Run): number {
  const ends = r.epochEnds;
  if (r.state !== 'running' || ends.length === 0) return 0;
  if (ends.length === 1) {
    const span = ends[0] - r.epochStartedAt;
    return span > 0 ? 1000 / Math.max(span, performance.now() - r.epochStartedAt) : 0;
  }
  return ((ends.length - 1) * 1000) / (ends[ends.length - 1] - ends[0]);
}

/** Progress says when the run's batches are the fused WebGPU step (the badge shows it). */
const kernelsOf = (r: Run): Pick<ProgressMessage, 'kernels'> =>
  r.trainer.stepper?.kind === 'fused-webgpu' ? { kernels: 'fused' } : {};

async function sendProgress(
  r: Run,
  force = false,
  batch?: ProgressMessage['batch'],
): Promise<void> {
  const now = performance.now();
  if (!force && now - r.lastSent < PROGRESS_INTERVAL_MS) return;
  const msg: FromWorker = {
    type: 'progress',
    runId: r.id,
    epoch: r.trainer.epoch,
    history: r.history.splice(0),
    epochsPerSecond: epochRate(r),
    memory: report?.engine === 'core' ? null : tfMemory(),
    batch,
    ...kernelsOf(r),
  };
  if (r.gateSample !== null && (force || now - r.lastGates >= GATES_INTERVAL_MS)) {
    msg.gates = await gatesFor(r, r.gateSample);
    r.lastGates = now;
  }
  r.lastSent = now;
  post(msg);
}

/** Every window's prediction at the current weights, predicted in slices with yields. */
async function predictAllYielding(r: Run): Promise<number[]> {
  const n = r.dataset.all.count;
  const out: number[] = new Array<number>(n);
  for (let from = 0; from < n; from += PREDICT_SLICE) {
    const to = Math.min(n, from + PREDICT_SLICE);
    const part = await r.trainer.predictRange(from, to);
    for (let k = 0; k < part.length; k++) out[from + k] = part[k];
    if (to < n) await sleep(0);
  }
  return out;
}

/**
 * A checkpoint: the weights, the epoch they belong to and every window's prediction from those
 * weights, sent together, so what the page keeps (and saves) is one consistent moment.
 */
async function sendCheckpoint(r: Run): Promise<void> {
  const epoch = r.trainer.epoch;
  const stateDict = await r.trainer.stateDict();
  const predictions = await predictAllYielding(r);
  r.checkpoint = { epoch, stateDict };
  r.lastCheckpointAt = performance.now();
  post({ type: 'checkpoint', runId: r.id, epoch, stateDict, predictions });
}

async function finish(r: Run): Promise<void> {
  r.state = 'stopped';
  await sendProgress(r, true);
  const predictions = await predictAllYielding(r);
  post({
    type: 'finished',
    runId: r.id,
    epoch: r.trainer.epoch,
    evaluation: await r.trainer.evaluate(),
    predictions,
  });
  const stateDict = await r.trainer.stateDict();
  r.checkpoint = { epoch: r.trainer.epoch, stateDict };
  post({ type: 'checkpoint', runId: r.id, epoch: r.trainer.epoch, stateDict, predictions });
}

/** The checks after an epoch ends: NaN, checkpoint, the end of the run, progress. */
async function afterEpoch(r: Run, result: EpochResult, forceCheckpoint = false): Promise<boolean> {
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
  if (r.state === 'running') {
    r.epochEnds.push(now);
    while (r.epochEnds.length > 2 && now - r.epochEnds[1] >= RATE_WINDOW_MS) r.epochEnds.shift();
  }
  if (result.epoch >= r.config.epochs) {
    await finish(r);
    return false;
  }
  const healthy = result.trainLoss <= 2 * r.bestLoss;
  const due = r.checkpoint === null || now - r.lastCheckpointAt >= CHECKPOINT_INTERVAL_MS;
  // A pause or stop that lands on this epoch's end keeps exactly these weights.
  if (forceCheckpoint || r.state !== 'running' || (healthy && due)) {
    await sendProgress(r, true);
    await sendCheckpoint(r);
  } else {
    await sendProgress(r);
  }
  return true;
}

/**
 * Once, early in a run: if an epoch would take more than a minute here, stop and ask (the page
 * offers fewer rows, daily bars, or training anyway).
 */
function checkSlow(r: Run): boolean {
  if (r.slowChecked) return false;
  const done = r.trainer.batchInEpoch;
  const elapsed = performance.now() - r.epochStartedAt;
  if (done < 3 && elapsed < 1500) return false;
  r.slowChecked = true;
  const perBatch = elapsed / Math.max(1, done);
  const seconds = (perBatch * r.trainer.batchesPerEpoch) / 1000;
  if (seconds <= SLOW_EPOCH_SECONDS) return false;
  r.state = 'paused';
  post({
    type: 'slow',
    runId: r.id,
    secondsPerEpoch: seconds,
    batches: r.trainer.batchesPerEpoch,
    rows: r.dataset.rows,
  });
  return true;
}

/** Waits until the speed limit allows the next epoch, in slices so Pause and Stop stay quick. */
async function throttle(r: Run): Promise<void> {
  for (;;) {
    const minMs = r.maxEpochsPerSecond ? 1000 / r.maxEpochsPerSecond : 0;
    const wait = r.epochStartedAt + minMs - performance.now();
    if (wait <= 0 || r.state !== 'running' || run !== r) return;
    await sleep(Math.min(wait, 50));
  }
}

/** After the loop stops for a pause or a stop: say exactly where the run stands, then the state. */
/**
 * The engine was changed during a run: stop the loop quietly, read the weights (asynchronously:
 * a synchronous read breaks WebGPU), and go on from them on the engine now chosen, so the badge
 * names the engine that really trains.
 */
async function switchEngine(r: Run): Promise<void> {
  const wasRunning = r.state === 'running';
  r.switching = true;
  r.state = 'paused';
  while (r.busy) await sleep(5);
  const from = { epoch: r.trainer.epoch, stateDict: await r.trainer.stateDict() };
  r.trainer.dispose?.();
  await ensureEngine(r.id);
  if (choice === 'auto') {
    report = await autoPick(r.dataset, r.config);
    post({ type: 'ready', runId: r.id, report });
  }
  r.trainer = makeTrainer(r.dataset, r.config, report!.engine, from);
  r.checkpoint = from;
  r.epochEnds = [];
  r.switching = false;
  if (run !== r) return;
  if (r.wanted) {
    r.state = r.wanted;
    r.wanted = undefined;
    await settle(r);
  } else if (wasRunning) {
    r.state = 'running';
    void loop(r);
  } else {
    await settle(r);
  }
}

async function settle(r: Run): Promise<void> {
  // An engine switch pauses the loop only to move it: nothing to announce.
  if (r.switching) return;
  const b = r.trainer.batchInEpoch;
  const mid = b > 0 ? { index: b, count: r.trainer.batchesPerEpoch, loss: NaN } : null;
  await sendProgress(r, true, mid);
  // At an epoch's end the page gets these very weights (the export names their epoch); in the
  // middle of a long epoch the last epoch-end checkpoint stays the model.
  if (!mid && r.checkpoint?.epoch !== r.trainer.epoch) await sendCheckpoint(r);
  post({ type: 'state', runId: r.id, state: r.state === 'paused' ? 'paused' : 'stopped' });
}

/** A pause or stop finishes the current epoch first when that takes less than this. */
const FINISH_EPOCH_MS = 250;

/**
 * Whether the loop goes on: while running, and after a pause or stop while the rest of the
 * epoch is short (then the run stops on an epoch's end, and its weights are that epoch's).
 */
function keepGoing(r: Run): boolean {
  if (run !== r) return false;
  if (r.state === 'running') return true;
  const done = r.trainer.batchInEpoch;
  if (done === 0) return false;
  const perBatch = (performance.now() - r.epochStartedAt) / done;
  return perBatch * (r.trainer.batchesPerEpoch - done) <= FINISH_EPOCH_MS;
}

async function loop(r: Run): Promise<void> {
  if (r.busy) return;
  r.busy = true;
  r.epochStartedAt = performance.now();
  let lastYield = performance.now();
  try {
    while (keepGoing(r)) {
      const b = await r.trainer.stepBatch(false);
      if (b.epoch) {
        if (!(await afterEpoch(r, b.epoch))) {
          r.busy = false;
          return;
        }
        await throttle(r);
        r.epochStartedAt = performance.now();
      } else {
        if (checkSlow(r)) break;
        const now = performance.now();
        if (now - r.lastBatchPost >= BATCH_PROGRESS_MS && b.batches > 1) {
          r.lastBatchPost = now;
          const perBatch = (now - r.epochStartedAt) / Math.max(1, b.batch);
          const eta = Math.round((perBatch * (b.batches - b.batch)) / 1000);
          await sendProgress(r, true, { index: b.batch, count: b.batches, loss: b.loss, eta });
        }
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await sleep(0);
        lastYield = performance.now();
      }
    }
  } catch (e) {
    r.busy = false;
    // A loop whose run was replaced meanwhile ends quietly: its trainer is gone, the engine is fine.
    if (run !== r) return;
    await handleFailure(r, e);
    return;
  }
  if (run === r) await settle(r);
  r.busy = false;
}

async function handleFailure(r: Run, e: unknown): Promise<void> {
  r.state = 'stopped';
  const message = e instanceof Error ? e.message : String(e);
  if (report && report.engine !== 'core') {
    const engine = report.engine;
    // A lost GPU device first shows up as failing GPU calls; let its own event say so.
    if (engine === 'webgpu') await sleep(100);
    // Its own event has restarted the run on the next engine already (report moved on).
    if (engine === 'webgpu' && deviceLost && report?.engine !== 'webgpu') return;
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
  r.busy = false;
  r.epochEnds = [];
  void loop(r);
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  stopRun();
  let dataset: StockDataset;
  try {
    dataset = prepareStockDataset(msg.table, msg.config);
    checkFullBatch(dataset, msg.config);
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
    // The speed chosen before Train holds from the first epoch.
    maxEpochsPerSecond: msg.maxEpochsPerSecond ?? null,
    history: [],
    lastSent: 0,
    lastGates: 0,
    gateSample: msg.gateSample ?? null,
    checkpoint: null,
    lastCheckpointAt: 0,
    bestLoss: Infinity,
    busy: false,
    epochEnds: [],
    epochStartedAt: performance.now(),
    lastBatchPost: 0,
    slowChecked: msg.slowOk ?? false,
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
      // A run in progress moves to the new engine from where it stands.
      if (run && run.state !== 'stopped') {
        await switchEngine(run);
        return;
      }
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
  if (msg.type === 'debugGpuError') {
    causeDeviceError();
    return;
  }
  if (msg.type === 'selfTest') {
    const { engine } = await ensureEngine(msg.runId);
    const g = msg.golden;
    const result = await runSelfTest(g.stateDict, g.input, g.adam);
    post({ type: 'selfTestResult', runId: msg.runId, engine, ...result });
    return;
  }
  if (msg.type === 'selfTestModel') {
    const { engine } = await ensureEngine(msg.runId);
    const g = msg.golden;
    const result = await runModelSelfTest(
      g.stateDict,
      g.input,
      g.targets,
      g.lr,
      g.steps,
      g.fusedStep ?? true,
    );
    post({ type: 'selfTestModelResult', runId: msg.runId, engine, ...result });
    return;
  }
  const r = run;
  if (!r || r.id !== msg.runId) return; // a stale command for a run that is gone
  if (r.switching && msg.type !== 'setSpeed') {
    // The run is moving to another engine: a pause or stop waits for it; stepping is refused.
    if (msg.type === 'pause' || msg.type === 'stop') {
      r.wanted = msg.type === 'pause' ? 'paused' : 'stopped';
    }
    return;
  }
  switch (msg.type) {
    case 'pause':
      if (r.state !== 'running') break;
      r.state = 'paused';
      // The loop announces the pause once it has stopped, with the exact epoch.
      if (!r.busy) await settle(r);
      break;
    case 'resume':
      if (r.state === 'paused' && !r.busy) {
        r.state = 'running';
        r.epochEnds = [];
        r.slowChecked = true; // a resume after the slow-epoch question means "train anyway"
        post({ type: 'state', runId: r.id, state: 'running' });
        void loop(r);
      }
      break;
    case 'stop':
      if (r.state === 'stopped') break;
      r.state = 'stopped';
      if (!r.busy) await settle(r);
      break;
    case 'stepEpoch':
      if (r.state === 'paused' && !r.busy) {
        r.busy = true;
        try {
          // Exactly one epoch: the rest of the current one, or a whole one from its start.
          for (;;) {
            const b = await r.trainer.stepBatch(false);
            if (b.epoch) {
              await afterEpoch(r, b.epoch, true);
              break;
            }
            await sleep(0);
          }
        } catch (e) {
          r.busy = false;
          await handleFailure(r, e);
          break;
        }
        r.busy = false;
      }
      break;
    case 'stepBatch':
      if (r.state === 'paused' && !r.busy) {
        r.busy = true;
        try {
          const b = await r.trainer.stepBatch();
          if (!Number.isFinite(b.loss) && !b.epoch && !b.evaluating) {
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
          } else {
            const goOn = b.epoch ? await afterEpoch(r, b.epoch, true) : true;
            if (goOn) {
              await sendProgress(r, true, { index: b.batch, count: b.batches, loss: b.loss });
            }
          }
        } catch (e) {
          r.busy = false;
          await handleFailure(r, e);
          break;
        }
        r.busy = false;
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
        ...kernelsOf(r),
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
