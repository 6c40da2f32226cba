import type { Checkpoint, EpochResult, StockConfig, StockDataset } from '../../core/index';
import type { FromWorker, ProgressMessage } from '../protocol';
import type { Trainer } from './trainer';
import { batchLossFailure, lossFailure, takeCheckpoint } from './checkpoints';
import { epochRate, recordEpochEnd, shortRest, slowEpochSeconds } from './pace';
import { sleep, type RunHooks, type RunOptions } from './trainer';

const PROGRESS_INTERVAL_MS = 33; // ≤ ~30 messages a second, whatever the epoch rate
/** Inside a long epoch: where it stands (batch k of n, ETA), a few times a second. */
const BATCH_PROGRESS_MS = 250;
/** The loop yields to the message queue at least this often, so Pause and Stop land at once. */
const YIELD_EVERY_MS = 25;
// The gate strip animates at ~10 frames a second: each frame reads the weights back once.
const GATES_INTERVAL_MS = 100;
// By time, not by epoch count: reading weights back is a GPU sync point on fast small models.
const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * One training run: its trainer, its loop and what it has told the page. Every path that ends
 * or replaces the loop (Pause, Stop, a new Start, an engine switch, a lost device, a GPU error)
 * goes through one awaited `stopLoop()`, so no two loops ever step a trainer, and no loop
 * steps a trainer that has been disposed.
 */
export class TrainingRun {
  readonly id: number;
  readonly config: StockConfig;
  readonly dataset: StockDataset;
  trainer: Trainer;
  state: 'running' | 'paused' | 'stopped';
  maxEpochsPerSecond: number | null;
  gateSample: number | null;
  checkpoint: Checkpoint | null = null;
  /** Moving to another engine: commands wait (a pause or stop is applied once it is done). */
  switching = false;
  wanted: 'paused' | 'stopped' | null = null;
  /** The run is over for good (replaced by a new Start): nothing more is posted. */
  disposed = false;

  private activity: Promise<void> | null = null;
  private stopRequests = 0;
  private history: EpochResult[] = [];
  private lastSent = 0;
  private lastGates = 0;
  private lastCheckpointAt = 0;
  private lastBatchPost = 0;
  private bestLoss = Infinity;
  private epochEnds: number[] = [];
  private epochStartedAt = performance.now();
  private slowChecked: boolean;

  constructor(
    options: RunOptions,
    private readonly hooks: RunHooks,
  ) {
    this.id = options.id;
    this.config = options.config;
    this.dataset = options.dataset;
    this.trainer = options.trainer;
    this.state = options.paused ? 'paused' : 'running';
    this.maxEpochsPerSecond = options.maxEpochsPerSecond;
    this.gateSample = options.gateSample;
    this.slowChecked = options.slowOk;
  }

  /** True while the loop or a step works on the trainer. */
  get busy(): boolean {
    return this.activity !== null;
  }

  private post(msg: FromWorker): void {
    if (!this.disposed) this.hooks.post(msg);
  }

  /** Runs one piece of work on the trainer; a failure ends it and goes to the worker's hook. */
  private work(body: () => Promise<void>): Promise<void> {
    if (this.activity) return this.activity;
    const done = body()
      .catch((e: unknown) => {
        // Whoever stopped the loop (a switch, a failover, a new Start) owns what comes next.
        if (this.stopRequests > 0 || this.disposed) return;
        this.state = 'stopped';
        queueMicrotask(() => this.hooks.onError(this, e));
      })
      .finally(() => {
        this.activity = null;
      });
    this.activity = done;
    return done;
  }

  /** Starts the loop (a no-op while one already works). */
  startLoop(): void {
    this.epochStartedAt = performance.now();
    void this.work(() => this.loop());
  }

  /**
   * Ends the loop (after the current batch; a pause or stop first finishes a short epoch) and
   * waits until it has ended. The loop then announces nothing: the caller says what happens.
   */
  async stopLoop(): Promise<void> {
    this.stopRequests++;
    try {
      while (this.activity) await this.activity;
    } finally {
      this.stopRequests--;
    }
  }

  /** Swaps in a trainer on another engine (the loop must be stopped) and goes on from there. */
  replaceTrainer(trainer: Trainer, from: Checkpoint | null): void {
    this.trainer.dispose?.();
    this.trainer = trainer;
    this.checkpoint = from;
    this.epochEnds = [];
  }

  /** Ends the run for good: the loop stops, the trainer goes, nothing more is posted. */
  async dispose(): Promise<void> {
    this.state = 'stopped';
    await this.stopLoop();
    this.disposed = true;
    this.trainer.dispose?.();
  }

  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'paused';
    await this.stopLoop();
    await this.settle();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.stopLoop();
    await this.settle();
  }

  resume(): void {
    if (this.state !== 'paused' || this.busy) return;
    this.state = 'running';
    this.epochEnds = [];
    this.slowChecked = true; // a resume after the slow-epoch question means "train anyway"
    this.post({ type: 'state', runId: this.id, state: 'running' });
    this.startLoop();
  }

  /** Exactly one epoch while paused: the rest of the current one, or a whole one. */
  stepEpoch(): Promise<void> {
    if (this.state !== 'paused' || this.busy) return Promise.resolve();
    return this.work(async () => {
      for (;;) {
        const b = await this.trainer.stepBatch(false);
        if (b.epoch) {
          await this.afterEpoch(b.epoch, true);
          return;
        }
        await sleep(0);
      }
    });
  }

  /** One batch while paused. */
  stepBatch(): Promise<void> {
    if (this.state !== 'paused' || this.busy) return Promise.resolve();
    return this.work(async () => {
      const b = await this.trainer.stepBatch();
      if (!Number.isFinite(b.loss) && !b.epoch && !b.evaluating) {
        const kept = this.checkpoint?.epoch ?? 0;
        return this.post(batchLossFailure(this.id, b.loss, this.trainer.epoch, this.config, kept));
      }
      const goOn = b.epoch ? await this.afterEpoch(b.epoch, true) : true;
      if (goOn) await this.progress(true, { index: b.batch, count: b.batches, loss: b.loss });
    });
  }

  /** The gates of window `sample`, now and in every progress message from now on. */
  async recordGates(sample: number): Promise<void> {
    this.gateSample = sample;
    this.post({
      type: 'progress',
      runId: this.id,
      epoch: this.trainer.epoch,
      history: [],
      epochsPerSecond: 0,
      memory: null,
      gates: await this.hooks.gates(this.trainer, this.dataset, sample, this.state !== 'running'),
      ...this.kernels(),
    });
  }

  /** After the loop stopped for a pause or a stop: where the run stands, then its state. */
  async settle(): Promise<void> {
    if (this.switching || this.disposed) return;
    const b = this.trainer.batchInEpoch;
    const mid = b > 0 ? { index: b, count: this.trainer.batchesPerEpoch, loss: NaN } : null;
    await this.progress(true, mid);
    // At an epoch's end the page gets these very weights (the export names their epoch); in the
    // middle of a long epoch the last epoch-end checkpoint stays the model.
    if (!mid && this.checkpoint?.epoch !== this.trainer.epoch) await this.sendCheckpoint();
    this.post({
      type: 'state',
      runId: this.id,
      state: this.state === 'paused' ? 'paused' : 'stopped',
    });
  }

  /** Progress says when the run's batches are the fused WebGPU step, or why not (the badge). */
  private kernels(): Pick<ProgressMessage, 'kernels' | 'unfused'> {
    const s = this.trainer.stepper;
    if (s?.kind === 'fused-webgpu') return { kernels: 'fused' };
    return s?.unfused ? { unfused: { width: s.unfused.width, max: s.unfused.max } } : {};
  }

  private rate(): number {
    return this.state === 'running' ? epochRate(this.epochEnds, this.epochStartedAt) : 0;
  }

  private async progress(force = false, batch?: ProgressMessage['batch']): Promise<void> {
    const now = performance.now();
    if (!force && now - this.lastSent < PROGRESS_INTERVAL_MS) return;
    const msg: FromWorker = {
      type: 'progress',
      runId: this.id,
      epoch: this.trainer.epoch,
      history: this.history.splice(0),
      epochsPerSecond: this.rate(),
      memory: this.hooks.memory(),
      batch,
      ...this.kernels(),
    };
    if (this.gateSample !== null && (force || now - this.lastGates >= GATES_INTERVAL_MS)) {
      // At rest (pause, stop, the end) the gates also say what each one learned.
      const atRest = force && this.state !== 'running';
      msg.gates = await this.hooks.gates(this.trainer, this.dataset, this.gateSample, atRest);
      this.lastGates = now;
    }
    this.lastSent = now;
    this.post(msg);
  }

  private async sendCheckpoint(): Promise<void> {
    const { epoch, stateDict, predictions } = await takeCheckpoint(
      this.trainer,
      this.dataset.all.count,
    );
    this.checkpoint = { epoch, stateDict };
    this.lastCheckpointAt = performance.now();
    this.post({ type: 'checkpoint', runId: this.id, epoch, stateDict, predictions });
  }

  private async finish(): Promise<void> {
    this.state = 'stopped';
    await this.progress(true);
    const { epoch, stateDict, predictions } = await takeCheckpoint(
      this.trainer,
      this.dataset.all.count,
    );
    const evaluation = await this.trainer.evaluate();
    this.post({ type: 'finished', runId: this.id, epoch, evaluation, predictions });
    this.checkpoint = { epoch, stateDict };
    this.post({ type: 'checkpoint', runId: this.id, epoch, stateDict, predictions });
  }

  /** The checks after an epoch ends: NaN or a runaway loss, checkpoint, the end, progress. */
  private async afterEpoch(result: EpochResult, forceCheckpoint = false): Promise<boolean> {
    const finite = Number.isFinite(result.trainLoss) && Number.isFinite(result.testLoss);
    // The target is scaled to 0..1, so a training MSE above 1 that is also 100× the best so far
    // means the weights are running away (Adam's bounded steps rarely reach NaN by themselves).
    const diverged = finite && result.trainLoss > 1 && result.trainLoss > 100 * this.bestLoss;
    if (!finite || diverged) {
      this.failLoss(result, finite);
      return false;
    }
    this.bestLoss = Math.min(this.bestLoss, result.trainLoss);
    this.history.push(result);
    const now = performance.now();
    if (this.state === 'running') recordEpochEnd(this.epochEnds, now);
    if (result.epoch >= this.config.epochs) {
      await this.finish();
      return false;
    }
    const healthy = result.trainLoss <= 2 * this.bestLoss;
    const due = this.checkpoint === null || now - this.lastCheckpointAt >= CHECKPOINT_INTERVAL_MS;
    // A pause or stop that lands on this epoch's end keeps exactly these weights.
    if (forceCheckpoint || this.state !== 'running' || (healthy && due)) {
      await this.progress(true);
      await this.sendCheckpoint();
    } else {
      await this.progress();
    }
    return true;
  }

  private failLoss(result: EpochResult, finite: boolean): void {
    this.state = 'stopped';
    const keep = this.checkpoint;
    for (const msg of lossFailure(
      this.id,
      result,
      finite,
      this.config.learningRate,
      this.bestLoss,
      keep,
    ))
      this.post(msg);
  }

  /** Once, early in a run: an epoch over a minute here stops to ask (fewer rows, days, go on). */
  private checkSlow(): boolean {
    if (this.slowChecked) return false;
    const t = this.trainer;
    const seconds = slowEpochSeconds(t.batchInEpoch, this.sinceEpochStart(), t.batchesPerEpoch);
    if (seconds === undefined) return false;
    this.slowChecked = true;
    if (seconds === null) return false;
    this.state = 'paused';
    const rows = this.dataset.rows;
    this.post({
      type: 'slow',
      runId: this.id,
      secondsPerEpoch: seconds,
      batches: t.batchesPerEpoch,
      rows,
    });
    return true;
  }

  private sinceEpochStart(): number {
    return performance.now() - this.epochStartedAt;
  }

  /** Waits until the speed limit allows the next epoch, in slices so Pause and Stop stay quick. */
  private async throttle(): Promise<void> {
    for (;;) {
      const minMs = this.maxEpochsPerSecond ? 1000 / this.maxEpochsPerSecond : 0;
      const wait = this.epochStartedAt + minMs - performance.now();
      if (wait <= 0 || this.state !== 'running' || this.stopRequests > 0) return;
      await sleep(Math.min(wait, 50));
    }
  }

  /**
   * Whether the loop goes on: while running and nobody asked it to stop; after a pause or stop,
   * while the rest of a short epoch lasts (the run then stops on an epoch's end).
   */
  private keepGoing(): boolean {
    if (this.disposed) return false;
    if (this.state === 'running') return this.stopRequests === 0;
    if (this.switching) return false;
    const t = this.trainer;
    return shortRest(t.batchInEpoch, this.sinceEpochStart(), t.batchesPerEpoch);
  }

  private async loop(): Promise<void> {
    this.epochStartedAt = performance.now();
    let lastYield = performance.now();
    let selfStopped = false;
    while (this.keepGoing()) {
      const b = await this.trainer.stepBatch(false);
      if (b.epoch) {
        if (!(await this.afterEpoch(b.epoch))) return;
        await this.throttle();
        this.epochStartedAt = performance.now();
      } else {
        if (this.checkSlow()) {
          selfStopped = true;
          break;
        }
        const now = performance.now();
        if (now - this.lastBatchPost >= BATCH_PROGRESS_MS && b.batches > 1) {
          this.lastBatchPost = now;
          const perBatch = (now - this.epochStartedAt) / Math.max(1, b.batch);
          const eta = Math.round((perBatch * (b.batches - b.batch)) / 1000);
          await this.progress(true, { index: b.batch, count: b.batches, loss: b.loss, eta });
        }
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await sleep(0);
        lastYield = performance.now();
      }
    }
    // The loop stopped itself (the slow-epoch question): it says where it stands.
    if (selfStopped && this.stopRequests === 0) await this.settle();
  }
}
