import { describe, expect, it } from 'vitest';
import {
  Adam,
  flatten,
  lstmBackward,
  lstmFinalStates,
  lstmForward,
  lstmFromStateDict,
  lstmOutput,
  lstmParams,
  lstmToStateDict,
  stepRecord,
  toNested,
  zeroGrads,
  type Lstm,
  type SequenceBatch,
} from './index';
import { createRng } from '../random';
import { loadGolden, maxAbsDiff } from '../../test/shared';

const TOL = 1e-9;
const golden = loadGolden();

function inputBatch(nested: unknown): SequenceBatch {
  const { data, shape } = flatten(nested);
  return { data, batch: shape[0], time: shape[1], features: shape[2] };
}

/** Loss = sum of all top-layer outputs, so ∂L/∂h_t = 1 everywhere. */
function sumLossBackward(lstm: Lstm, x: SequenceBatch) {
  const fwd = lstmForward(lstm, x);
  const out = lstmOutput(fwd);
  const loss = Array.from(out).reduce((a, b) => a + b, 0);
  zeroGrads(lstmParams(lstm));
  const back = lstmBackward(lstm, fwd, new Float64Array(out.length).fill(1));
  return { fwd, loss, back };
}

describe.each([
  ['nn.LSTMCell', 'lstm_cell'],
  ['2-layer nn.LSTM', 'lstm'],
])('%s matches PyTorch (golden file)', (_label, key) => {
  const g = golden[key];
  const x = inputBatch(golden.input);
  const lstm = lstmFromStateDict(g.state_dict);
  const { fwd, loss, back } = sumLossBackward(lstm, x);
  const layerSteps: { steps: Record<string, unknown>[] }[] =
    key === 'lstm_cell' ? [{ steps: g.steps }] : g.layers;

  it('reads the state_dict shape', () => {
    expect(lstm.flavour).toBe(key === 'lstm_cell' ? 'cell' : 'lstm');
    expect(lstm.layers).toHaveLength(layerSteps.length);
    expect(lstm.layers[0].hiddenSize).toBe(g.hidden_size);
  });

  it('forward: pre-activations and i, f, g, o, c, h at every layer and step', () => {
    layerSteps.forEach((layer, l) => {
      expect(layer.steps).toHaveLength(x.time);
      layer.steps.forEach((step, t) => {
        const mine = stepRecord(fwd, l, t) as unknown as Record<string, unknown>;
        for (const name of ['pre', 'i', 'f', 'g', 'o', 'c', 'h'] as const) {
          expect(maxAbsDiff(mine[name], step[name]), `${name} l${l} t${t}`).toBeLessThan(TOL);
        }
      });
    });
  });

  it('outputs, h_n and c_n', () => {
    const out = toNested(lstmOutput(fwd), [x.batch, x.time, g.hidden_size]);
    expect(maxAbsDiff(out, key === 'lstm_cell' ? g.outputs_h : g.output)).toBeLessThan(TOL);
    const fin = lstmFinalStates(fwd);
    const B = x.batch;
    const H = g.hidden_size;
    if (key === 'lstm_cell') {
      expect(maxAbsDiff(toNested(fin.h[0], [B, H]), g.final_h)).toBeLessThan(TOL);
      expect(maxAbsDiff(toNested(fin.c[0], [B, H]), g.final_c)).toBeLessThan(TOL);
    } else {
      expect(
        maxAbsDiff(
          fin.h.map((h) => toNested(h, [B, H])),
          g.h_n,
        ),
      ).toBeLessThan(TOL);
      expect(
        maxAbsDiff(
          fin.c.map((c) => toNested(c, [B, H])),
          g.c_n,
        ),
      ).toBeLessThan(TOL);
    }
    expect(Math.abs(loss - g.loss)).toBeLessThan(TOL);
  });

  it('every weight gradient and the gradient w.r.t. the input', () => {
    const params = lstmParams(lstm);
    expect(params.map((p) => p.name).sort()).toEqual(Object.keys(g.grads).sort());
    for (const p of params) {
      expect(maxAbsDiff(toNested(p.grad, p.shape), g.grads[p.name]), p.name).toBeLessThan(TOL);
    }
    const dx = toNested(back.dInput, [x.batch, x.time, x.features]);
    expect(maxAbsDiff(dx, g.grad_input)).toBeLessThan(TOL);
  });

  it('without weight gradients (a saliency map): the same ∂L/∂x, the params’ grads untouched', () => {
    const grads = lstmParams(lstm).map((p) => Array.from(p.grad));
    const dTop = new Float64Array(x.batch * x.time * fwd.hiddenSize).fill(1);
    const only = lstmBackward(lstm, fwd, dTop, { weightGrads: false });
    expect(lstmParams(lstm).map((p) => Array.from(p.grad))).toEqual(grads);
    expect(Array.from(only.dInput)).toEqual(Array.from(back.dInput));
    const dx = toNested(only.dInput, [x.batch, x.time, x.features]);
    expect(maxAbsDiff(dx, g.grad_input)).toBeLessThan(TOL);
  });

  it('one Adam step (lr 0.01) gives PyTorch’s updated weights', () => {
    const fresh = lstmFromStateDict(g.state_dict);
    sumLossBackward(fresh, x);
    const { lr, betas, eps } = golden.meta.adam;
    new Adam(lstmParams(fresh), { lr, beta1: betas[0], beta2: betas[1], eps }).update();
    const updated = lstmToStateDict(fresh);
    for (const [name, want] of Object.entries(g.adam_updated_state_dict)) {
      expect(maxAbsDiff(updated[name], want), name).toBeLessThan(TOL);
    }
  });

  it('round-trips its state_dict', () => {
    expect(maxAbsDiff(Object.values(lstmToStateDict(lstm)), Object.values(g.state_dict))).toBe(0);
  });
});

/** ∂loss/∂values[j] by central differences, restoring values[j] afterwards. */
function centralDifference(
  values: Float64Array | Float32Array,
  j: number,
  loss: () => number,
): number {
  const eps = 1e-6;
  const keep = values[j];
  values[j] = keep + eps;
  const up = loss();
  values[j] = keep - eps;
  const down = loss();
  values[j] = keep;
  return (up - down) / (2 * eps);
}

describe('other shapes (nothing hard-coded)', () => {
  /** Checks BPTT against central finite differences on a random 3-layer LSTM. */
  it.each([
    [1, 1, 1, 1],
    [3, 7, 4, 3],
    [2, 5, 2, 6],
  ])(
    'batch %i, time %i, input %i, hidden %i, 3 layers: gradients = finite differences',
    (B, T, In, H) => {
      const rng = createRng(B * 100 + T);
      const sd: Record<string, number[][] | number[]> = {};
      for (let l = 0; l < 3; l++) {
        const inSize = l === 0 ? In : H;
        const mat = (r: number, c: number) =>
          Array.from({ length: r }, () => Array.from({ length: c }, () => rng.uniform(-0.8, 0.8)));
        sd[`weight_ih_l${l}`] = mat(4 * H, inSize);
        sd[`weight_hh_l${l}`] = mat(4 * H, H);
        sd[`bias_ih_l${l}`] = mat(1, 4 * H)[0];
        sd[`bias_hh_l${l}`] = mat(1, 4 * H)[0];
      }
      const lstm = lstmFromStateDict(sd);
      const x: SequenceBatch = {
        data: Float64Array.from({ length: B * T * In }, () => rng.normal()),
        batch: B,
        time: T,
        features: In,
      };
      // A loss that weighs outputs unevenly, so a wrong index shows up.
      const weights = Float64Array.from({ length: B * T * H }, () => rng.uniform(-1, 1));
      const lossOf = () => {
        const out = lstmOutput(lstmForward(lstm, x));
        return Array.from(out).reduce((s, v, j) => s + v * weights[j], 0);
      };
      const fwd = lstmForward(lstm, x);
      zeroGrads(lstmParams(lstm));
      // weights are batch-major [b][t][H]; the backward pass wants time-major.
      const dTop = new Float64Array(B * T * H);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++)
          for (let u = 0; u < H; u++) dTop[(t * B + b) * H + u] = weights[(b * T + t) * H + u];
      const { dInput } = lstmBackward(lstm, fwd, dTop);
      for (const p of lstmParams(lstm)) {
        const step = Math.max(1, Math.floor(p.value.length / 7));
        for (let j = 0; j < p.value.length; j += step) {
          expect(centralDifference(p.value, j, lossOf) - p.grad[j], `${p.name}[${j}]`).toBeCloseTo(
            0,
            7,
          );
        }
      }
      for (let j = 0; j < x.data.length; j++) {
        expect(centralDifference(x.data, j, lossOf) - dInput[j], `x[${j}]`).toBeCloseTo(0, 7);
      }
    },
  );

  it('refuses state_dicts with wrong shapes or missing keys, in one sentence', () => {
    const g = golden.lstm;
    const missing = { ...g.state_dict };
    delete missing.bias_hh_l1;
    expect(() => lstmFromStateDict(missing)).toThrow(/missing "bias_hh_l1"/);
    const wrong = { ...g.state_dict, weight_hh_l1: g.state_dict.weight_hh_l1.slice(0, 5) };
    expect(() => lstmFromStateDict(wrong)).toThrow(/weight_hh_l1/);
    expect(() =>
      lstmFromStateDict({ ...g.state_dict, bias_ih_l0: g.state_dict.bias_ih_l0.map(() => NaN) }),
    ).toThrow(/not a finite number/);
    expect(() => lstmFromStateDict({ foo: [1] })).toThrow(/no LSTM weights/);
  });

  it('reads a whole model state_dict with a module prefix (lstm.weight_ih_l0, fc.weight …)', () => {
    const prefixed = Object.fromEntries(
      Object.entries(golden.lstm.state_dict).map(([k, v]) => [`lstm.${k}`, v]),
    );
    const lstm = lstmFromStateDict({ ...prefixed, 'fc.weight': [[1, 2, 3]], 'fc.bias': [0] });
    expect(lstm.layers).toHaveLength(2);
    expect(Object.keys(lstmToStateDict(lstm))[0]).toBe('lstm.weight_ih_l0');
  });
});
