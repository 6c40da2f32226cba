import type { Param } from './params';
import type { FloatArray } from './tensor';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * Adam in PyTorch's exact form (torch.optim.Adam, amsgrad=False):
 *   m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²
 *   p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε)
 */
export class Adam {
  /** Mutable so a schedule can lower it between epochs. */
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private step = 0;
  private readonly m: FloatArray[];
  private readonly v: FloatArray[];

  constructor(
    private readonly params: readonly Param[],
    opts: AdamOptions,
  ) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.m = params.map(
      (p) => new (p.value.constructor as new (n: number) => FloatArray)(p.value.length),
    );
    this.v = params.map(
      (p) => new (p.value.constructor as new (n: number) => FloatArray)(p.value.length),
    );
  }

  get stepCount(): number {
    return this.step;
  }

  update(): void {
    this.step++;
    const { beta1, beta2, eps, lr, weightDecay } = this;
    const bc1 = 1 - Math.pow(beta1, this.step);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, this.step));
    const stepSize = lr / bc1;
    this.params.forEach((p, idx) => {
      const m = this.m[idx];
      const v = this.v[idx];
      const w = p.value;
      const g = p.grad;
      for (let j = 0; j < w.length; j++) {
        const gj = weightDecay !== 0 ? g[j] + weightDecay * w[j] : g[j];
        m[j] = beta1 * m[j] + (1 - beta1) * gj;
        v[j] = beta2 * v[j] + (1 - beta2) * gj * gj;
        w[j] -= (stepSize * m[j]) / (Math.sqrt(v[j]) / bc2Sqrt + eps);
      }
    });
  }
}
