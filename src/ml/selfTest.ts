import {
  dispose,
  getBackend,
  tensor,
  tidy,
  variableGrads,
  type Tensor1D,
  type Tensor3D,
} from '@tensorflow/tfjs-core';
import {
  lstmFromStateDict,
  wholeModelFromStateDict,
  type Nested,
  type StateDict,
} from '../core/index';
import { recurrenceKind, type RecurrenceKind } from './lstmLayer';
import { dispatchCount } from './webgpu/dispatchCount';
import { PyTorchAdam } from './adam';
import { createStepper, trainStep, type ModelStepper } from './train';
import {
  disposeModel,
  lstmSequence,
  modelLoss,
  tfModelFromCore,
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
  /** The recurrence that ran (so a test can tell the fused WebGPU kernels did). */
  recurrence: RecurrenceKind;
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
  const recurrence = recurrenceKind(x.shape[0], lstm.layers[0].hiddenSize);
  // Read asynchronously: one arraySync() on WebGPU breaks every later read on that device
  // ("A valid external Instance reference no longer exists").
  const hs = tidy(() => lstmSequence(model, x).hs);
  const steps = (await hs.array()) as number[][][];
  hs.dispose();
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
  return { output, loss, grads: gradSd, adamStateDict, recurrence };
}

export interface ModelSelfTestResult {
  /** The loss before each step. */
  losses: number[];
  /** ∂loss/∂weights of the first step, under the file's own names. */
  grads: StateDict;
  /** The weights after the last step, under the file's own names. */
  stateDict: StateDict;
  recurrence: RecurrenceKind;
  /** How the batches ran: the fused whole-batch WebGPU step, or autodiff + Adam. */
  step: ModelStepper['kind'];
  /** WebGPU: compute dispatches of one training step, the loss read included (else null). */
  dispatchesPerStep: number | null;
}

/** A whole model's check: its state_dict, a batch, targets (labels or values), Adam's steps. */
export interface ModelCase {
  stateDict: StateDict;
  input: Nested;
  targets: number[];
  lr: number;
  steps: number;
  /** false: train with autodiff even where the fused WebGPU step exists. */
  fusedStep?: boolean;
  /**
   * Which samples of `input` form the batch, in order (the Stock lab's shuffled mini-batch:
   * the fused step reads them through an index); all of them when absent.
   */
  index?: number[];
}

/**
 * Full-batch PyTorch-style Adam steps of a whole seed model (LSTM + head + loss) from its
 * state_dict on the active backend, as models_golden.json records them. Leaves no tensors behind.
 */
export async function runModelSelfTest({
  stateDict,
  input,
  targets,
  lr,
  steps,
  fusedStep = true,
  index,
}: ModelCase): Promise<ModelSelfTestResult> {
  const whole = wholeModelFromStateDict(stateDict, Float32Array);
  const model = tfModelFromCore(whole.model);
  const x = tensor(input as number[][][], undefined, 'float32') as Tensor3D;
  const [, T] = x.shape;
  const B = index?.length ?? x.shape[0];
  const stepper = createStepper(model, lr, { T, B }, { fused: fusedStep });
  const idx = index ? (tensor(index, [index.length], 'int32') as Tensor1D) : undefined;
  const y =
    whole.kind === 'digit'
      ? (tensor(targets, [targets.length], 'int32') as Tensor1D)
      : (tensor(targets, [targets.length], 'float32') as Tensor1D);
  const rename = (sd: StateDict) =>
    Object.fromEntries(whole.model.params.map((p, k) => [whole.names[k], sd[p.name]]));
  // The gradients of the first batch: autodiff's before it steps, the fused step's after.
  const twin = tfModelFromCore(whole.model);
  if (stepper.kind === 'autodiff') {
    const { value, grads } = variableGrads(() => modelLoss(model, x, y), model.variables);
    twin.variables.forEach((v, k) => v.assign(grads[model.variables[k].name]));
    dispose([value, ...Object.values(grads)]);
  }
  const losses: number[] = [];
  let dispatchesPerStep: number | null = null;
  for (let s = 0; s < steps; s++) {
    // The second step is counted: the first one also uploads and compiles.
    const before = dispatchCount();
    const loss = stepper.step(x, y, idx);
    losses.push((await loss.data())[0]);
    if (s === 1 && getBackend() === 'webgpu') dispatchesPerStep = dispatchCount() - before;
    loss.dispose();
    if (s === 0) stepper.gradientsInto?.(twin);
  }
  const grads = rename(await tfModelToStateDict(twin));
  disposeModel(twin);
  stepper.sync();
  const named = rename(await tfModelToStateDict(model));
  const recurrence = recurrenceKind(x.shape[0], whole.model.hiddenSize);
  x.dispose();
  y.dispose();
  idx?.dispose();
  stepper.dispose();
  disposeModel(model);
  return { losses, grads, stateDict: named, recurrence, step: stepper.kind, dispatchesPerStep };
}
