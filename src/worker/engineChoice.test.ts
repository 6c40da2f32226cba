import { describe, expect, it } from 'vitest';
import {
  AutoChooser,
  PROBE_CAP_MS,
  autoCandidatesFrom,
  probeEngine,
  type GpuFacts,
  type ProbeTarget,
} from './engineChoice';
import type { EngineName } from './protocol';

/** A probe target on a fake clock: each batch costs `stepMs` (the first `warmMs`), reads cost `readMs`. */
function fakeTarget(
  clock: { t: number },
  opts: { warmMs: number; stepMs: number; readMs?: number; loss?: number },
): ProbeTarget & { steps: number; reads: number } {
  const target = {
    steps: 0,
    reads: 0,
    step() {
      clock.t += target.steps === 0 ? opts.warmMs : opts.stepMs;
      target.steps++;
    },
    lastLoss() {
      clock.t += opts.readMs ?? 0;
      target.reads++;
      return opts.loss ?? 0.5;
    },
    dispose() {},
  };
  return target;
}

describe('which engines Auto times', () => {
  it('a GPU without WebGPU (Firefox, older Safari, Linux Chrome) is tried through WebGL', () => {
    const { candidates } = autoCandidatesFrom({ webgpu: 'none', webgl: 'hardware' });
    expect(candidates).toEqual(['webgl', 'wasm', 'core']);
  });

  it('a hardware WebGPU adapter brings both GPU engines; software GPUs are left out with a reason', () => {
    expect(autoCandidatesFrom({ webgpu: 'hardware', webgl: 'hardware' }).candidates).toEqual([
      'webgpu',
      'webgl',
      'wasm',
      'core',
    ]);
    const here = autoCandidatesFrom({ webgpu: 'software', webgl: 'software' });
    expect(here.candidates).toEqual(['wasm', 'core']);
    expect(here.reasons.webgpu?.code).toBe('softwareAdapter');
    expect(here.reasons.webgl?.code).toBe('softwareWebGl');
  });
});

describe('Auto’s probe times what training does', () => {
  it('reads the loss once per round, not once per batch, and reports the amortised batch time', async () => {
    const clock = { t: 0 };
    const target = fakeTarget(clock, { warmMs: 20, stepMs: 2, readMs: 5 });
    const r = await probeEngine(target, { now: () => clock.t });
    expect(r.finite).toBe(true);
    expect(r.warmMs).toBe(25);
    // The last round ran k batches and one read: (k·2 + 5) / k, close to the 2 ms a batch costs.
    expect(r.msPerBatch).toBeLessThan(2.5);
    expect(target.reads).toBeLessThan(target.steps / 4);
    expect(r.batches).toBe(target.steps);
  });

  it('stays within its cap, first-use compilation included', async () => {
    const clock = { t: 0 };
    const target = fakeTarget(clock, { warmMs: 250, stepMs: 100 });
    const r = await probeEngine(target, { now: () => clock.t });
    expect(clock.t).toBeLessThanOrEqual(PROBE_CAP_MS);
    // Only the warm-up fitted: its time is the (pessimistic) estimate.
    expect(r.msPerBatch).toBe(250);
    expect(target.steps).toBe(1);
  });

  it('a loss that is not finite rules the engine out', async () => {
    const clock = { t: 0 };
    const r = await probeEngine(fakeTarget(clock, { warmMs: 1, stepMs: 1, loss: NaN }), {
      now: () => clock.t,
    });
    expect(r.finite).toBe(false);
    expect(r.msPerBatch).toBe(Infinity);
  });
});

/** Auto on a machine without GPU engines (WASM and the core), on a fake clock. */
const cpuOnly = (clock: { t: number }) =>
  new AutoChooser({
    now: () => clock.t,
    facts: async () => ({ webgpu: 'none', webgl: 'none' }),
    activate: async () => null,
  });

describe('one Auto for every worker', () => {
  const gpuMachine: GpuFacts = { webgpu: 'hardware', webgl: 'hardware' };
  const cost: Record<EngineName, number> = { webgpu: 1, webgl: 3, wasm: 5, cpu: 50, core: 8 };

  function chooser(activated: EngineName[], clock: { t: number }) {
    return new AutoChooser({
      now: () => clock.t,
      facts: async () => gpuMachine,
      activate: async (e) => {
        activated.push(e);
        return null;
      },
    });
  }

  it('picks the fastest engine that trains finitely, and says why not the others', async () => {
    const activated: EngineName[] = [];
    const clock = { t: 0 };
    const report = await chooser(activated, clock).choose({
      key: 'm',
      broken: [],
      probe: (e) =>
        fakeTarget(clock, {
          warmMs: cost[e],
          stepMs: cost[e],
          // WebGPU is fastest here but its loss blows up: it must not be picked.
          loss: e === 'webgpu' ? NaN : 0.3,
        }),
    });
    expect(report.engine).toBe('webgl');
    expect(report.reasons.webgpu?.code).toBe('probeNotFinite');
    expect(report.reasons.wasm?.code).toBe('slower');
    expect(activated[activated.length - 1]).toBe('webgl');
  });

  it('a close call is measured twice: an engine slow only in its first probe (still warming) still wins', async () => {
    const clock = { t: 0 };
    const probes: Partial<Record<EngineName, number>> = {};
    const report = await cpuOnly(clock).choose({
      key: 'm',
      broken: [],
      probe: (e) => {
        probes[e] = (probes[e] ?? 0) + 1;
        // WASM's first probe runs while its module still warms up (seen: 22 ms, then 6 ms).
        const ms = e === 'wasm' ? (probes[e] === 1 ? 22 : 6) : e === 'core' ? 18 : 60;
        return fakeTarget(clock, { warmMs: ms, stepMs: ms });
      },
    });
    expect(report.engine).toBe('wasm');
    expect(probes.wasm).toBe(2);
    expect(probes.core).toBe(2);
    expect(report.measured?.wasm).toBeLessThan(report.measured!.core!);
  });

  it('a preview on part of a batch rules out an engine far slower than the best, which is then never timed in full', async () => {
    const clock = { t: 0 };
    const full: EngineName[] = [];
    const previewed: EngineName[] = [];
    const auto = cpuOnly(clock);
    // WASM 10 ms a batch; the core 160 ms a batch, 20 ms on its eighth of one.
    const report = await auto.choose({
      key: 'big',
      broken: [],
      probe: (e) => {
        full.push(e);
        const ms = e === 'wasm' ? 10 : 160;
        return fakeTarget(clock, { warmMs: ms, stepMs: ms });
      },
      preview: (e) => {
        if (e !== 'core') return null;
        previewed.push(e);
        return { target: fakeTarget(clock, { warmMs: 20, stepMs: 20 }), share: 1 / 8 };
      },
    });
    expect(report.engine).toBe('wasm');
    expect(full).toEqual(['wasm']);
    expect(previewed).toEqual(['core']);
    expect(report.measured?.core).toBe(160);
    // The status bar says the core's time is scaled, not timed on a whole batch.
    expect(report.reasons.core).toEqual({ code: 'slower', detail: '≈\u00a0160.0 ms' });
    expect(report.reasons.wasm).toBeUndefined();
  });

  it('an engine its preview shows within 4× of the best is timed in full, and can still win', async () => {
    const clock = { t: 0 };
    const full: EngineName[] = [];
    const report = await cpuOnly(clock).choose({
      key: 'small',
      broken: [],
      probe: (e) => {
        full.push(e);
        const ms = e === 'wasm' ? 10 : 8;
        return fakeTarget(clock, { warmMs: ms, stepMs: ms });
      },
      // The core's preview is pessimistic (warming up) but within 4×: not enough to rule it out.
      preview: (e) =>
        e === 'core' ? { target: fakeTarget(clock, { warmMs: 4, stepMs: 4 }), share: 1 / 8 } : null,
    });
    expect(report.engine).toBe('core');
    expect(full).toContain('core');
    expect(report.measured?.core).toBe(8);
    expect(report.reasons.wasm).toEqual({ code: 'slower', detail: '10.0 ms' });
  });

  it('a remembered pick whose engine broke (a lost device) is measured again, without it', async () => {
    const activated: EngineName[] = [];
    const clock = { t: 0 };
    const auto = chooser(activated, clock);
    const probed: EngineName[] = [];
    const probe = (e: EngineName) => {
      probed.push(e);
      return fakeTarget(clock, { warmMs: cost[e], stepMs: cost[e] });
    };
    expect((await auto.choose({ key: 'm', broken: [], probe })).engine).toBe('webgpu');
    probed.length = 0;
    const again = await auto.choose({ key: 'm', broken: ['webgpu'], probe });
    expect(again.engine).toBe('webgl');
    expect(probed).not.toContain('webgpu');
    expect(again.reasons.webgpu?.code).toBe('failedEarlier');
    // The same model size again: remembered, nothing probed.
    probed.length = 0;
    expect((await auto.choose({ key: 'm', broken: ['webgpu'], probe })).engine).toBe('webgl');
    expect(probed).toEqual([]);
  });
});
