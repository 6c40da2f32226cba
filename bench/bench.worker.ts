/// <reference lib="webworker" />
/**
 * Runs the benchmark inside a worker, as the app trains: for each backend that works here,
 * tf.layers.lstm and the app's custom tfjs LSTM on each workload, then the pure-TS core.
 * Posts one row per measurement; the page collects them for bench/run.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { createClassifier, createRegressor } from '../src/core/index';
import { tfModelFromCore } from '../src/ml/tfLstm';
import { createStepper, type ModelStepper } from '../src/ml/train';
import { setFusedWebGpu } from '../src/ml/webgpu/recurrence';
import { selectEngine } from '../src/worker/engines';
import { coreRunner } from './core';
import { matMulLimit, profileUnit } from './engineProfile';
import {
  WORKLOADS,
  epochScale,
  measure,
  measurePair,
  workloadData,
  type BenchRow,
  type Workload,
} from './workloads';

declare const self: DedicatedWorkerGlobalScope;

const log = (text: string) => self.postMessage({ type: 'log', text });

/** tf.layers.lstm with PyTorch's gate nonlinearity, the seed's head, Adam. */
function layersRunner(w: Workload): { run: () => Promise<void>; dispose: () => void } {
  const { x, y } = workloadData(w);
  const xs = tf.tensor3d(x, [w.samples, w.time, w.features]);
  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: w.hidden,
      inputShape: [w.time, w.features],
      recurrentActivation: 'sigmoid',
    }),
  );
  if (w.head === 'regressor') {
    model.add(tf.layers.activation({ activation: 'relu' }));
    model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 1 }));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  } else {
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  }
  const ys = w.head === 'regressor' ? tf.tensor2d(y, [w.samples, 1]) : tf.tensor1d(y, 'float32');
  return {
    run: async () => {
      if (w.unit === 'step') {
        await model.trainOnBatch(xs, ys);
      } else {
        await model.fit(xs, ys, { batchSize: w.batchSize, epochs: 1, shuffle: true, verbose: 0 });
      }
    },
    dispose: () => {
      model.dispose();
      tf.dispose([xs, ys]);
    },
  };
}

/**
 * Counts compute dispatches on this worker's WebGPU device: every tfjs kernel and every fused
 * program ends in GPUComputePassEncoder.dispatchWorkgroups.
 */
const dispatches = { count: 0 };
function countDispatches(): void {
  const proto = (globalThis as { GPUComputePassEncoder?: { prototype: object } })
    .GPUComputePassEncoder?.prototype as
    { dispatchWorkgroups(...a: number[]): void; __counted?: boolean } | undefined;
  if (!proto || proto.__counted) return;
  const original = proto.dispatchWorkgroups;
  proto.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
    dispatches.count++;
    return original.apply(this, a);
  };
  proto.__counted = true;
}

/**
 * The app's own tfjs model as its trainers run it: the training set on the device, each batch
 * picked by an index tensor, one ModelStepper step per batch (on WebGPU the fused whole-batch
 * step, or autodiff when it is turned off). `maxBatches` times only the first few batches of an
 * epoch and scales (for per-op WebGPU on a software adapter, minutes per epoch).
 */
function customRunner(
  w: Workload,
  maxBatches = Infinity,
): {
  run: () => Promise<void>;
  dispose: () => void;
  scale: number;
  kind: ModelStepper['kind'];
  perBatch: () => Promise<number>;
} {
  const { x, y } = workloadData(w);
  const shape = { inputSize: w.features, hiddenSize: w.hidden, numLayers: 1, ctor: Float32Array };
  const core =
    w.head === 'regressor'
      ? createRegressor({ ...shape, headSize: 128 })
      : createClassifier({ ...shape, classes: 10 });
  const model = tfModelFromCore(core);
  const stepper = createStepper(model, 1e-3, { T: w.time, B: Math.min(w.batchSize, w.samples) });
  const xs = tf.tensor3d(x, [w.samples, w.time, w.features]);
  const ys = w.head === 'regressor' ? tf.tensor1d(y) : tf.tensor1d(Int32Array.from(y), 'int32');
  const batches = Math.ceil(w.samples / w.batchSize);
  const timed = Math.min(batches, maxBatches);
  const indices = (start: number) => {
    const n = Math.min(w.batchSize, w.samples - start);
    return n === w.samples
      ? undefined
      : tf.tensor1d(
          Int32Array.from({ length: n }, (_, k) => start + k),
          'int32',
        );
  };
  return {
    scale: epochScale(w, maxBatches),
    kind: stepper.kind,
    /** Dispatches of one training batch, read back included. */
    perBatch: async () => {
      const idx = indices(0);
      const before = dispatches.count;
      const l = stepper.step(xs, ys as tf.Tensor1D, idx);
      await l.data();
      const count = dispatches.count - before;
      tf.dispose([l, ...(idx ? [idx] : [])]);
      return count;
    },
    run: async () => {
      const losses = [];
      for (let k = 0, start = 0; k < timed; k++, start += w.batchSize) {
        const idx = indices(start);
        losses.push(stepper.step(xs, ys as tf.Tensor1D, idx));
        idx?.dispose();
      }
      for (const l of losses) {
        await l.data(); // the real end of the work on async backends
        l.dispose();
      }
    },
    dispose: () => {
      tf.dispose([xs, ys]);
      stepper.dispose();
      tf.dispose(model.variables);
    },
  };
}

/**
 * WebGPU: the fused whole-batch step and the per-op graph on the same adapter, with dispatch
 * counts. Where both run, they are timed alternately (fused, per-op, fused, …) so that drift in
 * the machine's speed lands on both and their ratio stays fair.
 */
async function benchWebGpu(software: boolean): Promise<void> {
  countDispatches();
  const label = software ? 'webgpu-software' : 'webgpu';
  for (const w of WORKLOADS) {
    const fused = customRunner(w);
    setFusedWebGpu(false);
    // Per-op (b) on a software adapter is minutes per epoch: time 2 of its 16 batches.
    const few = software && w.id === 'b' ? 2 : Infinity;
    const perOp = w.id === 'a' ? null : customRunner(w, few);
    setFusedWebGpu(true);
    /** Runs `f` with the fused kernels off (the per-op graph), then turns them back on. */
    const opsOnly = async <T>(f: () => Promise<T>): Promise<T> => {
      setFusedWebGpu(false);
      try {
        return await f();
      } finally {
        setFusedWebGpu(true);
      }
    };
    try {
      if (fused.kind !== 'fused-webgpu') throw new Error('no fused step here');
      const rows: [BenchRow['impl'], typeof fused, number, number, number][] = [];
      const fusedCount = await fused.perBatch();
      if (perOp) {
        const opCount = await opsOnly(perOp.perBatch);
        const [a, b] = await measurePair(fused.run, () => opsOnly(perOp.run), software ? 5 : 9);
        rows.push(
          ['fused', fused, a.ms, a.runs, fusedCount],
          ['custom', perOp, b.ms, b.runs, opCount],
        );
      } else {
        const a = await measure(fused.run, software ? 3000 : 20000);
        rows.push(['fused', fused, a.ms, a.runs, fusedCount]);
      }
      for (const [impl, r, ms, runs, perBatch] of rows) {
        const notes = [
          ...(perOp ? ['timed alternately with the other WebGPU row'] : []),
          ...(r.scale > 1
            ? [
                `timed on the first ${few} batches, scaled to an epoch by rows (×${r.scale.toFixed(3)})`,
              ]
            : []),
        ];
        const row: BenchRow = {
          workload: w.id,
          impl,
          backend: label,
          msPerUnit: ms * r.scale,
          unit: w.unit,
          runs,
          dispatchesPerBatch: perBatch,
          ...(notes.length ? { notes: notes.join('; ') } : {}),
        };
        self.postMessage({ type: 'row', row });
      }
    } catch (e) {
      log(`${label}/${w.id} failed: ${(e as Error).message}`);
    } finally {
      fused.dispose();
      perOp?.dispose();
      setFusedWebGpu(true);
    }
  }
}

/**
 * Issue 25: where the app's WASM step spends its time, per kernel group, and tfjs-WASM's own
 * large-matMul GFLOP/s in the same worker (the limit the engine is judged against).
 */
async function profileWasm(): Promise<void> {
  for (const w of WORKLOADS) {
    const r = customRunner(w);
    try {
      for (let k = 0; k < 3; k++) await r.run(); // warm
      const units = w.id === 'a' ? 50 : w.id === 'b' ? 1 : 5;
      self.postMessage({ type: 'profile', profile: await profileUnit(w, r.run, units) });
    } catch (e) {
      log(`wasm profile ${w.id} failed: ${(e as Error).message}`);
    } finally {
      r.dispose();
    }
  }
  self.postMessage({ type: 'matmul', limits: await matMulLimit() });
}

/**
 * measurePair with as many rounds as fill about two seconds (5 to 200; 2 for units of seconds),
 * judged from one timed run of each after a first, warming one.
 */
async function measureAlternately(
  a: () => Promise<void>,
  b: () => Promise<void>,
): Promise<[{ ms: number; runs: number }, { ms: number; runs: number }]> {
  let both = 0;
  for (const run of [a, b]) {
    await run();
    const t = performance.now();
    await run();
    both += performance.now() - t;
  }
  // Units of seconds (tf.layers on the CPU backend): two rounds, as `measure` takes for them.
  const rounds = both > 10_000 ? 2 : Math.max(5, Math.min(200, Math.floor(2000 / both)));
  return measurePair(a, b, rounds);
}

async function bench(backends: string[], opts: { gpuOnly: boolean; core: boolean }): Promise<void> {
  for (const backend of backends) {
    const report = await selectEngine(backend as 'webgpu', []);
    if (report.engine !== backend) {
      log(
        `${backend}: not available here (${JSON.stringify(report.reasons[backend as 'webgpu'] ?? {})})`,
      );
      continue;
    }
    const software = report.software;
    if (backend === 'webgpu') {
      await benchWebGpu(software);
      if (software || opts.gpuOnly) continue;
    }
    for (const w of WORKLOADS) {
      // Software WebGPU is 30–300× slower than WASM: keep its runs to the small workloads.
      if (software && w.id === 'b') {
        log(`${backend}: skipping workload b on a software adapter (minutes per epoch)`);
        continue;
      }
      const backendName = software ? 'webgpu-software' : backend;
      const post = (impl: 'layers' | 'custom', m: { ms: number; runs: number }, notes?: string) => {
        const row: BenchRow = {
          workload: w.id,
          impl,
          backend: backendName,
          msPerUnit: m.ms,
          unit: w.unit,
          runs: m.runs,
          ...(notes ? { notes } : {}),
        };
        self.postMessage({ type: 'row', row });
      };
      if (!software) {
        // tf.layers and ours timed alternately: the host's speed drifts by up to 1.5× within
        // minutes, and their ratio is a target (one run measured (b) at 2.6× and the next at 4.1×).
        const layers = layersRunner(w);
        const custom = customRunner(w);
        try {
          const pair = await measureAlternately(layers.run, custom.run);
          post('layers', pair[0], 'timed alternately with the custom row');
          post('custom', pair[1], 'timed alternately with the layers row');
          continue;
        } catch (e) {
          log(`${backend}/${w.id}: alternating timing failed (${(e as Error).message})`);
        } finally {
          layers.dispose();
          custom.dispose();
        }
      }
      for (const impl of ['layers', 'custom'] as const) {
        const r = impl === 'layers' ? layersRunner(w) : customRunner(w);
        try {
          post(impl, await measure(r.run, software ? 3000 : 20000));
        } catch (e) {
          log(`${backend}/${impl}/${w.id} failed: ${(e as Error).message}`);
        } finally {
          r.dispose();
        }
      }
    }
    if (backend === 'wasm') await profileWasm();
  }
  for (const w of opts.core ? WORKLOADS : []) {
    const { ms, runs } = await measure(coreRunner(w), 20000);
    self.postMessage({
      type: 'row',
      row: {
        workload: w.id,
        impl: 'core',
        backend: 'browser-worker',
        msPerUnit: ms,
        unit: w.unit,
        runs,
      },
    });
  }
  self.postMessage({ type: 'done' });
}

self.onmessage = (e: MessageEvent<{ backends: string[]; gpuOnly: boolean; core: boolean }>) => {
  bench(e.data.backends, e.data).catch((err: unknown) => {
    log(`bench failed: ${(err as Error).message}`);
    self.postMessage({ type: 'done' });
  });
};
