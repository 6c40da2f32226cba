import {
  Adam,
  createClassifier,
  createLstm,
  createRegressor,
  namedGrads,
  namedStateDict,
  wholeModelAdam,
  wholeModelFromStateDict,
  wholeModelLossAndGrad,
  createRng,
  flatten,
  initLstmUniform,
  lstmBackward,
  lstmForward,
  lstmOutput,
  lstmParams,
  lstmFromStateDict,
  lstmToStateDict,
  toNested,
  zeroGrads,
  type Nested,
  type StateDict,
} from '../core/index';
import type { ModelCase } from '../ml/selfTest';

/**
 * Reference values for LSTM shapes the golden file does not cover, from the float64 core (which
 * matches PyTorch to 1e-9 on the goldens): forward, ∂Σoutputs/∂weights and one Adam step — the
 * same quantities the engines' self-test reports, in PyTorch's layout.
 */
export interface LstmCase {
  stateDict: StateDict;
  input: Nested;
  adam: { lr: number; betas: [number, number]; eps: number };
}

/** Shapes beyond the golden file: wide, deep, batches that do not divide into WebGPU workgroups. */
export const EXTRA_SHAPES = [
  { inputSize: 6, hiddenSize: 40, numLayers: 1, batch: 7, time: 5, seed: 11 },
  { inputSize: 4, hiddenSize: 3, numLayers: 3, batch: 90, time: 3, seed: 12 },
  { inputSize: 2, hiddenSize: 64, numLayers: 2, batch: 9, time: 3, seed: 13 },
];

export function randomLstmCase(opts: {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  batch: number;
  time: number;
  seed: number;
}): LstmCase {
  const lstm = createLstm(opts);
  const rng = createRng(opts.seed);
  initLstmUniform(lstm, rng);
  const x = Array.from({ length: opts.batch }, () =>
    Array.from({ length: opts.time }, () =>
      Array.from({ length: opts.inputSize }, () => rng.normal()),
    ),
  );
  // Through float32, as the engines will hold them, so both sides start from the same numbers.
  const f32 = (sd: StateDict): StateDict =>
    JSON.parse(JSON.stringify(sd, (_k, v) => (typeof v === 'number' ? Math.fround(v) : v)));
  return {
    stateDict: f32(lstmToStateDict(lstm)),
    input: x.map((b) => b.map((t) => t.map(Math.fround))),
    adam: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8 },
  };
}

export function coreSelfTest(c: LstmCase): {
  output: Nested;
  loss: number;
  grads: StateDict;
  adamStateDict: StateDict;
} {
  const lstm = lstmFromStateDict(c.stateDict, Float64Array);
  const { data, shape } = flatten(c.input);
  const [batch, time, features] = shape;
  const fwd = lstmForward(lstm, { data, batch, time, features });
  const out = lstmOutput(fwd);
  let loss = 0;
  for (const v of out) loss += v;
  const params = lstmParams(lstm);
  zeroGrads(params);
  lstmBackward(lstm, fwd, new Float64Array(out.length).fill(1));
  const grads = Object.fromEntries(params.map((p) => [p.name, toNested(p.grad, p.shape)]));
  new Adam(params, {
    lr: c.adam.lr,
    beta1: c.adam.betas[0],
    beta2: c.adam.betas[1],
    eps: c.adam.eps,
  }).update();
  const H = lstm.layers[0].hiddenSize;
  return {
    output: toNested(out, [batch, time, H]),
    loss,
    grads,
    adamStateDict: lstmToStateDict(lstm),
  };
}

/**
 * Whole models (LSTM + head + loss) beyond the golden file's two, for the fused WebGPU training
 * step: hidden sizes whose W_hh does and does not fit workgroup memory, 1–3 layers, batches that
 * do not divide into workgroups, both heads.
 */
export const EXTRA_MODEL_SHAPES = [
  {
    head: 'regressor',
    inputSize: 6,
    hiddenSize: 40,
    numLayers: 1,
    batch: 7,
    time: 5,
    width: 16,
    seed: 21,
  },
  {
    head: 'classifier',
    inputSize: 5,
    hiddenSize: 64,
    numLayers: 2,
    batch: 9,
    time: 3,
    width: 5,
    seed: 22,
  },
  {
    head: 'regressor',
    inputSize: 4,
    hiddenSize: 3,
    numLayers: 3,
    batch: 90,
    time: 3,
    width: 8,
    seed: 23,
  },
  {
    head: 'classifier',
    inputSize: 7,
    hiddenSize: 128,
    numLayers: 1,
    batch: 5,
    time: 4,
    width: 10,
    seed: 24,
  },
] as const;

/** The case the worker's model self-test takes (ml/selfTest.ts), here without an index. */
export type { ModelCase } from '../ml/selfTest';

/** A whole model's shape for randomModelCase. */
export interface ModelShapeCase {
  head: 'regressor' | 'classifier';
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  batch: number;
  time: number;
  width: number;
  seed: number;
}

export function randomModelCase(o: ModelShapeCase): ModelCase {
  const shape = { inputSize: o.inputSize, hiddenSize: o.hiddenSize, numLayers: o.numLayers };
  const model =
    o.head === 'regressor'
      ? createRegressor({ ...shape, headSize: o.width, seed: o.seed })
      : createClassifier({ ...shape, classes: o.width, seed: o.seed });
  const rng = createRng(o.seed + 100);
  const input = Array.from({ length: o.batch }, () =>
    Array.from({ length: o.time }, () =>
      Array.from({ length: o.inputSize }, () => Math.fround(rng.normal())),
    ),
  );
  const targets = Array.from({ length: o.batch }, () =>
    o.head === 'regressor' ? Math.fround(rng.next()) : rng.int(o.width),
  );
  const sd = Object.fromEntries(
    model.params.map((p) => [p.name, toNested(p.value.map(Math.fround), p.shape)]),
  );
  // lr 1e-3: Adam divides by √v, so where a gradient is ~0 float32 rounding moves a weight by up
  // to lr per step; at 1e-2 that alone reached 2e-5 after 10 steps on tfjs's own autodiff path.
  return { stateDict: sd, input, targets, lr: 1e-3, steps: 10 };
}

/** The float64 core on a model case: the first step's gradients, every loss, the final weights. */
export function coreModelSelfTest(c: ModelCase): {
  losses: number[];
  grads: StateDict;
  stateDict: StateDict;
} {
  const m = wholeModelFromStateDict(c.stateDict, Float64Array);
  const { data, shape } = flatten(c.input);
  const x = { data, batch: shape[0], time: shape[1], features: shape[2] };
  zeroGrads(m.model.params);
  wholeModelLossAndGrad(m, x, c.targets);
  const grads = namedGrads(m);
  const fresh = wholeModelFromStateDict(c.stateDict, Float64Array);
  const losses = wholeModelAdam(fresh, x, c.targets, c.steps, c.lr);
  return { losses, grads, stateDict: namedStateDict(fresh) };
}
