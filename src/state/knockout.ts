import { create } from 'zustand';
import {
  CONTESTANTS,
  DEFAULT_CONTESTANTS,
  KNOCKOUT_DEFAULTS,
  estimateRaceSeconds,
  runMs,
  REFERENCE_PACE,
  type Contestant,
  type GateSaturation,
  type KnockoutSettings,
  type StateDict,
} from '../core/index';
import type {
  FromKnockout,
  KnockoutJob,
  KnockoutPoint,
  ToKnockout,
} from '../worker/knockoutProtocol';

/**
 * The knockout race (the gate lab): every chosen contestant × seed is one run; a few worker
 * lanes take the runs in turn. The page keeps each run's held-out loss curve and, once it ends,
 * its final loss and gate saturation. Nothing is scripted: every number is measured here.
 */
export interface KnockoutRunState {
  contestant: Contestant;
  seed: number;
  step: number;
  points: KnockoutPoint[];
  final: number | null;
  saturation: GateSaturation | null;
  explorer: { stateDict: StateDict; input: number[][] } | null;
  error: string | null;
}

/** What a race was started with: results always refer to this, not to the form's current state. */
export interface RaceSpec {
  settings: KnockoutSettings;
  contestants: Contestant[];
  seeds: number;
}

export interface KnockoutState {
  settings: KnockoutSettings;
  contestants: Contestant[];
  seeds: number;
  raceId: number;
  status: 'idle' | 'running' | 'done' | 'stopped';
  spec: RaceSpec | null;
  runs: Record<string, KnockoutRunState>;
  startedAt: number;
  /** When the last progress arrived (performance.now()): "time left" is measured up to it. */
  updatedAt: number;
  /** The estimate the running race started with, in seconds. */
  estimated: number;
  /** This machine's measured time ÷ the reference estimate, from the last whole race (1 before one). */
  pace: number;
  lanes: number;
  error: string | null;
  setSettings(patch: Partial<KnockoutSettings>): void;
  toggleContestant(c: Contestant): void;
  setSeeds(seeds: number): void;
  start(): void;
  stop(): void;
}

export const runKey = (job: KnockoutJob) => `${job.contestant}:${job.seed}`;
const PACE_KEY = 'lstm-lab.knockout-pace';

function readPace(): number {
  try {
    const v = Number(localStorage.getItem(PACE_KEY));
    return Number.isFinite(v) && v > 0.05 && v < 50 ? v : 1;
  } catch {
    return 1;
  }
}

/** As many lanes as cores, up to four: each run is single-threaded. */
export function laneCount(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores));
}

/** The runs in the order they are handed out: every contestant of seed 1 first, so early rows compare. */
export function raceJobs(spec: RaceSpec): KnockoutJob[] {
  return Array.from({ length: spec.seeds }, (_, k) =>
    spec.contestants.map((contestant) => ({ contestant, seed: k + 1 })),
  ).flat();
}

/** Seconds the race should take on this machine, from the reference pace and what was measured here. */
export function estimateSeconds(spec: RaceSpec, lanes: number, pace: number): number {
  return pace * estimateRaceSeconds(spec.contestants, spec.seeds, spec.settings, lanes);
}

/** The share of the race's work done so far, each run weighted by its estimated time. */
export function raceFraction(s: Pick<KnockoutState, 'spec' | 'runs'>): number {
  if (!s.spec) return 0;
  const { settings } = s.spec;
  let done = 0;
  let total = 0;
  for (const job of raceJobs(s.spec)) {
    const r = s.runs[runKey(job)];
    const ms = runMs(job.contestant, settings, REFERENCE_PACE);
    total += ms;
    done += r?.final != null || r?.error ? ms : r ? (ms * r.step) / settings.steps : 0;
  }
  return total > 0 ? done / total : 0;
}

/**
 * Seconds left: once a twentieth of the work is done, what the time so far says about the rest
 * (measured here, on this machine, with this page open); before that, the estimate.
 */
export function secondsLeft(
  s: Pick<KnockoutState, 'spec' | 'runs' | 'startedAt' | 'updatedAt' | 'estimated'>,
): number {
  const f = raceFraction(s);
  if (f >= 0.05) return (((s.updatedAt - s.startedAt) / 1000) * (1 - f)) / f;
  return s.estimated * (1 - f);
}

const lanes: Worker[] = [];
let queue: KnockoutJob[] = [];
let nextRace = 1;

export const useKnockout = create<KnockoutState>((set, get) => {
  const emptyRun = (job: KnockoutJob): KnockoutRunState => ({
    ...job,
    step: 0,
    points: [],
    final: null,
    saturation: null,
    explorer: null,
    error: null,
  });

  const patchRun = (
    job: KnockoutJob,
    patch: (r: KnockoutRunState) => Partial<KnockoutRunState>,
  ) => {
    const key = runKey(job);
    const r = get().runs[key] ?? emptyRun(job);
    set({ runs: { ...get().runs, [key]: { ...r, ...patch(r) } } });
  };

  const feed = (lane: number) => {
    const { raceId, spec } = get();
    const job = queue.shift();
    if (!job || !spec) {
      const all = raceJobs(spec!).every((j) => {
        const r = get().runs[runKey(j)];
        return r?.final != null || r?.error;
      });
      if (all && get().status === 'running') {
        // The next estimate starts from how long this whole race really took here.
        const { startedAt, estimated, pace } = get();
        const next = (pace * (performance.now() - startedAt)) / 1000 / Math.max(1e-3, estimated);
        set({ status: 'done', pace: next });
        try {
          localStorage.setItem(PACE_KEY, String(next));
        } catch {
          // Private mode: the next estimate starts from the reference pace.
        }
      }
      return;
    }
    patchRun(job, () => ({}));
    lanes[lane].postMessage({
      type: 'start',
      raceId,
      job,
      settings: spec.settings,
    } satisfies ToKnockout);
  };

  const onMessage = (lane: number, msg: FromKnockout) => {
    if (msg.raceId !== get().raceId) return;
    switch (msg.type) {
      case 'progress':
        patchRun(msg.job, (r) => ({ step: msg.step, points: [...r.points, ...msg.points] }));
        set({ updatedAt: performance.now() });
        break;
      case 'done': {
        patchRun(msg.job, () => ({
          final: msg.loss,
          saturation: msg.saturation,
          explorer: msg.explorer,
        }));
        feed(lane);
        break;
      }
      case 'failed':
        patchRun(msg.job, () => ({ error: msg.message }));
        feed(lane);
        break;
    }
  };

  const spawn = (n: number) => {
    while (lanes.length < n) {
      const lane = lanes.length;
      const w = new Worker(new URL('../worker/knockout.worker.ts', import.meta.url), {
        type: 'module',
      });
      w.onmessage = (e: MessageEvent<FromKnockout>) => onMessage(lane, e.data);
      w.onerror = (e) => {
        e.preventDefault();
        set({
          error: `the race worker stopped (${e.message || 'unknown error'})`,
          status: 'stopped',
        });
      };
      lanes.push(w);
    }
  };

  return {
    settings: KNOCKOUT_DEFAULTS,
    contestants: [...DEFAULT_CONTESTANTS],
    seeds: 3,
    raceId: 0,
    status: 'idle',
    spec: null,
    runs: {},
    startedAt: 0,
    updatedAt: 0,
    estimated: 0,
    pace: readPace(),
    lanes: laneCount(),
    error: null,
    setSettings: (patch) => set({ settings: { ...get().settings, ...patch } }),
    toggleContestant(c) {
      const on = get().contestants.includes(c);
      const next = on ? get().contestants.filter((k) => k !== c) : [...get().contestants, c];
      set({ contestants: CONTESTANTS.filter((k) => next.includes(k)) });
    },
    setSeeds: (seeds) => set({ seeds: Math.max(1, Math.min(5, Math.round(seeds))) }),
    start() {
      const { settings, contestants, seeds, raceId } = get();
      if (contestants.length === 0) return;
      for (const w of lanes) w.postMessage({ type: 'stop', raceId } satisfies ToKnockout);
      const spec: RaceSpec = { settings, contestants: [...contestants], seeds };
      const n = laneCount();
      spawn(n);
      queue = raceJobs(spec);
      set({
        raceId: nextRace++,
        status: 'running',
        spec,
        runs: {},
        startedAt: performance.now(),
        updatedAt: performance.now(),
        estimated: estimateSeconds(spec, n, get().pace),
        lanes: n,
        error: null,
      });
      for (let k = 0; k < n; k++) feed(k);
    },
    stop() {
      const { raceId } = get();
      queue = [];
      for (const w of lanes) w.postMessage({ type: 'stop', raceId } satisfies ToKnockout);
      set({ status: 'stopped' });
    },
  };
});
