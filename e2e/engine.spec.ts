import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flatten, lstmForward, lstmFromStateDict, stepRecord } from '../src/core/index';
import { NEXT_DAY_RECIPE, SEED_RECIPE } from '../src/core/training/stockConfig';
import {
  EXTRA_MODEL_SHAPES,
  EXTRA_SHAPES,
  coreModelSelfTest,
  coreSelfTest,
  randomLstmCase,
  randomModelCase,
} from '../src/test/coreReference';
import { loadGolden, loadModelsGolden, maxAbsDiff, sharedPath } from '../src/test/shared';
import { expect, test } from './fixtures';
import { EngineDriver } from './pages/Engine';
import { referenceCurve } from './referenceCurve';
import type { FromWorker } from '../src/worker/protocol';

const golden = loadGolden();
const SBUX = readFileSync(sharedPath('data', 'SBUX.csv'), 'utf8');
const F32 = 1e-5;

/** Every named tensor of `want` within float32 reach of `got`'s. */
function expectAllClose(
  got: Record<string, unknown>,
  want: Record<string, unknown>,
  label: string,
) {
  for (const [name, w] of Object.entries(want)) {
    expect(maxAbsDiff(got[name], w), `${label}${name}`).toBeLessThan(F32);
  }
}

test.describe('training engine', () => {
  test('auto picks an engine and says why not WebGPU when the adapter is software', async ({
    shell,
    page,
  }) => {
    await shell.open('stock');
    // What this machine offers decides what Auto may pick: a software adapter (SwiftShader, as on
    // the CI machine) is never used and the badge says why; a hardware one is measured.
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      const a = (await gpu?.requestAdapter()) as { info?: { isFallbackAdapter?: boolean } } | null;
      return a ? (a.info?.isFallbackAdapter ? 'software' : 'hardware') : 'none';
    });
    test.info().annotations.push({ type: 'WebGPU adapter', description: adapter });
    await expect(shell.engineBadge).toContainText(/Engine: (WebGPU|WebGL|WASM|CPU|Pure TS)/, {
      timeout: 30_000,
    });
    if (adapter === 'hardware') return; // Auto measured; which engine won depends on the GPU
    await expect(shell.engineBadge).toHaveAttribute('data-engine', 'WASM');
    await expect(shell.engineBadge).toContainText(
      adapter === 'software' ? 'WebGPU: only a software adapter' : 'WebGPU: no WebGPU adapter',
    );
    // The reason is translated with the rest of the UI.
    await shell.switchLanguage('한국어');
    await expect(shell.engineBadge).toContainText('엔진: WASM');
    if (adapter === 'software')
      await expect(shell.engineBadge).toContainText('WebGPU: 소프트웨어 어댑터뿐이라');
  });

  // WebGPU runs the fused recurrence; WASM the core's elementwise loops as a tfjs kernel per step.
  for (const [backend, recurrence] of [
    ['webgpu', 'fused-webgpu'],
    ['wasm', 'cell-kernels'],
  ] as const) {
    for (const key of ['lstm_cell', 'lstm'] as const) {
      test(`${backend} in the worker (${recurrence}): ${key} forward, gradients and one Adam step match PyTorch`, async ({
        page,
      }) => {
        test.setTimeout(180_000);
        const engine = new EngineDriver(page);
        await engine.open(backend);
        const g = golden[key];
        const result = await engine.selfTest({
          stateDict: g.state_dict,
          input: golden.input,
          adam: golden.meta.adam,
        });
        expect(result.engine).toBe(backend);
        expect(result.recurrence).toBe(recurrence);
        // The badge names the adapter: here SwiftShader, a software one.
        if (backend === 'webgpu')
          await expect(page.getByTestId('engine-badge')).toContainText('WebGPU (software)');
        expect(maxAbsDiff(result.output, key === 'lstm' ? g.output : g.outputs_h)).toBeLessThan(
          F32,
        );
        expect(Math.abs(result.loss - g.loss)).toBeLessThan(F32);
        expectAllClose(result.grads, g.grads, '∂loss/∂');
        expectAllClose(result.adamStateDict, g.adam_updated_state_dict, 'after Adam: ');
      });
    }
  }

  test('WebGPU in the worker runs the fused kernels: wider, deeper and odd-batch LSTMs match the core', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    for (const shape of EXTRA_SHAPES) {
      const c = randomLstmCase(shape);
      const want = coreSelfTest(c);
      const r = await engine.selfTest(c);
      const label = `hidden ${shape.hiddenSize}, ${shape.numLayers} layer(s), batch ${shape.batch}`;
      expect(r.engine, label).toBe('webgpu');
      expect(r.recurrence, label).toBe('fused-webgpu');
      expect(maxAbsDiff(r.output, want.output), label).toBeLessThan(F32);
      expect(Math.abs(r.loss - want.loss) / Math.max(1, Math.abs(want.loss)), label).toBeLessThan(
        F32,
      );
      expectAllClose(r.grads, want.grads, `${label}: ∂loss/∂`);
      expectAllClose(r.adamStateDict, want.adamStateDict, `${label}: after Adam: `);
    }
  });

  for (const key of ['seed_digit_model', 'seed_stock_model'] as const) {
    for (const fusedStep of [true, false]) {
      const how = fusedStep ? 'the fused whole-batch step' : 'autodiff over the fused recurrence';
      test(`WebGPU in the worker: ${key}, 10 Adam steps with head and loss (${how}), match PyTorch`, async ({
        page,
      }) => {
        test.setTimeout(240_000);
        const g = loadModelsGolden()[key];
        const engine = new EngineDriver(page);
        await engine.open('webgpu');
        const targets =
          key === 'seed_digit_model'
            ? (g.labels as number[])
            : (g.targets as number[][]).map((r) => r[0]);
        const r = await engine.selfTestModel({
          stateDict: g.state_dict,
          input: g.input,
          targets,
          lr: g.adam.lr,
          steps: g.adam.steps,
          fusedStep,
        });
        expect(r.engine).toBe('webgpu');
        expect(r.recurrence).toBe('fused-webgpu');
        expect(r.step).toBe(fusedStep ? 'fused-webgpu' : 'autodiff');
        expect(maxAbsDiff(r.losses, g.adam.loss_before_each_step)).toBeLessThan(F32);
        expectAllClose(r.grads, g.grads, '∂loss/∂');
        expectAllClose(r.stateDict, g.adam.state_dict_after, 'after 10 steps: ');
      });
    }
  }

  test('the fused whole-batch WebGPU step: wider, deeper, odd-batch models and both heads match the core', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    for (const shape of EXTRA_MODEL_SHAPES) {
      const c = randomModelCase(shape);
      const want = coreModelSelfTest(c);
      const r = await engine.selfTestModel(c);
      const label = `${shape.head}, hidden ${shape.hiddenSize}, ${shape.numLayers} layer(s), batch ${shape.batch}`;
      expect(r.step, label).toBe('fused-webgpu');
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
      want.losses.forEach((l, k) =>
        expect(rel(r.losses[k], l), `${label}: loss ${k}`).toBeLessThan(F32),
      );
      expectAllClose(r.grads, want.grads, `${label}: ∂loss/∂`);
      expectAllClose(r.stateDict, want.stateDict, `${label}: after 10 steps: `);
    }
  });

  test('the fused step on a shuffled mini-batch (the Stock lab’s path: rows picked by an index) matches the core', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    for (const shape of [EXTRA_MODEL_SHAPES[0], EXTRA_MODEL_SHAPES[1]]) {
      const c = randomModelCase({ ...shape, batch: 9 });
      const index = [7, 2, 5, 0, 8, 3];
      const r = await engine.selfTestModel({ ...c, index });
      expect(r.step).toBe('fused-webgpu');
      // The core on exactly those samples, in that order.
      const want = coreModelSelfTest({
        ...c,
        input: index.map((k) => (c.input as number[][][])[k]),
        targets: index.map((k) => c.targets[k]),
      });
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
      want.losses.forEach((l, k) =>
        expect(rel(r.losses[k], l), `${shape.head}: loss ${k}`).toBeLessThan(F32),
      );
      expectAllClose(r.grads, want.grads, `${shape.head}: ∂loss/∂`);
      expectAllClose(r.stateDict, want.stateDict, `${shape.head}: after 10 steps: `);
    }
  });

  test('the fused step is 3L + 2 dispatches per batch: 5, 8 and 14 at 1, 2 and 4 layers', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    for (const numLayers of [1, 2, 4]) {
      const shape = { ...EXTRA_MODEL_SHAPES[0], hiddenSize: 8, numLayers, batch: 4, time: 3 };
      const r = await engine.selfTestModel({ ...randomModelCase(shape), steps: 2 });
      expect(r.step).toBe('fused-webgpu');
      // L forward, one head, L backward, L update, one slice for the loss.
      expect(r.dispatchesPerStep, `${numLayers} layer(s)`).toBe(3 * numLayers + 2);
    }
  });

  test('on WebGPU the gate strip shows the GPU’s own forward, equal to the core’s from the same weights', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    const config = {
      ...NEXT_DAY_RECIPE,
      features: ['Open', 'High', 'Low', 'Close'],
      target: 'Close',
      numLayers: 2,
      hiddenSize: 8,
      epochs: 2,
    };
    await engine.startRun(SBUX, config);
    await engine.waitFor('finished');
    await engine.recordGates(7);
    await page.waitForFunction(() =>
      (window as unknown as { __messages: FromWorker[] }).__messages.some(
        (m) => m.type === 'progress' && m.gates?.sample === 7,
      ),
    );
    const messages = await engine.messages();
    const gates = messages.flatMap((m) =>
      m.type === 'progress' && m.gates?.sample === 7 ? [m.gates] : [],
    )[0];
    const checkpoint = messages.filter((m) => m.type === 'checkpoint').pop();
    if (checkpoint?.type !== 'checkpoint') throw new Error('no checkpoint');
    expect(checkpoint.epoch).toBe(2);
    expect(gates.source).toBe('fused-webgpu');
    // The core's forward of the same window from the same weights, in float64.
    const { data, shape } = flatten(gates.input);
    const fwd = lstmForward(lstmFromStateDict(checkpoint.stateDict), {
      data,
      batch: 1,
      time: shape[0],
      features: shape[1],
    });
    expect(gates.steps).toHaveLength(20);
    gates.steps.forEach((step, t) => {
      for (let l = 0; l < 2; l++) {
        const want = stepRecord(fwd, l, t);
        for (const key of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
          expect(
            maxAbsDiff(step[key][l], (want[key] as number[][])[0]),
            `t ${t} layer ${l} ${key}`,
          ).toBeLessThan(1e-5);
        }
      }
    });
  });

  for (const backend of ['core', 'wasm']) {
    test(`a run on ${backend}: progress, pause, step, resume, finish with metrics`, async ({
      page,
      shell,
    }) => {
      const engine = new EngineDriver(page);
      await engine.open(backend);
      await engine.startRun(
        SBUX,
        { ...SEED_RECIPE, epochs: 400, headSize: 16, learningRate: 1e-3 },
        { paused: true },
      );
      await expect(shell.engineBadge).toContainText(backend === 'core' ? 'Pure TS' : 'WASM');
      await engine.waitFor('state');
      await engine.command('stepEpoch');
      const first = await engine.waitFor('progress');
      expect(first.type === 'progress' && first.epoch).toBe(1);
      await engine.command('resume');
      const done = await engine.waitFor('finished');
      if (done.type !== 'finished') throw new Error('no finished message');
      expect(done.epoch).toBe(400);
      expect(done.predictions).toHaveLength(253);
      expect(done.evaluation.model.n).toBe(53);
      const messages = await engine.messages();
      const history = messages.flatMap((m) => (m.type === 'progress' ? m.history : []));
      // Every epoch reaches the UI exactly once, even though messages are throttled.
      expect(history.map((h) => h.epoch)).toEqual(Array.from({ length: 400 }, (_, k) => k + 1));
      // The reference curve, not only "it fell": float32 engines follow the float64 core.
      const want = referenceCurve('SBUX.csv', {
        ...SEED_RECIPE,
        epochs: 400,
        headSize: 16,
        learningRate: 1e-3,
      });
      expect(want[399]).toBeLessThan(want[0] / 2);
      history.forEach((h, k) =>
        expect(Math.abs(h.trainLoss - want[k]) / want[k], `epoch ${k + 1}`).toBeLessThan(1e-3),
      );
      const progressCount = messages.filter((m) => m.type === 'progress').length;
      expect(progressCount).toBeLessThan(400);
      expect(messages.some((m) => m.type === 'checkpoint')).toBe(true);
    });
  }

  test('a crashed worker is restarted and the failure is reported as recoverable', async ({
    page,
    shell,
  }) => {
    const engine = new EngineDriver(page);
    await engine.open('core');
    await engine.startRun(SBUX, { ...SEED_RECIPE, epochs: 100000 });
    await engine.waitFor('progress');
    await engine.command('crashForTest');
    const failed = await engine.waitFor('failed');
    expect(failed.type === 'failed' && failed.kind).toBe('engine');
    expect(failed.type === 'failed' && failed.recoverable).toBe(true);
    await expect(shell.engineBadge).toContainText('Pure TS');
  });

  test('on WebGPU, tensors after epoch 1000 equal those after epoch 10 (no leak)', async ({
    page,
    shell,
  }) => {
    test.setTimeout(180_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    await engine.startRun(SBUX, { ...SEED_RECIPE, epochs: 1000, headSize: 16, learningRate: 1e-3 });
    const done = await engine.waitFor('finished', 170_000);
    expect(done.type === 'finished' && done.epoch).toBe(1000);
    const progress = (await engine.messages()).filter(
      (m): m is Extract<FromWorker, { type: 'progress' }> =>
        m.type === 'progress' && m.memory !== null,
    );
    const at10 = progress.find((m) => m.epoch >= 10)!;
    const last = progress[progress.length - 1];
    expect(last.epoch).toBe(1000);
    expect(at10.epoch).toBeLessThan(100);
    expect(last.memory!.numTensors).toBe(at10.memory!.numTensors);
    // Every epoch ran as the fused whole-batch step, and the progress said so.
    expect(progress.every((m) => m.kernels === 'fused')).toBe(true);
    // The badge says "fused kernels" of a run that uses them, not of an engine: the run is over.
    await expect(shell.engineBadge).toContainText('Engine: WebGPU');
    await expect(shell.engineBadge).not.toContainText('fused');
  });

  test('on WebGPU a model whose fc_1 is too wide for the fused head trains with autodiff and says why', async ({
    page,
    shell,
  }) => {
    test.setTimeout(120_000);
    const engine = new EngineDriver(page);
    await engine.open('webgpu');
    // 2,016 units: one more than the fused head's workgroup memory (16 KB) holds.
    await engine.startRun(SBUX, { ...SEED_RECIPE, epochs: 100_000, headSize: 2016 });
    const progress = await engine.waitFor('progress', 100_000);
    if (progress.type !== 'progress') throw new Error('no progress');
    expect(progress.kernels).toBeUndefined();
    expect(progress.unfused).toEqual({ width: 2016, max: 2015 });
    await expect(shell.engineBadge).toContainText('Training on WebGPU');
    await expect(shell.engineBadge).toContainText(
      'no fused kernels for this model: its fc_1 is 2,016 units wide, and the fused head fits at most 2,015',
    );
    await engine.command('stop');
    // The sentence belongs to the run, and nothing failed on the way (no pipeline validation).
    await expect(shell.engineBadge).not.toContainText('fc_1');
    expect((await engine.messages()).some((m) => m.type === 'failed')).toBe(false);
  });

  for (const fault of [
    { command: 'debugLoseDevice', what: 'a lost WebGPU device', says: /WebGPU device lost: / },
    {
      command: 'debugGpuError',
      what: 'a WebGPU error (a program that failed validation)',
      says: /WebGPU error: .+/,
    },
  ] as const) {
    test(`${fault.what} restarts the run on the next engine from its checkpoint`, async ({
      page,
      shell,
    }) => {
      test.setTimeout(120_000);
      const engine = new EngineDriver(page);
      await engine.open('webgpu');
      await expect(shell.engineBadge).toContainText('WebGPU');
      await engine.startRun(SBUX, { ...SEED_RECIPE, epochs: 100000, headSize: 16 });
      await engine.waitFor('checkpoint');
      await engine.waitForEpoch(5);
      await expect(shell.engineBadge).toContainText('fused kernels');
      await engine.command(fault.command);
      const failed = await engine.waitFor('failed');
      if (failed.type !== 'failed') throw new Error('no failure reported');
      expect(failed.kind).toBe('engine');
      expect(failed.recoverable).toBe(true);
      expect(failed.message).toMatch(fault.says);
      expect(failed.message).toMatch(/Restarting on the next engine from epoch \d+/);
      const from = Number(/from epoch (\d+)/.exec(failed.message)?.[1]);
      await expect(shell.engineBadge).toContainText(/Training on (WebGL|WASM|CPU|Pure TS)/, {
        timeout: 30_000,
      });
      await expect(shell.engineBadge).toContainText('WebGPU: failed earlier');
      await expect(shell.engineBadge).not.toContainText('fused');
      // Training goes on past the checkpoint on the new engine; nothing before it is lost.
      await engine.waitForEpoch(from + 5);
      // One failure, said once: the loop was stopped before its trainer went, so nothing blamed
      // the new engine and no internal error followed (the worker keeps training, not stopped).
      const failures = (await engine.messages()).filter((m) => m.type === 'failed');
      expect(failures).toHaveLength(1);
      await expect(shell.engineBadge).not.toContainText(/(WebGL|WASM|CPU): failed/);
    });
  }

  test('the production entry chunk (and all it preloads) holds no TensorFlow.js', () => {
    const dist = resolve(import.meta.dirname, '../dist');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text, file).not.toMatch(/IS_BROWSER|WEBGL_VERSION|WEBGPU_|tfjs-backend/);
    }
    // The worker is referenced by URL from the entry or a chunk it preloads, not bundled in.
    const loaded = files.map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
    expect(loaded).toMatch(/training\.worker-[\w-]+\.js/);
  });
});
