import { tensor, tidy, variableGrads, type Tensor3D } from '@tensorflow/tfjs-core';
import { lstmFromStateDict, type Nested, type StateDict } from '../core/index';
import { PyTorchAdam } from './adam';
import { trainStep } from './train';
import {
  disposeModel,
  lstmSequence,
  modelLoss,
  tfModelFromLstm,
  tfModelToStateDict,
} from './tfLstm';

export interface SelfTestResult {
  /** Top-layer h for every step, [b][t][H]. */
  output: Nested;
  /** Σ outputs. */
  loss: number;
  /** ∂loss/∂weights in PyTorch's layout. */
  grads: StateDict;
  /** Weights after one PyTorch-style Adam step. */
  adamStateDict: StateDict;
}

/**
 * Runs a PyTorch state_dict through the tfjs LSTM on the active backend: forward, gradients of
 * Σ outputs, and one Adam step, all returned in PyTorch's layout for comparison with golden
 * values. Leaves no tensors behind.
 */
export async function runSelfTest(
  stateDict: StateDict,
  input: Nested,
  adam: { lr: number; betas: [number, number]; eps: number },
): Promise<SelfTestResult> {
  const lstm = lstmFromStateDict(stateDict, Float32Array);
  const model = tfModelFromLstm(lstm);
  const x = tensor(input as number[][][], undefined, 'float32') as Tensor3D;
  // Read asynchronously: one arraySync() on WebGPU breaks every later read on that device
  // ("A valid external Instance reference no longer exists").
  const outs = tidy(() => lstmSequence(model, x).outputs);
  const steps = (await Promise.all(outs.map((h) => h.array()))) as number[][][];
  outs.forEach((h) => h.dispose());
  const output = (input as unknown[]).map((_, b) => steps.map((step) => step[b]));

  const { value, grads } = variableGrads(() => modelLoss(model, x, null), model.variables);
  const loss = (await value.data())[0];
  // A twin whose weights are the gradients reads them back through the same conversion.
  const twin = tfModelFromLstm(lstm);
  twin.variables.forEach((v, k) => v.assign(grads[model.variables[k].name]));
  const gradSd = await tfModelToStateDict(twin);
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  disposeModel(twin);

  const optimizer = new PyTorchAdam(
    model.variables,
    adam.lr,
    adam.betas[0],
    adam.betas[1],
    adam.eps,
  );
  trainStep(model, optimizer, x, null).dispose();
  const adamStateDict = await tfModelToStateDict(model);
  optimizer.dispose();
  disposeModel(model);
  x.dispose();
  return { output, loss, grads: gradSd, adamStateDict };
}
