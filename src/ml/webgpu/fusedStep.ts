import {
  concat,
  dispose,
  engine,
  keep,
  reshape,
  slice,
  tensor1d,
  tidy,
  transpose,
  zeros,
  type Scalar,
  type Tensor,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import type { TfModel } from '../tfLstm';
import type { ModelStepper } from '../stepper';
import { backwardProgram } from './backward';
import { forwardProgram } from './forward';
import type { GateSteps } from './gateSteps';
import { headProgram } from './head';
import { stepShape, type StepShape } from './layout';
import { run, runInto, webgpu } from './program';
import { fusedWebGpuEnabled } from './recurrence';
import { updateProgram } from './update';

/**
 * A whole training batch of the seed models on WebGPU in 3L + 2 dispatches for L layers (L
 * forward, 1 head, L backward, L update, 1 slice: 5 for the one-layer models), where tfjs's
 * autodiff needs ~140 even with the fused recurrence:
 *
 *   forward   one program per layer: input projection, gates, c and h for every step (the
 *             recurrence of recurrence.ts with x·W_ihᵀ folded in; layer 0 reads the batch's
 *             rows of the whole training set through an index, so no gather either)
 *   head      one program, samples spread over workgroups: the head's forward and backward, each
 *             sample's loss term and ∂L/∂h of the last step
 *   backward  one program per layer: dz for every step, and ∂L/∂x for the layer below
 *   update    one program per layer: every parameter's gradient (one sum over steps and
 *             samples per element; the top layer's also the head's and the loss) and PyTorch's
 *             Adam update, over one flat buffer of parameters, m and v
 *   (+1 slice to hand the loss back as a tensor)
 *
 * The parameters live in that flat buffer while training; `sync()` writes them back into the
 * model's variables (predictions, checkpoints), `load()` reads them in. Gate order i, f, g, o and
 * PyTorch's equations, checked against the goldens on WebGPU (e2e/engine.spec.ts).
 */

/** The programs of one (T, B): built once, reused by every batch of that shape. */
interface Programs {
  s: StepShape;
  forward: ReturnType<typeof forwardProgram>[];
  head: ReturnType<typeof headProgram>;
  backward: ReturnType<typeof backwardProgram>[];
  update: ReturnType<typeof updateProgram>[];
}

/**
 * Trains a regressor or classifier on WebGPU one batch per `step`, PyTorch's Adam included.
 * createStepper (train.ts) checks `FusedWebGpuStep.available` first.
 */
export class FusedWebGpuStep implements ModelStepper {
  readonly kind = 'fused-webgpu';
  /** [parameters, m, v, last gradients] (Np each), then the last loss; see load(). */
  private state: Tensor1D;
  private steps = 0;
  private dirty = false;
  private readonly iota = new Map<number, Tensor1D>();
  private readonly programs = new Map<string, Programs | null>();
  /** The hidden size of each LSTM weight or bias variable (stored unit-major, see load). */
  private readonly lstmUnits = new Map<Tensor, number>();
  private readonly Np: number;

  static available(model: TfModel, T: number, B: number): boolean {
    return fusedWebGpuEnabled() && stepShape(model, T, B) != null;
  }

  constructor(
    readonly model: TfModel,
    public lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    for (const l of model.layers) {
      for (const v of [l.wIh, l.wHh, l.biasIh, l.biasHh]) this.lstmUnits.set(v, l.hiddenSize);
    }
    this.state = this.load();
    this.Np = (this.state.size - 4) / 4;
  }

  /**
   * Reads the model's variables into a fresh buffer with zero m and v. The LSTM's weights and
   * biases are stored unit-major, [rows, H, 4] instead of tfjs's [rows, 4, H], so that a unit's
   * four gates are one vec4; the head's as they are.
   */
  private load(): Tensor1D {
    return keep(
      tidy(() => {
        const flat = this.model.variables.map((v) => {
          const H = this.lstmUnits.get(v);
          if (H == null) return reshape(v, [v.size]);
          const rows = v.size / (4 * H);
          return reshape(transpose(reshape(v, [rows, 4, H]), [0, 2, 1]), [v.size]);
        });
        const N = flat.reduce((a, t) => a + t.size, 0);
        const Np = Math.ceil(N / 4) * 4;
        // [parameters, m, v, gradients] of Np each, then the last loss (and padding).
        return concat([...flat, zeros([Np - N + 3 * Np + 4])]) as Tensor1D;
      }),
    );
  }

  /**
   * One batch: x [n, T, F] holds the samples (the whole training set, or just this batch), `idx`
   * (int32 [B]) says which rows form the batch (all of x when omitted), y [n] their targets or
   * labels. Returns the batch's loss (the caller reads and disposes it).
   */
  step(x: Tensor3D, y: Tensor1D, idx?: Tensor1D): Scalar {
    const rows = idx ?? this.identity(x.shape[0]);
    const p = this.programsFor(x.shape[1], rows.shape[0]);
    const { s } = p;
    const planes = this.forward(p, x, rows);
    const hd = run(p.head, [planes[planes.length - 1], this.state, y, rows]);
    const dz: Tensor[] = new Array(s.layers.length);
    for (let l = s.layers.length - 1; l >= 0; l--) {
      const dy = l === s.layers.length - 1 ? hd : dz[l + 1];
      dz[l] = run(p.backward[l], [dy, planes[l], this.state]);
    }
    this.steps++;
    const uniforms = [
      { type: 'float32' as const, data: [this.lr / (1 - this.beta1 ** this.steps)] },
      { type: 'float32' as const, data: [Math.sqrt(1 - this.beta2 ** this.steps)] },
    ];
    // Every layer's update writes its own slice of one new state buffer.
    const next = webgpu().makeTensorInfo([4 * s.Np + 4], 'float32');
    p.update.forEach((update, l) => {
      const byName: Record<string, Tensor> = {
        X: x,
        IDX: rows,
        PREV: planes[l - 1],
        P: planes[l],
        D: dz[l],
        S: this.state,
        HD: hd,
      };
      const inputs = update.names.map((n) => byName[n]);
      runInto(update.prog, inputs, uniforms, next);
    });
    dispose([this.state, hd, ...planes, ...dz]);
    this.state = keep(engine().makeTensorFromTensorInfo(next) as Tensor1D);
    const loss = tidy(() => reshape(slice(this.state, [4 * s.Np], [1]), []) as Scalar);
    this.dirty = true;
    return loss;
  }

  /** The programs for sequences of T steps in batches of B (built on first use). */
  private programsFor(T: number, B: number): Programs {
    const key = `${T}_${B}`;
    if (!this.programs.has(key)) {
      const s = stepShape(this.model, T, B);
      const adam = { beta1: this.beta1, beta2: this.beta2, eps: this.eps };
      this.programs.set(
        key,
        s && {
          s,
          forward: s.layers.map((_, l) => forwardProgram(s, l)),
          head: headProgram(s),
          backward: s.layers.map((_, l) => backwardProgram(s, l)),
          update: s.layers.map((_, l) => updateProgram(s, l, adam)),
        },
      );
    }
    const p = this.programs.get(key);
    if (!p) throw new Error('No fused WebGPU step for this model');
    return p;
  }

  /** Every layer's planes [6, T, B, H] (h, c, i, f, g, o) for the batch's rows of x. */
  private forward(p: Programs, x: Tensor3D, rows: Tensor1D): Tensor[] {
    const planes: Tensor[] = [];
    p.forward.forEach((prog, l) => {
      planes.push(run(prog, l === 0 ? [x, rows, this.state] : [planes[l - 1], this.state]));
    });
    return planes;
  }

  /**
   * The forward of one window x [1, T, F] with the weights being trained, as the training batches
   * run it: per layer, per step, the gates i, f, g, o and c, h of every unit (what the gate strip
   * shows of a WebGPU run).
   */
  async gates(x: Tensor3D): Promise<GateSteps> {
    const p = this.programsFor(x.shape[1], 1);
    const planes = this.forward(p, x, this.identity(1));
    const data = await Promise.all(planes.map((t) => t.data()));
    dispose(planes);
    const T = p.s.T;
    // Planes [6, T, 1, H]: h, c, i, f, g, o.
    return Array.from({ length: T }, (_, t) =>
      p.s.layers.map(({ H }, l) => {
        const plane = (k: number) =>
          Array.from(data[l].subarray((k * T + t) * H, (k * T + t + 1) * H));
        return { h: plane(0), c: plane(1), i: plane(2), f: plane(3), g: plane(4), o: plane(5) };
      }),
    );
  }

  private identity(n: number): Tensor1D {
    let t = this.iota.get(n);
    if (!t) {
      t = keep(
        tensor1d(
          Int32Array.from({ length: n }, (_, k) => k),
          'int32',
        ),
      );
      this.iota.set(n, t);
    }
    return t;
  }

  /** Writes the trained parameters into the model's variables (before predicting or saving). */
  sync(): void {
    if (!this.dirty) return;
    this.copyInto(this.model, 0);
    this.dirty = false;
  }

  /** Writes the last batch's gradients into the variables of a model of the same shape. */
  gradientsInto(twin: TfModel): void {
    this.copyInto(twin, 3 * this.Np);
  }

  /** Reads one part of the state back into a model's variables, undoing load()'s layout. */
  private copyInto(model: TfModel, from: number): void {
    tidy(() => {
      let off = from;
      model.variables.forEach((v, k) => {
        const H = this.lstmUnits.get(this.model.variables[k]);
        const part = slice(this.state, [off], [v.size]);
        const rows = H == null ? 0 : v.size / (4 * H);
        v.assign(
          H == null
            ? reshape(part, v.shape)
            : reshape(transpose(reshape(part, [rows, H, 4]), [0, 2, 1]), v.shape),
        );
        off += v.size;
      });
    });
  }

  dispose(): void {
    dispose([this.state, ...this.iota.values()]);
    this.iota.clear();
  }
}
