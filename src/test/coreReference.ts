import {
  Adam,
  createLstm,
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
