import type { EngineName, EngineReport } from './protocol';

/**
 * Auto, once, for every worker that trains: which engines are worth timing on this machine, how
 * to time one on the very model the user is about to train, and which one to pick. The
 * training and digit workers only say how to build a probe for their model.
 */

/** What the machine offers, as far as a page can tell. */
export interface GpuFacts {
  webgpu: 'none' | 'noAdapter' | 'software' | 'hardware';
  webgl: 'none' | 'software' | 'hardware';
}

/**
 * The engines Auto times, and why the others are left out. Software GPUs are left out (measured
 * here 30–300× slower than WASM); a hardware GPU is tried through WebGPU and through WebGL, and
 * through WebGL alone where the browser has no WebGPU (Firefox, older Safari, Linux Chrome).
 */
export function autoCandidatesFrom(facts: GpuFacts): {
  candidates: EngineName[];
  reasons: EngineReport['reasons'];
} {
  const reasons: EngineReport['reasons'] = {};
  const candidates: EngineName[] = [];
  if (facts.webgpu === 'hardware') candidates.push('webgpu');
  else if (facts.webgpu === 'none') reasons.webgpu = { code: 'noWebGpu' };
  else if (facts.webgpu === 'noAdapter') reasons.webgpu = { code: 'noAdapter' };
  else reasons.webgpu = { code: 'softwareAdapter' };
  if (facts.webgl === 'hardware') candidates.push('webgl');
  else if (facts.webgl === 'software') reasons.webgl = { code: 'softwareWebGl' };
  else reasons.webgl = { code: 'noWebGl' };
  candidates.push('wasm', 'core');
  return { candidates, reasons };
}

/** One model on one engine, as training runs it. */
export interface ProbeTarget {
  /** One training batch, reading nothing back (training reads losses once an epoch). */
  step(): unknown;
  /** The loss of the last batch, read back: the one sync point of a round. */
  lastLoss(): number | Promise<number>;
  dispose(): void;
}

/** A probe for a synchronous trainer (the pure-TS core): each step returns its loss. */
export function syncProbe(step: () => number): ProbeTarget {
  let last = NaN;
  return {
    step: () => {
      last = step();
    },
    lastLoss: () => last,
    dispose: () => {},
  };
}

/** Auto may spend this long on one engine, first-use compilation included. */
export const PROBE_CAP_MS = 300;
/** The largest round of batches between two reads. */
const MAX_ROUND = 256;

export interface ProbeResult {
  /** ms per training batch once warm; Infinity when the loss was not finite. */
  msPerBatch: number;
  /** The first batch (JIT, shader and pipeline compilation), read back. */
  warmMs: number;
  finite: boolean;
  /** Batches run, warm-up included, and losses read back. */
  batches: number;
  reads: number;
}

/**
 * Times a probe: one warm-up batch (compiles the pipelines; its time counts against the cap and
 * is reported), then rounds of k = 1, 2, 4 … batches with one read each, as long as the next
 * round fits in the cap. The estimate is the last (most amortised) round; when only the warm-up
 * fits, the warm-up's own time. A loss that is not finite rules the engine out.
 */
export async function probeEngine(
  target: ProbeTarget,
  opts: { capMs?: number; now?: () => number } = {},
): Promise<ProbeResult> {
  const cap = opts.capMs ?? PROBE_CAP_MS;
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  await target.step();
  const first = await target.lastLoss();
  const warmMs = now() - t0;
  let batches = 1;
  let reads = 1;
  if (!Number.isFinite(first)) {
    return { msPerBatch: Infinity, warmMs, finite: false, batches, reads };
  }
  let estimate = warmMs;
  // Bounded in batches too: a coarse clock can make a fast batch read as 0 ms.
  for (let k = 1; k <= MAX_ROUND && k * estimate <= cap - (now() - t0); k *= 2) {
    const s = now();
    for (let j = 0; j < k; j++) await target.step();
    const loss = await target.lastLoss();
    batches += k;
    reads++;
    if (!Number.isFinite(loss)) {
      return { msPerBatch: Infinity, warmMs, finite: false, batches, reads };
    }
    estimate = (now() - s) / k;
  }
  return { msPerBatch: estimate, warmMs, finite: true, batches, reads };
}

/** A cheaper stand-in for an engine's probe: the same model on a part of a batch. */
export interface ProbePreview {
  target: ProbeTarget;
  /** The part of a real batch each of its batches holds (8 of 64 digits: 0.125). */
  share: number;
}

/**
 * An engine whose preview, scaled to a whole batch, is over this many times slower than the best
 * engine timed so far is not timed in full: it could not win, nor even be a close call (below).
 */
const RULED_OUT = 4;

/** What a worker tells Auto: its model's size (picks are remembered per size) and its probes. */
export interface AutoRequest {
  key: string;
  probe(engine: EngineName): ProbeTarget;
  /**
   * Optional, for an engine whose first batch alone is long (the pure-TS core on a large model:
   * 1.1–2.0 s for 64 digits at hidden 128): a probe on part of a batch. Its time per digit is
   * the whole batch's within noise (the core's work is per sample), and an engine it rules out is
   * reported with "≈" before its scaled time.
   */
  preview?(engine: EngineName): ProbePreview | null;
  /** Engines that failed in this worker (a lost device): never picked, and their picks forgotten. */
  broken: readonly EngineName[];
}

export interface AutoDeps {
  facts(): Promise<GpuFacts>;
  /** Switches the tfjs backend; null when it runs, else why not. */
  activate(engine: EngineName): Promise<string | null>;
  /** The clock the probes read (tests pass a fake one). */
  now?: () => number;
}

interface Pick {
  engine: EngineName;
  ms: Partial<Record<EngineName, number>>;
  notFinite: EngineName[];
  /** Engines ruled out by a preview: their time is scaled from part of a batch. */
  estimated: EngineName[];
}

/** Auto's choices in this worker, per model size. */
export class AutoChooser {
  private readonly picks = new Map<string, Pick>();

  constructor(private readonly deps: AutoDeps) {}

  async choose(req: AutoRequest): Promise<EngineReport> {
    const { candidates, reasons } = autoCandidatesFrom(await this.deps.facts());
    let pick = this.picks.get(req.key);
    // A remembered pick whose engine has since broken is measured afresh.
    if (pick && req.broken.includes(pick.engine)) {
      this.picks.delete(req.key);
      pick = undefined;
    }
    if (!pick) {
      pick = await this.measure(candidates, req);
      this.picks.set(req.key, pick);
    }
    if (pick.engine !== 'core') await this.deps.activate(pick.engine);
    const all: EngineReport['reasons'] = { ...reasons };
    for (const name of pick.notFinite) all[name] = { code: 'probeNotFinite' };
    for (const [name, t] of Object.entries(pick.ms) as [EngineName, number][]) {
      if (name === pick.engine) continue;
      const about = pick.estimated.includes(name) ? '≈\u00a0' : '';
      all[name] = { code: 'slower', detail: `${about}${t.toFixed(1)} ms` };
    }
    for (const name of req.broken) all[name] = { code: 'failedEarlier' };
    return { engine: pick.engine, software: false, reasons: all, measured: pick.ms };
  }

  private async measure(candidates: EngineName[], req: AutoRequest): Promise<Pick> {
    const ms: Partial<Record<EngineName, number>> = {};
    const notFinite: EngineName[] = [];
    const estimated: EngineName[] = [];
    const best = () => Math.min(...Object.values(ms));
    /** true when a preview shows the engine cannot win (its scaled time is recorded). */
    const ruledOut = async (name: EngineName): Promise<boolean> => {
      if (!Number.isFinite(best())) return false;
      const preview = req.preview?.(name);
      if (!preview) return false;
      try {
        const r = await probeEngine(preview.target, { now: this.deps.now });
        const scaled = r.msPerBatch / preview.share;
        if (!r.finite || scaled <= RULED_OUT * best()) return false;
        ms[name] = scaled;
        estimated.push(name);
        return true;
      } catch {
        return false;
      } finally {
        preview.target.dispose();
      }
    };
    const time = async (name: EngineName, previewFirst: boolean) => {
      if (name !== 'core' && (await this.deps.activate(name)) !== null) return;
      if (previewFirst && (await ruledOut(name))) return;
      let target: ProbeTarget | null = null;
      try {
        target = req.probe(name);
        const r = await probeEngine(target, { now: this.deps.now });
        if (!r.finite) notFinite.push(name);
        else ms[name] = Math.min(ms[name] ?? Infinity, r.msPerBatch);
      } catch {
        // An engine that fails while timing is simply not picked.
      } finally {
        target?.dispose();
      }
    };
    for (const name of candidates) if (!req.broken.includes(name)) await time(name, true);
    // A close call is timed again and each keeps its better time: one probe can land while an
    // engine still warms up (WASM read 22 ms, then 6 ms, on one page), and the wrong pick
    // would train several times slower for the whole run.
    const first = best();
    const close = (Object.entries(ms) as [EngineName, number][]).filter(
      ([name, t]) => t <= RULED_OUT * first && !estimated.includes(name),
    );
    if (close.length > 1) for (const [name] of close) await time(name, false);
    const fastest = (Object.entries(ms) as [EngineName, number][]).sort((a, b) => a[1] - b[1])[0];
    return { engine: fastest ? fastest[0] : 'core', ms, notFinite, estimated };
  }
}
