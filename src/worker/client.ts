import type { Checkpoint, StockConfig, Table } from '../core/index';
import { engineStatus, setEngineStatus, type EngineReason } from './engineStatus';
import {
  ENGINE_LABELS,
  type EngineChoice,
  type EngineName,
  type EngineReport,
  type FromWorker,
  type GoldenCase,
  type ModelGoldenCase,
  type ToWorker,
} from './protocol';

type SelfTestResult = Extract<FromWorker, { type: 'selfTestResult' }>;
type ModelSelfTestResult = Extract<FromWorker, { type: 'selfTestModelResult' }>;
type Listener = (msg: FromWorker) => void;

/** For the badge: the first better engine that was skipped, and why. */
export function fallbackReason(report: EngineReport): EngineReason | null {
  const order: EngineName[] = ['webgpu', 'webgl', 'wasm', 'cpu', 'core'];
  const skipped = order.filter((e) => report.reasons[e] && e !== report.engine);
  // When Auto measured, the engine it timed and found slower says the most.
  const first = skipped.find((e) => report.reasons[e]!.code === 'slower') ?? skipped[0];
  return first ? { engine: ENGINE_LABELS[first], ...report.reasons[first]! } : null;
}

/**
 * The UI's handle on the training worker. Commands go out with the current run id; messages
 * of older runs are dropped. If the worker dies it is restarted and listeners hear a
 * recoverable failure, so the UI keeps its dataset, charts and last model.
 */
export class TrainingClient {
  private worker!: Worker;
  private nextId = 1;
  private currentRun = 0;
  private readonly listeners = new Set<Listener>();
  private readonly pending = new Map<number, (msg: FromWorker) => void>();
  private readonly readyWaiters: ((report: EngineReport) => void)[] = [];
  private choice: EngineChoice;

  constructor(choice: EngineChoice) {
    this.choice = choice;
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.dispatch(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.recover(`the training worker crashed (${e.message || 'unknown error'})`);
    };
  }

  private recover(reason: string): void {
    this.worker.terminate();
    setEngineStatus({
      state: 'failed',
      reason: { engine: 'Worker', code: 'crashed', detail: reason },
      msPerBatch: null,
      training: false,
      fused: false,
      unfused: null,
    });
    const runId = this.currentRun;
    this.spawn();
    this.init(this.choice);
    for (const l of this.listeners) {
      l({
        type: 'failed',
        runId,
        kind: 'engine',
        message: `${reason}; it was restarted.`,
        recoverable: true,
      });
    }
  }

  private dispatch(msg: FromWorker): void {
    if (msg.type === 'ready') {
      const reason = fallbackReason(msg.report);
      setEngineStatus({
        state: 'running',
        engine: `${ENGINE_LABELS[msg.report.engine]}${msg.report.software ? ' (software)' : ''}`,
        reason,
        msPerBatch: msg.report.measured?.[msg.report.engine] ?? null,
        fused: false,
        unfused: null,
      });
    }
    if (msg.type === 'ready') {
      // Whichever request caused the selection, every init waiting for an engine has one now.
      for (const resolve of this.readyWaiters.splice(0)) resolve(msg.report);
      for (const l of this.listeners) l(msg);
      return;
    }
    const waiter = this.pending.get(msg.runId);
    if (waiter) {
      this.pending.delete(msg.runId);
      waiter(msg);
      return;
    }
    if (msg.runId !== this.currentRun) return; // stale: a run that has been replaced
    if (msg.type === 'progress') {
      const fused = msg.kernels === 'fused';
      const unfused = msg.unfused ?? null;
      const now = engineStatus();
      if (now.fused !== fused || now.unfused?.width !== unfused?.width)
        setEngineStatus({ fused, unfused });
    }
    // Whether a run trains now: its loop's own word, so a badge never says "training" after it.
    const training =
      msg.type === 'state'
        ? msg.state === 'running'
        : msg.type === 'finished' || (msg.type === 'failed' && !msg.recoverable)
          ? false
          : null;
    if (training !== null && engineStatus().training !== training) {
      setEngineStatus(training ? { training } : { training, fused: false, unfused: null });
    }
    for (const l of this.listeners) l(msg);
  }

  private send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts (or switches) the engine; resolves with its report. */
  init(choice: EngineChoice = this.choice): Promise<EngineReport> {
    this.choice = choice;
    const runId = this.nextId++;
    setEngineStatus({ state: 'starting' });
    return new Promise((resolve) => {
      this.readyWaiters.push(resolve);
      this.send({ type: 'init', runId, choice });
    });
  }

  /** Starts a run and returns its id; older runs' messages are dropped from now on. */
  start(
    config: StockConfig,
    table: Table,
    opts: {
      paused?: boolean;
      resumeFrom?: Checkpoint;
      gateSample?: number;
      maxEpochsPerSecond?: number | null;
      slowOk?: boolean;
    } = {},
  ): number {
    const runId = this.nextId++;
    this.currentRun = runId;
    this.send({ type: 'start', runId, config, table, ...opts });
    return runId;
  }

  pause(): void {
    this.send({ type: 'pause', runId: this.currentRun });
  }
  resume(): void {
    this.send({ type: 'resume', runId: this.currentRun });
  }
  stop(): void {
    this.send({ type: 'stop', runId: this.currentRun });
  }
  stepEpoch(): void {
    this.send({ type: 'stepEpoch', runId: this.currentRun });
  }
  stepBatch(): void {
    this.send({ type: 'stepBatch', runId: this.currentRun });
  }
  setSpeed(maxEpochsPerSecond: number | null): void {
    this.send({ type: 'setSpeed', runId: this.currentRun, maxEpochsPerSecond });
  }
  recordGates(sample: number): void {
    this.send({ type: 'recordGates', runId: this.currentRun, sample });
  }

  /** Runs the golden case on the worker's engine (forward, gradients, one Adam step). */
  selfTest(golden: GoldenCase): Promise<SelfTestResult> {
    const runId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(runId, (msg) => {
        if (msg.type === 'selfTestResult') resolve(msg);
        else if (msg.type === 'failed') reject(new Error(msg.message));
      });
      this.send({ type: 'selfTest', runId, golden });
    });
  }

  /** Every window's prediction (target units) from saved weights, computed in the worker. */
  predictWith(config: StockConfig, table: Table, from: Checkpoint): Promise<number[]> {
    const runId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(runId, (msg) => {
        if (msg.type === 'predicted') resolve(msg.predictions);
        else if (msg.type === 'failed') reject(new Error(msg.message));
      });
      this.send({ type: 'predictWith', runId, config, table, from });
    });
  }

  /** Full-batch Adam steps of a whole seed model on the worker's engine. */
  selfTestModel(golden: ModelGoldenCase): Promise<ModelSelfTestResult> {
    const runId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(runId, (msg) => {
        if (msg.type === 'selfTestModelResult') resolve(msg);
        else if (msg.type === 'failed') reject(new Error(msg.message));
      });
      this.send({ type: 'selfTestModel', runId, golden });
    });
  }

  /** Destroys the WebGPU device inside the worker (used to test recovery). */
  debugLoseDevice(): void {
    this.send({ type: 'debugLoseDevice', runId: this.currentRun });
  }

  /** Makes the worker's WebGPU device report an error (used to test recovery). */
  debugGpuError(): void {
    this.send({ type: 'debugGpuError', runId: this.currentRun });
  }

  /** Kills the worker outright (used to test recovery). */
  crashForTest(): void {
    this.recover('the training worker was terminated');
  }
}

let client: TrainingClient | null = null;

/** The app's one training client, created on first use. */
/** The one client; the first call starts its worker on `choice` (the user's, from settings). */
export function getTrainingClient(choice: EngineChoice = 'auto'): TrainingClient {
  client ??= new TrainingClient(choice);
  return client;
}
