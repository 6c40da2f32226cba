import {
  tidy,
  variableGrads,
  type Scalar,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import type { PyTorchAdam } from './adam';
import { modelLoss, type TfModel } from './tfLstm';

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
