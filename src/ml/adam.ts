import {
  add,
  div,
  dispose,
  mul,
  scalar,
  sqrt,
  square,
  sub,
  tidy,
  variable,
  zerosLike,
  type NamedTensorMap,
  type Variable,
} from '@tensorflow/tfjs-core';

/**
 * Adam with PyTorch's update, p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε). tfjs's own Adam
 * adds ε to √v before the bias correction, which differs from PyTorch where gradients are
 * tiny; this one agrees with the core and with torch.optim.Adam on every backend.
 */
export class PyTorchAdam {
  private readonly m: Variable[];
  private readonly v: Variable[];
  private step = 0;

  constructor(
    private readonly params: readonly Variable[],
    public lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = params.map((p) => tidy(() => variable(zerosLike(p), false)));
    this.v = params.map((p) => tidy(() => variable(zerosLike(p), false)));
  }

  /** Applies one update from gradients keyed by variable name (as variableGrads returns them). */
  apply(grads: NamedTensorMap): void {
    this.step++;
    const stepSize = this.lr / (1 - this.beta1 ** this.step);
    const bc2Sqrt = Math.sqrt(1 - this.beta2 ** this.step);
    tidy(() => {
      const b1 = scalar(this.beta1);
      const b2 = scalar(this.beta2);
      const c1 = scalar(1 - this.beta1);
      const c2 = scalar(1 - this.beta2);
      const bc2 = scalar(bc2Sqrt);
      const eps = scalar(this.eps);
      const size = scalar(stepSize);
      this.params.forEach((p, k) => {
        const g = grads[p.name];
        if (!g) return;
        const m = add(mul(this.m[k], b1), mul(g, c1));
        const v = add(mul(this.v[k], b2), mul(square(g), c2));
        this.m[k].assign(m);
        this.v[k].assign(v);
        p.assign(sub(p, mul(size, div(m, add(div(sqrt(v), bc2), eps)))));
      });
    });
  }

  dispose(): void {
    dispose([...this.m, ...this.v]);
  }
}
