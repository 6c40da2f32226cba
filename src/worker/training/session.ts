import {
  RegressionTrainer,
  type Checkpoint,
  type StockConfig,
  type StockDataset,
} from '../../core/index';
import { TfRegressionTrainer } from '../../ml/regressionTrainer';
import { AutoChooser, syncProbe, type ProbeTarget } from '../engineChoice';
import {
  activateEngine,
  gpuFacts,
  onDeviceError,
  onDeviceLost,
  selectEngine,
  tfMemory,
} from '../engines';
import type { EngineChoice, EngineName, EngineReport, FromWorker } from '../protocol';
import type { TrainingRun } from './run';
import { sleep, type Trainer } from './trainer';

/** A trainer of this model on one engine. */
export function makeTrainer(
  dataset: StockDataset,
  config: StockConfig,
  engine: EngineName,
  resumeFrom?: Checkpoint,
): Trainer {
  return engine === 'core'
    ? // float32, as on every tfjs engine: the speed the bench measures (the explorer, the CLI
      // and the golden tests keep float64).
      new RegressionTrainer(dataset, config, Float32Array, resumeFrom)
    : new TfRegressionTrainer(dataset, config, resumeFrom);
}

/** A fresh trainer of this model on one engine, as Auto's probe drives it. */
function stockProbe(dataset: StockDataset, config: StockConfig) {
  return (engine: EngineName): ProbeTarget => {
    const t = makeTrainer(dataset, { ...config, epochs: 1 }, engine);
    if (t instanceof RegressionTrainer) return syncProbe(() => t.stepBatch().loss);
    const tf = t as TfRegressionTrainer;
    return {
      step: () => tf.stepBatch(false),
      lastLoss: () => tf.lastBatchLoss(),
      dispose: () => tf.dispose(),
    };
  };
}

/**
 * The worker's engine: which one is chosen (Auto or forced), which ones broke, and moving the
 * run to the next one when its engine fails (a lost device, an uncaught GPU error, a failing
 * step). One selection at a time: concurrent setBackend calls make each other fail.
 */
export class EngineSession {
  report: EngineReport | null = null;
  choice: EngineChoice = 'auto';
  private readonly broken: EngineName[] = [];
  /** Set when the WebGPU device is gone (its `lost` promise resolved). */
  private deviceLost = false;
  private selecting: Promise<EngineReport> | null = null;
  private readonly auto = new AutoChooser({ facts: gpuFacts, activate: activateEngine });

  constructor(
    private readonly post: (msg: FromWorker) => void,
    /** The run now training, if any (the one a failover moves). */
    private readonly currentRun: () => TrainingRun | null,
  ) {}

  memory(): { numTensors: number; numBytes: number } | null {
    return this.report?.engine === 'core' ? null : tfMemory();
  }

  /** Waits for a selection under way (before the choice changes). */
  async settled(): Promise<void> {
    await this.selecting;
  }

  async ensure(runId: number): Promise<EngineReport> {
    if (this.report) return this.report;
    this.selecting ??= selectEngine(this.choice, this.broken).then((r) => {
      this.report = r;
      this.selecting = null;
      // A new engine: an earlier device loss says nothing about it.
      this.deviceLost = false;
      if (r.engine === 'webgpu') {
        onDeviceLost((message) => {
          this.deviceLost = true;
          void this.failover(`WebGPU device lost: ${message}`, 'webgpu');
        });
        onDeviceError((message) => void this.failover(`WebGPU error: ${message}`, 'webgpu'));
      }
      this.post({ type: 'ready', runId, report: r });
      return r;
    });
    return this.selecting;
  }

  /** The engine for this model: the one chosen, or under Auto the fastest measured on it. */
  async engineFor(runId: number, dataset: StockDataset, config: StockConfig): Promise<EngineName> {
    await this.ensure(runId);
    if (this.choice === 'auto') {
      const key = [
        dataset.train.count,
        config.seqLen,
        dataset.features.length,
        config.hiddenSize,
        config.numLayers,
        config.headSize,
        config.batchSize,
      ].join('x');
      this.report = await this.auto.choose({
        key,
        probe: stockProbe(dataset, config),
        broken: this.broken,
      });
      this.post({ type: 'ready', runId, report: this.report });
    }
    return this.report!.engine;
  }

  /**
   * Moves a run to the engine now chosen (the user changed it during the run): the loop stops,
   * the weights are read asynchronously (a synchronous read breaks WebGPU), and training goes
   * on from them, so the badge names the engine that really trains.
   */
  async moveRun(r: TrainingRun): Promise<void> {
    const wasRunning = r.state === 'running';
    r.switching = true;
    await r.stopLoop();
    const from = { epoch: r.trainer.epoch, stateDict: await r.trainer.stateDict() };
    const engine = await this.engineFor(r.id, r.dataset, r.config);
    r.replaceTrainer(makeTrainer(r.dataset, r.config, engine, from), from);
    await this.resumeAfterMove(r, wasRunning);
  }

  private async resumeAfterMove(r: TrainingRun, running: boolean): Promise<void> {
    r.switching = false;
    if (this.currentRun() !== r) return;
    if (r.wanted) {
      r.state = r.wanted;
      r.wanted = null;
      await r.settle();
    } else if (running) {
      r.state = 'running';
      r.startLoop();
    } else {
      await r.settle();
    }
  }

  /** A run's loop failed: a tfjs engine is left for the next one; the core's failure is final. */
  async loopFailed(r: { readonly id: number }, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    const engine = this.report?.engine;
    if (engine && engine !== 'core') {
      // A lost GPU device first shows up as failing GPU calls; let its own event say so.
      if (engine === 'webgpu') await sleep(100);
      // Its own event has moved the run to the next engine already.
      if (engine === 'webgpu' && this.deviceLost && this.report?.engine !== 'webgpu') return;
      await this.failover(`${engine} failed: ${message.split('\n')[0]}`, engine);
      return;
    }
    this.post({ type: 'failed', runId: r.id, kind: 'internal', message, recoverable: false });
  }

  /**
   * The engine broke: mark it, stop the run's loop (and wait for it), then go on from the last
   * checkpoint on the next engine. Once per loss: a device loss can also surface as a failed
   * step, and vice versa.
   */
  async failover(reason: string, engine: EngineName): Promise<void> {
    if (!this.report || this.report.engine !== engine) return;
    this.broken.push(engine);
    this.report = null;
    const r = this.currentRun();
    if (!r) return;
    const from = r.checkpoint;
    this.post({
      type: 'failed',
      runId: r.id,
      kind: 'engine',
      message: `${reason}. Restarting on the next engine${from ? ` from epoch ${from.epoch}` : ''}.`,
      // Where the run stands once it goes on: the page shows that epoch, not the lost ones.
      params: { fromEpoch: from?.epoch ?? 0 },
      recoverable: true,
    });
    r.switching = true;
    await r.stopLoop();
    const next = await this.ensure(r.id);
    r.replaceTrainer(makeTrainer(r.dataset, r.config, next.engine, from ?? undefined), from);
    await this.resumeAfterMove(r, true);
  }
}
