import { describe, expect, it } from 'vitest';
import { loadModelsGolden, maxAbsDiff } from '../../test/shared';
import {
  flatten,
  lstmFromStateDict,
  namedGrads,
  namedStateDict,
  readTargets,
  regressorPredict,
  stepSaliency,
  wholeModelAdam,
  wholeModelFromStateDict,
  wholeModelLossAndGrad,
  zeroGrads,
  type SequenceBatch,
} from '../index';

const golden = loadModelsGolden();

function batchOf(input: unknown): SequenceBatch {
  const { data, shape } = flatten(input);
  return { data, batch: shape[0], time: shape[1], features: shape[2] };
}

describe.each([
  ['the seed digit model (x2h/h2h cell → fc → cross-entropy)', 'seed_digit_model', 'digit'],
  ['the seed stock model (nn.LSTM → ReLU → fc_1 → ReLU → fc → MSE)', 'seed_stock_model', 'stock'],
] as const)('%s matches PyTorch in float64', (_label, key, kind) => {
  const g = golden[key];
  const x = batchOf(g.input);
  const y = () => readTargets(kind, kind === 'digit' ? g.labels : g.targets, x.batch);

  it('reads the kind from the keys and keeps the file’s names', () => {
    const m = wholeModelFromStateDict(g.state_dict);
    expect(m.kind).toBe(kind);
    expect(m.names.sort()).toEqual(Object.keys(g.state_dict).sort());
  });

  it('output, loss and every gradient to 1e-9', () => {
    const m = wholeModelFromStateDict(g.state_dict);
    zeroGrads(m.model.params);
    const r = wholeModelLossAndGrad(m, x, y());
    expect(maxAbsDiff(r.output, g.output)).toBeLessThan(1e-9);
    expect(Math.abs(r.loss - g.loss)).toBeLessThan(1e-9);
    const grads = namedGrads(m);
    expect(Object.keys(grads).sort()).toEqual(Object.keys(g.grads).sort());
    for (const [name, want] of Object.entries(g.grads)) {
      expect(maxAbsDiff(grads[name], want), name).toBeLessThan(1e-9);
    }
  });

  it('10 full-batch Adam steps (lr 0.01): every loss and the final weights to 1e-9', () => {
    const m = wholeModelFromStateDict(g.state_dict);
    expect(g.adam.steps).toBe(10);
    const losses = wholeModelAdam(m, x, y(), g.adam.steps, g.adam.lr);
    expect(maxAbsDiff(losses, g.adam.loss_before_each_step)).toBeLessThan(1e-9);
    const sd = namedStateDict(m);
    for (const [name, want] of Object.entries(g.adam.state_dict_after)) {
      expect(maxAbsDiff(sd[name], want), name).toBeLessThan(1e-9);
    }
  });
});

describe('reading the seed’s own formats', () => {
  const sd = golden.seed_digit_model.state_dict;

  it('x2h/h2h map to weight_ih/weight_hh with or without a module prefix', () => {
    const bare = Object.fromEntries(
      Object.entries(sd)
        .filter(([k]) => k.startsWith('lstm.'))
        .map(([k, v]) => [k.slice('lstm.'.length), v]),
    );
    const a = lstmFromStateDict(sd);
    const b = lstmFromStateDict(bare);
    expect(a.layers[0].hiddenSize).toBe(4);
    expect(Array.from(b.layers[0].weightIh.value)).toEqual(Array.from(a.layers[0].weightIh.value));
    expect(Array.from(a.layers[0].biasHh.value)).toEqual(
      (sd['lstm.h2h.bias'] as number[]).map(Number),
    );
  });

  it('a missing key, a wrong shape or a NaN is one sentence in the file’s own names', () => {
    const missing = { ...sd };
    delete missing['lstm.h2h.bias'];
    expect(() => wholeModelFromStateDict(missing)).toThrow(/missing "lstm\.h2h\.bias"/);
    const wrong = { ...sd, 'fc.weight': [[1, 2, 3]] };
    expect(() => wholeModelFromStateDict(wrong)).toThrow(/"fc\.weight" has shape \[1, 3\]/);
    const nan = { ...sd, 'lstm.x2h.bias': (sd['lstm.x2h.bias'] as number[]).map(() => 'NaN') };
    expect(() => wholeModelFromStateDict(nan)).toThrow(/not a finite number/);
    const headless = Object.fromEntries(Object.entries(sd).filter(([k]) => !k.startsWith('fc')));
    expect(() => wholeModelFromStateDict(headless)).toThrow(/no head/);
  });
});

describe('which steps mattered (stepSaliency)', () => {
  it('is Σ_f |∂prediction/∂x_t|, as central differences measure it', () => {
    const g = golden.seed_stock_model;
    const m = wholeModelFromStateDict(g.state_dict).model;
    const x = batchOf(g.input);
    zeroGrads(m.params);
    const sal = stepSaliency(m, x);
    // A saliency map is no training step: the params' grads stay as they were.
    for (const p of m.params)
      expect(
        p.grad.every((v) => v === 0),
        p.name,
      ).toBe(true);
    const eps = 1e-6;
    const { time: T, features: F } = x;
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let f = 0; f < F; f++) {
          const j = (b * T + t) * F + f;
          const plus = { ...x, data: x.data.slice() };
          const minus = { ...x, data: x.data.slice() };
          plus.data[j] += eps;
          minus.data[j] -= eps;
          if (m.kind !== 'regressor') throw new Error('stock model expected');
          const d = (regressorPredict(m, plus)[b] - regressorPredict(m, minus)[b]) / (2 * eps);
          s += Math.abs(d);
        }
        expect(Math.abs(sal[b][t] - s)).toBeLessThan(1e-6);
      }
    }
  });
});

describe.each([
  ['the seed digit model', 'seed_digit_model', 'digit'],
  ['the seed stock model', 'seed_stock_model', 'stock'],
] as const)('%s in float32, as the app trains it on the core engine', (_label, key, kind) => {
  const g = golden[key];
  const x = batchOf(g.input);
  const y = () => readTargets(kind, kind === 'digit' ? g.labels : g.targets, x.batch);

  it('output, loss and every gradient within 1e-5 of PyTorch’s float64', () => {
    const m = wholeModelFromStateDict(g.state_dict, Float32Array);
    // Really float32: every weight and gradient is stored (and rounded) as the app's engine does.
    for (const p of m.model.params) expect(p.value, p.name).toBeInstanceOf(Float32Array);
    zeroGrads(m.model.params);
    const r = wholeModelLossAndGrad(m, x, y());
    expect(maxAbsDiff(r.output, g.output)).toBeLessThan(1e-5);
    expect(Math.abs(r.loss - g.loss)).toBeLessThan(1e-5);
    for (const [name, want] of Object.entries(namedGrads(m))) {
      expect(maxAbsDiff(want, g.grads[name]), name).toBeLessThan(1e-5);
    }
  });

  it('10 Adam steps: every loss and the final weights within 1e-5', () => {
    const m = wholeModelFromStateDict(g.state_dict, Float32Array);
    const losses = wholeModelAdam(m, x, y(), g.adam.steps, g.adam.lr);
    expect(maxAbsDiff(losses, g.adam.loss_before_each_step)).toBeLessThan(1e-5);
    const sd = namedStateDict(m);
    for (const [name, want] of Object.entries(g.adam.state_dict_after)) {
      expect(maxAbsDiff(sd[name], want), name).toBeLessThan(1e-5);
    }
  });
});
