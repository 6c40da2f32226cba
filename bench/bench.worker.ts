/// <reference lib="webworker" />
/**
 * Runs the benchmark inside a worker, as the app trains: for each backend that works here,
 * tf.layers.lstm and the app's custom tfjs LSTM on each workload, then the pure-TS core.
 * Posts one row per measurement; the page collects them for bench/run.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { createClassifier, createRegressor } from '../src/core/index';
import { PyTorchAdam } from '../src/ml/adam';
import { tfModelFromCore } from '../src/ml/tfLstm';
import { trainStep } from '../src/ml/train';
import { selectEngine } from '../src/worker/engines';
import { coreRunner } from './core';
import { WORKLOADS, median, workloadData, type BenchRow, type Workload } from './workloads';

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

/** The app's own tfjs LSTM (packed [x, h] matMul per step), as TfRegressionTrainer runs it. */
function customRunner(w: Workload): { run: () => Promise<void>; dispose: () => void } {
  const { x, y } = workloadData(w);
  const shape = { inputSize: w.features, hiddenSize: w.hidden, numLayers: 1, ctor: Float32Array };
  const core =
    w.head === 'regressor'
      ? createRegressor({ ...shape, headSize: 128 })
      : createClassifier({ ...shape, classes: 10 });
  const model = tfModelFromCore(core);
  const opt = new PyTorchAdam(model.variables, 1e-3);
  const xs = tf.tensor3d(x, [w.samples, w.time, w.features]);
  const ys = w.head === 'regressor' ? tf.tensor1d(y) : tf.tensor1d(Int32Array.from(y), 'int32');
  return {
    run: async () => {
      const losses = [];
      for (let start = 0; start < w.samples; start += w.batchSize) {
        const n = Math.min(w.batchSize, w.samples - start);
        if (n === w.samples) {
          losses.push(trainStep(model, opt, xs, ys as tf.Tensor1D));
          continue;
        }
        const bx = tf.slice(xs, [start, 0, 0], [n, w.time, w.features]) as tf.Tensor3D;
        const by = tf.slice(ys, [start], [n]) as tf.Tensor1D;
        losses.push(trainStep(model, opt, bx, by));
        tf.dispose([bx, by]);
      }
      for (const l of losses) {
        await l.data(); // the real end of the work on async backends
        l.dispose();
      }
    },
    dispose: () => {
      tf.dispose([xs, ys]);
      opt.dispose();
      tf.dispose(model.variables);
    },
  };
}

/** Times `run` after a warm-up: median of `runs` (fewer when one run is slow). */
async function time(
  run: () => void | Promise<void>,
  slowMs: number,
): Promise<{ ms: number; runs: number }> {
  const t0 = performance.now();
  await run(); // warm-up: shader compilation, wasm JIT
  const warm = performance.now() - t0;
  const runs = warm > slowMs ? 2 : warm > slowMs / 5 ? 3 : 5;
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const s = performance.now();
    await run();
    times.push(performance.now() - s);
  }
  return { ms: median(times), runs };
}

async function bench(backends: string[]): Promise<void> {
  for (const backend of backends) {
    const report = await selectEngine(backend as 'webgpu', []);
    if (report.engine !== backend) {
      log(
        `${backend}: not available here (${JSON.stringify(report.reasons[backend as 'webgpu'] ?? {})})`,
      );
      continue;
    }
    const software = report.software;
    for (const w of WORKLOADS) {
      // Software WebGPU is 30–300× slower than WASM: keep its runs to the small workloads.
      if (software && w.id === 'b') {
        log(`${backend}: skipping workload b on a software adapter (minutes per epoch)`);
        continue;
      }
      for (const impl of ['layers', 'custom'] as const) {
        const r = impl === 'layers' ? layersRunner(w) : customRunner(w);
        try {
          const { ms, runs } = await time(r.run, software ? 3000 : 20000);
          const row: BenchRow = {
            workload: w.id,
            impl,
            backend: software ? 'webgpu-software' : backend,
            msPerUnit: ms,
            unit: w.unit,
            runs,
          };
          self.postMessage({ type: 'row', row });
        } catch (e) {
          log(`${backend}/${impl}/${w.id} failed: ${(e as Error).message}`);
        } finally {
          r.dispose();
        }
      }
    }
  }
  for (const w of WORKLOADS) {
    const { ms, runs } = await time(coreRunner(w), 20000);
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

self.onmessage = (e: MessageEvent<{ backends: string[] }>) => {
  bench(e.data.backends).catch((err: unknown) => {
    log(`bench failed: ${(err as Error).message}`);
    self.postMessage({ type: 'done' });
  });
};
