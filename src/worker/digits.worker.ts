/// <reference lib="webworker" />
import {
  DigitTrainer,
  confusionMatrix,
  misreadGallery,
  mnistFromBytes,
  predictDigits,
  splitMnist,
  type DigitTrainConfig,
  type MnistSet,
} from '../core/index';
import { TfDigitTrainer } from '../ml/digitTrainer';
import { AutoChooser, syncProbe, type ProbePreview, type ProbeTarget } from './engineChoice';
import { activateEngine, causeDeviceError, gpuFacts, onDeviceError, selectEngine } from './engines';
import type { FromDigits, ToDigits } from './digitsProtocol';
import { DigitsHelper } from './digitsHelper';
import type { EngineChoice, EngineName, EngineReport } from './protocol';

/**
 * The Digit reader's worker: downloads the packed MNIST file (with progress), splits it the
 * way the CLI does, and trains the digit model from scratch on the engine Auto measures and
 * picks (the same Auto as the Stock lab's worker), or the one the user chose.
 */
declare const self: DedicatedWorkerGlobalScope;

/** The split the CLI uses (src/cli/mnist.ts SPLIT_SEED): the app tests on the same 2,000. */
const SPLIT_SEED = 0;
/** The smallest hidden size whose batches are split between two workers (see train()). */
const SPLIT_FROM_HIDDEN = 64;
const post = (msg: FromDigits, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

let data: { set: MnistSet; train: Int32Array; test: Int32Array } | null = null;
let engine: { choice: EngineChoice; report: Awaited<ReturnType<typeof selectEngine>> } | null =
  null;
let active: { runId: number; state: 'running' | 'paused' | 'stopped' } | null = null;
const auto = new AutoChooser({ facts: gpuFacts, activate: activateEngine });

/** A fresh digit trainer on one engine, as Auto's probe drives it (a one-digit test set). */
function digitProbe(set: MnistSet, train: Int32Array, config: DigitTrainConfig) {
  return (name: EngineName): ProbeTarget => {
    if (name === 'core') {
      const core = new DigitTrainer(set, train, config);
      return syncProbe(() => core.stepBatch().loss);
    }
    const tf = new TfDigitTrainer(set, train, train.subarray(0, 1), config);
    return {
      step: () => tf.stepBatch(),
      lastLoss: () => tf.lastBatchLoss(),
      dispose: () => tf.dispose(),
    };
  };
}

/** Digits in the core's preview batch: its first batch of 64 at hidden 128 took 1.1–2.0 s alone. */
const PREVIEW_DIGITS = 8;

/** The core on a part of a batch, for Auto to rule it out when it is far slower (engineChoice.ts). */
function digitPreview(set: MnistSet, train: Int32Array, config: DigitTrainConfig) {
  return (name: EngineName): ProbePreview | null => {
    if (name !== 'core' || config.batchSize <= PREVIEW_DIGITS) return null;
    const core = new DigitTrainer(set, train, { ...config, batchSize: PREVIEW_DIGITS });
    return {
      target: syncProbe(() => core.stepBatch().loss),
      share: PREVIEW_DIGITS / config.batchSize,
    };
  };
}

async function chooseEngine(choice: EngineChoice, config: DigitTrainConfig): Promise<EngineReport> {
  if (!data) throw new Error('the digits are not loaded yet');
  if (choice === 'auto') {
    const key = `digits:${config.hiddenSize}x${config.batchSize}`;
    return auto.choose({
      key,
      probe: digitProbe(data.set, data.train, config),
      preview: digitPreview(data.set, data.train, config),
      broken: [],
    });
  }
  // One selection per choice: setBackend twice in a row would race itself.
  if (!engine || engine.choice !== choice)
    engine = { choice, report: await selectEngine(choice, []) };
  return engine.report;
}

async function load(runId: number, url: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`could not load the digits (HTTP ${res.status})`);
  const size = Number(res.headers.get('content-length')) || 7_850_000;
  const bytes = new Uint8Array(size);
  const reader = res.body.getReader();
  let got = 0;
  let last = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes.set(value, got);
    got += value.byteLength;
    if (got - last > 250_000) {
      post({ type: 'loading', runId, fraction: got / size });
      last = got;
    }
  }
  const set = mnistFromBytes(bytes.subarray(0, got));
  const { train, test } = splitMnist(set.labels, SPLIT_SEED);
  data = { set, train, test };
  const labels = Uint8Array.from(test, (r) => set.labels[r]);
  const pixels = new Uint8Array(test.length * 784);
  test.forEach((r, k) => pixels.set(set.pixels.subarray(r * 784, (r + 1) * 784), k * 784));
  post({ type: 'loaded', runId, test: { labels, pixels, index: test } }, [
    labels.buffer,
    pixels.buffer,
  ]);
}

interface Trainer {
  epoch: number;
  stepBatch():
    { epochDone: boolean; epochLoss: number } | Promise<{ epochDone: boolean; epochLoss: number }>;
  predict(): number[] | Promise<number[]>;
  stateDict():
    ReturnType<DigitTrainer['stateDict']> | Promise<ReturnType<DigitTrainer['stateDict']>>;
  dispose?(): void;
}

async function train(runId: number, config: DigitTrainConfig, choice: EngineChoice): Promise<void> {
  if (!data) throw new Error('the digits are not loaded yet');
  const { set, train: trainIdx, test } = data;
  const report = await chooseEngine(choice, config);
  // On a CPU engine with a second core, a helper worker computes half of every batch. Measured
  // on 2 cores (one epoch, alternating with training alone): hidden 128 11.9–14.7 → 7.4–10.8 s,
  // hidden 64 5.5–5.8 → 3.9–4.7 s; hidden 32 gained nothing (2.1–2.7 → 2.7–2.9 s), so below 64
  // the run trains alone.
  const split =
    (report.engine === 'wasm' || report.engine === 'cpu') &&
    config.hiddenSize >= SPLIT_FROM_HIDDEN &&
    navigator.hardwareConcurrency >= 2;
  const helper = split ? await DigitsHelper.start(report.engine, config.hiddenSize) : null;
  post({ type: 'engine', runId, report, workers: helper ? 2 : 1 });
  let trainer: Trainer;
  if (report.engine === 'core') {
    const core = new DigitTrainer(set, trainIdx, config);
    trainer = {
      get epoch() {
        return core.epoch;
      },
      stepBatch: () => core.stepBatch(),
      predict: () => predictDigits(core.model, set, test),
      stateDict: () => core.stateDict(),
    };
  } else {
    let tf: TfDigitTrainer;
    try {
      tf = new TfDigitTrainer(set, trainIdx, test, config, helper ?? undefined);
    } catch (e) {
      helper?.dispose();
      throw e;
    }
    // The trainer owns its helper: ending the run ends the helper worker too.
    trainer = {
      get epoch() {
        return tf.epoch;
      },
      stepBatch: () => tf.stepBatch(),
      predict: () => tf.predictTest(),
      stateDict: () => tf.stateDict(),
      dispose: () => {
        helper?.dispose();
        tf.dispose();
      },
    };
  }
  const run = { runId, state: 'running' as 'running' | 'paused' | 'stopped' };
  active = run;
  // An uncaught GPU error means a program did nothing: the numbers after it are wrong.
  const gpu = { error: null as string | null };
  const unlisten =
    report.engine === 'webgpu' ? onDeviceError((message) => (gpu.error ??= message)) : null;
  post({ type: 'state', runId, state: 'running' });
  const batches = Math.ceil(trainIdx.length / config.batchSize);
  const started = performance.now();
  let batch = 0;
  let lastPost = 0;
  /** This epoch's training time alone: batches, without pauses, messages or the test read. */
  let trainMs = 0;
  try {
    while (run.state !== 'stopped' && trainer.epoch < config.epochs) {
      if (run.state === 'paused') {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const s0 = performance.now();
      const r = await trainer.stepBatch();
      trainMs += performance.now() - s0;
      if (gpu.error) {
        throw new Error(
          `WebGPU reported an error (${gpu.error}), so this run's numbers cannot be trusted: choose another engine in the status bar and train again`,
        );
      }
      batch++;
      const now = performance.now();
      if (now - lastPost > 100) {
        post({ type: 'batch', runId, epoch: trainer.epoch, batch, batches });
        lastPost = now;
        await new Promise((res) => setTimeout(res, 0)); // let pause/stop in
      }
      if (!r.epochDone) continue;
      if (!Number.isFinite(r.epochLoss))
        throw new Error(`the loss became ${r.epochLoss}: lower the learning rate`);
      batch = 0;
      const epochSeconds = trainMs / 1000;
      trainMs = 0;
      const predicted = await trainer.predict();
      const actual = Array.from(test, (k) => set.labels[k]);
      const wrong = predicted.flatMap((p, k) => (p === actual[k] ? [] : [{ k, predicted: p }]));
      const gallery = misreadGallery(wrong, actual);
      post({
        type: 'epoch',
        runId,
        epoch: trainer.epoch,
        loss: r.epochLoss,
        accuracy: 1 - wrong.length / test.length,
        confusion: confusionMatrix(actual, predicted, 10),
        wrong: gallery,
        stateDict: await trainer.stateDict(),
        seconds: (performance.now() - started) / 1000,
        epochSeconds,
      });
    }
    post({ type: 'state', runId, state: run.state === 'stopped' ? 'stopped' : 'finished' });
  } finally {
    unlisten?.();
    trainer.dispose?.();
    if (active === run) active = null;
  }
}

self.onmessage = (event: MessageEvent<ToDigits>) => {
  const msg = event.data;
  const fail = (e: unknown) =>
    post({ type: 'failed', runId: msg.runId, message: e instanceof Error ? e.message : String(e) });
  switch (msg.type) {
    case 'load':
      load(msg.runId, msg.url).catch(fail);
      break;
    case 'train':
      if (active) active.state = 'stopped';
      train(msg.runId, msg.config, msg.choice).catch(fail);
      break;
    case 'pause':
    case 'resume':
    case 'stop':
      if (active && active.runId === msg.runId) {
        active.state =
          msg.type === 'pause' ? 'paused' : msg.type === 'resume' ? 'running' : 'stopped';
        if (msg.type !== 'stop') post({ type: 'state', runId: msg.runId, state: active.state });
      }
      break;
    case 'debugGpuError':
      causeDeviceError();
      break;
  }
};
