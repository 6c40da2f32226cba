import {
  gather,
  tidy,
  variableGrads,
  type Scalar,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import { PyTorchAdam } from './adam';
import { modelLoss, type TfModel } from './tfLstm';
import type { ModelStepper } from './stepper';
import { FusedWebGpuStep } from './webgpu/fusedStep';
import { wideHeadRefusal } from './webgpu/layout';
import { fusedWebGpuEnabled } from './webgpu/recurrence';

export type { ModelStepper } from './stepper';

/**
 * One optimisation step inside tf.tidy: loss, gradients of every variable, one Adam update.
 * Returns the loss tensor (the caller reads it and disposes it), nothing else survives.
 */
export function trainStep(
  model: TfModel,
  optimizer: PyTorchAdam,
  x: Tensor3D,
  y: Tensor1D | null,
): Scalar {
  return tidy(() => {
    const { value, grads } = variableGrads(() => modelLoss(model, x, y), model.variables);
    optimizer.apply(grads);
    return value;
  });
}

class AutodiffStepper implements ModelStepper {
  readonly kind = 'autodiff';
  private readonly optimizer: PyTorchAdam;
  constructor(
    private readonly model: TfModel,
    lr: number,
    betas: [number, number],
    eps: number,
    readonly unfused?: { width: number; max: number },
  ) {
    this.optimizer = new PyTorchAdam(model.variables, lr, betas[0], betas[1], eps);
  }
  get lr(): number {
    return this.optimizer.lr;
  }
  set lr(v: number) {
    this.optimizer.lr = v;
  }
  step(x: Tensor3D, y: Tensor1D, idx?: Tensor1D): Scalar {
    if (!idx) return trainStep(this.model, this.optimizer, x, y);
    return tidy(() => trainStep(this.model, this.optimizer, gather(x, idx), gather(y, idx)));
  }
  sync(): void {}
  dispose(): void {
    this.optimizer.dispose();
  }
}

export interface StepperOptions {
  betas?: [number, number];
  eps?: number;
  /** false: autodiff even where the fused step exists (tests compare the two). */
  fused?: boolean;
}

/**
 * The stepper for a model trained on sequences of `T` steps in batches of at most `B` samples on
 * the active backend (the model's variables must hold its starting weights).
 */
export function createStepper(
  model: TfModel,
  lr: number,
  shape: { T: number; B: number },
  { betas = [0.9, 0.999], eps = 1e-8, fused = true }: StepperOptions = {},
): ModelStepper {
  if (fused && FusedWebGpuStep.available(model, shape.T, shape.B))
    return new FusedWebGpuStep(model, lr, betas[0], betas[1], eps);
  // On WebGPU a model falls back only for a head too wide for the fused program: say why.
  const wide = fused && fusedWebGpuEnabled() ? wideHeadRefusal(model) : null;
  return new AutodiffStepper(model, lr, betas, eps, wide ?? undefined);
}
