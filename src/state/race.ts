import { create } from 'zustand';
import { RACE_DEFAULTS, type GradientFlow, type RaceKind, type RaceSettings } from '../core/index';
import type { FromRace, ToRace } from '../worker/raceProtocol';

/**
 * The Why-LSTM race: a vanilla RNN and an LSTM train side by side, each in its own worker, on
 * the same seeded batches. The page keeps their held-out loss curves and gradient-flow
 * snapshots; nothing here is scripted, every number is measured as the models learn.
 */
export interface RacePoint {
  step: number;
  loss: number;
  accuracy: number;
}

type PerModel<T> = Record<RaceKind, T>;

interface RaceState {
  settings: RaceSettings;
  maxSteps: number;
  runId: number;
  status: 'idle' | 'running' | 'done' | 'stopped';
  steps: PerModel<number>;
  points: PerModel<RacePoint[]>;
  flows: PerModel<{ step: number; flow: GradientFlow }[]>;
  /** Which flow snapshot the slider shows (null = the latest). */
  flowIndex: number | null;
  error: string | null;
  setSettings(patch: Partial<RaceSettings>): void;
  start(): void;
  stop(): void;
  setFlowIndex(index: number | null): void;
}

export const KINDS: RaceKind[] = ['rnn', 'lstm'];
const empty = <T>(make: () => T): PerModel<T> => ({ rnn: make(), lstm: make() });

let workers: PerModel<Worker> | null = null;
let nextRun = 1;

export const useRace = create<RaceState>((set, get) => {
  const onMessage = (msg: FromRace) => {
    const s = get();
    if (msg.runId !== s.runId) return;
    const k = msg.kind;
    switch (msg.type) {
      case 'progress':
        set({
          steps: { ...s.steps, [k]: msg.step },
          points: msg.points.length
            ? { ...s.points, [k]: [...s.points[k], ...msg.points] }
            : s.points,
        });
        break;
      case 'flow':
        set({ flows: { ...s.flows, [k]: [...s.flows[k], { step: msg.step, flow: msg.flow }] } });
        break;
      case 'done': {
        const steps = { ...s.steps, [k]: msg.step };
        set({ steps, status: KINDS.every((m) => steps[m] >= s.maxSteps) ? 'done' : s.status });
        break;
      }
      case 'failed':
        set({ error: `${k.toUpperCase()}: ${msg.message}` });
        break;
    }
  };

  const spawn = (): PerModel<Worker> => {
    workers ??= {
      rnn: new Worker(new URL('../worker/race.worker.ts', import.meta.url), { type: 'module' }),
      lstm: new Worker(new URL('../worker/race.worker.ts', import.meta.url), { type: 'module' }),
    };
    for (const k of KINDS) {
      workers[k].onmessage = (e: MessageEvent<FromRace>) => onMessage(e.data);
      workers[k].onerror = (e) => {
        e.preventDefault();
        set({
          error: `${k.toUpperCase()}: the worker stopped (${e.message || 'unknown error'})`,
          status: 'stopped',
        });
      };
    }
    return workers;
  };

  const send = (k: RaceKind, msg: ToRace) => spawn()[k].postMessage(msg);

  return {
    settings: RACE_DEFAULTS,
    maxSteps: 3000,
    runId: 0,
    status: 'idle',
    steps: empty(() => 0),
    points: empty(() => []),
    flows: empty(() => []),
    flowIndex: null,
    error: null,
    setSettings: (patch) => set({ settings: { ...get().settings, ...patch } }),
    start() {
      const { settings, maxSteps, runId } = get();
      for (const k of KINDS) send(k, { type: 'stop', runId });
      const id = nextRun++;
      set({
        runId: id,
        status: 'running',
        steps: empty(() => 0),
        points: empty(() => []),
        flows: empty(() => []),
        flowIndex: null,
        error: null,
      });
      for (const k of KINDS) send(k, { type: 'start', runId: id, kind: k, settings, maxSteps });
    },
    stop() {
      const { runId } = get();
      for (const k of KINDS) send(k, { type: 'stop', runId });
      set({ status: 'stopped' });
    },
    setFlowIndex: (flowIndex) => set({ flowIndex }),
  };
});
