import { Adam } from './adam';
import { createDense, type Dense } from './dense';
import { lstmParams } from './lstm';
import {
  classifierLogitsAndLoss,
  regressorLossAndGrad,
  type LstmClassifier,
  type LstmRegressor,
} from './models';
import { zeroGrads, type Param } from './params';
import { canonicalStateDict, lstmFromStateDict, type StateDict } from './stateDict';
import { flatten, toNested, type FloatArrayCtor, type Nested } from './tensor';
import type { SequenceBatch } from './lstm';

/**
 * Whole PyTorch models as the seed notes write them, read from their own state_dicts:
 *  - digit: the notes' hand-written LSTMCell (`lstm.x2h.*`, `lstm.h2h.*`) or any nn.LSTM/LSTMCell,
 *    then `fc` on the last h → class logits (CrossEntropyLoss);
 *  - stock: nn.LSTM (`lstm.weight_ih_l0` …) → h_n of the top layer → ReLU → `fc_1` → ReLU → `fc`
 *    (MSELoss).
 * The kind is read from the keys (a `fc_1` layer makes it a stock model).
 */

export type WholeModelKind = 'digit' | 'stock';

export interface WholeModel {
  kind: WholeModelKind;
  model: LstmRegressor | LstmClassifier;
  /** The file's own name for each parameter (same order as model.params). */
  names: string[];
}

function denseFrom(
  dict: Record<string, unknown>,
  name: string,
  ctor: FloatArrayCtor,
  inSize: number,
): Dense {
  const read = (key: string) => {
    if (!(key in dict)) throw new Error(`the state_dict is missing "${key}"`);
    return flatten(dict[key], ctor, `"${key}"`);
  };
  const w = read(`${name}.weight`);
  const b = read(`${name}.bias`);
  if (w.shape.length !== 2 || w.shape[1] !== inSize) {
    throw new Error(
      `"${name}.weight" has shape [${w.shape.join(', ')}] but [out, ${inSize}] was expected`,
    );
  }
  if (b.shape.length !== 1 || b.shape[0] !== w.shape[0]) {
    throw new Error(
      `"${name}.bias" has shape [${b.shape.join(', ')}] but [${w.shape[0]}] was expected`,
    );
  }
  const d = createDense(name, inSize, w.shape[0], ctor);
  d.weight.value.set(w.data);
  d.bias.value.set(b.data);
  return d;
}

/**
 * Builds the seed's digit or stock model from a whole model's state_dict. Shapes, values and
 * missing keys are each reported as one sentence.
 */
export function wholeModelFromStateDict(
  sd: unknown,
  ctor: FloatArrayCtor = Float64Array,
): WholeModel {
  const { dict, original } = canonicalStateDict(sd);
  const lstm = lstmFromStateDict(sd, ctor);
  const lstmName = lstm.layers[0].weightIh.name;
  // "lstm.weight_ih_l0" → module "lstm." → the model's own prefix "" (heads sit beside the LSTM).
  const lstmPrefix = lstmName.slice(0, lstmName.lastIndexOf('weight_ih'));
  const outer = lstmPrefix.replace(/[^.]*\.$/, '');
  const H = lstm.layers[0].hiddenSize;
  const shape = {
    inputSize: lstm.layers[0].inputSize,
    hiddenSize: H,
    numLayers: lstm.layers.length,
  };
  let model: LstmRegressor | LstmClassifier;
  if (`${outer}fc_1.weight` in dict) {
    const fc1 = denseFrom(dict, `${outer}fc_1`, ctor, H);
    const fc = denseFrom(dict, `${outer}fc`, ctor, fc1.outSize);
    if (fc.outSize !== 1) {
      throw new Error(`"${outer}fc.weight" must have 1 row (one prediction); it has ${fc.outSize}`);
    }
    model = {
      kind: 'regressor',
      ...shape,
      lstm,
      fc1,
      fc,
      params: [...lstmParams(lstm), fc1.weight, fc1.bias, fc.weight, fc.bias],
    };
  } else if (`${outer}fc.weight` in dict) {
    const fc = denseFrom(dict, `${outer}fc`, ctor, H);
    model = {
      kind: 'classifier',
      ...shape,
      classes: fc.outSize,
      lstm,
      fc,
      params: [...lstmParams(lstm), fc.weight, fc.bias],
    };
  } else {
    throw new Error(
      `the state_dict has no head: expected "${outer}fc.weight" (a digit model) or "${outer}fc_1.weight" and "${outer}fc.weight" (a stock model)`,
    );
  }
  return {
    kind: model.kind === 'regressor' ? 'stock' : 'digit',
    model,
    names: model.params.map((p) => original.get(p.name) ?? p.name),
  };
}

/** Copies a model's parameters into another of the same architecture (names may differ). */
export function copyParams(from: readonly Param[], to: readonly Param[]): void {
  if (from.length !== to.length) {
    throw new Error(`the model has ${from.length} parameters but ${to.length} were expected`);
  }
  from.forEach((p, k) => {
    const q = to[k];
    if (p.value.length !== q.value.length) {
      throw new Error(
        `"${p.name}" has shape [${p.shape.join(', ')}] but [${q.shape.join(', ')}] was expected`,
      );
    }
    q.value.set(p.value);
  });
}

/** Targets as the CLI takes them: class labels for a digit model, [[y], …] for a stock model. */
export function readTargets(kind: WholeModelKind, y: unknown, batch: number): number[] {
  const { data, shape } = flatten(y, Float64Array, 'the target');
  if (kind === 'digit') {
    if (shape.length !== 1 || shape[0] !== batch) {
      throw new Error(`the target must be ${batch} class labels; got shape [${shape.join(', ')}]`);
    }
    data.forEach((v) => {
      if (!Number.isInteger(v) || v < 0) throw new Error(`class label ${v} is not a whole number`);
    });
    return Array.from(data);
  }
  const ok = (shape.length === 2 && shape[1] === 1) || shape.length === 1;
  if (!ok || shape[0] !== batch) {
    throw new Error(`the target must be [[y], …] with ${batch} rows; got [${shape.join(', ')}]`);
  }
  return Array.from(data);
}

export interface WholeModelPass {
  /** Logits [B][classes] (digit) or predictions [B][1] (stock). */
  output: Nested;
  loss: number;
}

/** Forward, loss (mean over the batch, as PyTorch) and gradients added to every param. */
export function wholeModelLossAndGrad(
  m: WholeModel,
  x: SequenceBatch,
  targets: readonly number[],
): WholeModelPass {
  if (m.model.kind === 'regressor') {
    const { loss, pred } = regressorLossAndGrad(m.model, x, targets);
    return { output: toNested(pred, [x.batch, 1]), loss };
  }
  const classes = m.model.classes;
  targets.forEach((t) => {
    if (t >= classes) throw new Error(`class label ${t} is outside 0…${classes - 1}`);
  });
  const { loss, logits } = classifierLogitsAndLoss(m.model, x, targets);
  return { output: toNested(logits, [x.batch, classes]), loss };
}

/** Every parameter's gradient under the file's own names. */
export function namedGrads(m: WholeModel): Record<string, Nested> {
  return Object.fromEntries(m.model.params.map((p, k) => [m.names[k], toNested(p.grad, p.shape)]));
}

export function namedStateDict(m: WholeModel): StateDict {
  return Object.fromEntries(m.model.params.map((p, k) => [m.names[k], toNested(p.value, p.shape)]));
}

/** Full-batch torch.optim.Adam steps; the loss before each step (as a PyTorch loop logs it). */
export function wholeModelAdam(
  m: WholeModel,
  x: SequenceBatch,
  targets: readonly number[],
  steps: number,
  lr: number,
): number[] {
  const adam = new Adam(m.model.params, { lr });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    zeroGrads(m.model.params);
    losses.push(wholeModelLossAndGrad(m, x, targets).loss);
    adam.update();
  }
  return losses;
}
