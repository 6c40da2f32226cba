import { describe, expect, it } from 'vitest';
import { readShared } from '../../test/shared';
import { flatten } from '../lstm/tensor';
import { createRng } from '../random';
import {
  CELL_VARIANTS,
  gatesOf,
  variantBackward,
  variantForward,
  type CellVariant,
  type VariantWeights,
} from './variants';
import { variantForwardToJson, variantWeightsFromStateDict } from './variantsIo';

/** PyTorch autograd, float64 (src/test/reference/golden/README.md). */
const golden = JSON.parse(readShared('golden', 'variants_golden.json'));
const { batch: B, time: T, input: In, hidden: H } = golden.shape;
const x = Float64Array.from(flatten(golden.input).data);

const maxDiff = (a: ArrayLike<number>, b: unknown) => {
  const want = flatten(b).data;
  expect(a.length).toBe(want.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - want[k]));
  return d;
};

/** The loss of the golden: the sum of every output. */
function lossOf(v: CellVariant, w: VariantWeights, input: Float64Array, b: number, t: number) {
  const f = variantForward(v, w, input, b, t);
  let s = 0;
  for (const h of f.gates.h) s += h;
  return s;
}

describe.each(CELL_VARIANTS)('variant %s matches PyTorch autograd to 1e-9', (v) => {
  const g = golden.variants[v];
  const w = variantWeightsFromStateDict(v, g.state_dict);

  it('forward: every step’s gates, the outputs, h_n (and c_n)', () => {
    const fwd = variantForward(v, w, x, B, T);
    const json = variantForwardToJson(fwd);
    const steps = json.layers[0].steps as Record<string, number[][]>[];
    for (let t = 0; t < T; t++) {
      for (const n of gatesOf(v)) {
        expect(maxDiff(flatten(steps[t][n]).data, g.steps[t][n]), `t ${t} ${n}`).toBeLessThan(1e-9);
      }
    }
    expect(maxDiff(flatten(json.output).data, g.output)).toBeLessThan(1e-9);
    expect(maxDiff(flatten(json.h_n[0]).data, g.h_n)).toBeLessThan(1e-9);
    if (v !== 'gru') expect(maxDiff(flatten(json.c_n![0]).data, g.c_n)).toBeLessThan(1e-9);
  });

  it('backward: the loss, every parameter’s gradient and the input’s', () => {
    const fwd = variantForward(v, w, x, B, T);
    let loss = 0;
    for (const h of fwd.gates.h) loss += h;
    expect(Math.abs(loss - g.loss)).toBeLessThan(1e-9);
    const grads = variantBackward(w, fwd, new Float64Array(B * T * H).fill(1));
    expect(maxDiff(grads.wIh, g.grads.weight_ih_l0)).toBeLessThan(1e-9);
    expect(maxDiff(grads.wHh, g.grads.weight_hh_l0)).toBeLessThan(1e-9);
    expect(maxDiff(grads.bIh, g.grads.bias_ih_l0)).toBeLessThan(1e-9);
    expect(maxDiff(grads.bHh, g.grads.bias_hh_l0)).toBeLessThan(1e-9);
    expect(maxDiff(grads.dx, g.grad_input)).toBeLessThan(1e-9);
  });

  it('agrees with central finite differences at another shape (batch 3, 6 steps, 2 inputs, hidden 4)', () => {
    const rng = createRng(7);
    const [b, t, inp, h] = [3, 6, 2, 4];
    const G = (v === 'gru' ? 3 : 4) * h;
    const rand = (n: number) => Float64Array.from({ length: n }, () => rng.uniform(-0.8, 0.8));
    const w2: VariantWeights = {
      inputSize: inp,
      hiddenSize: h,
      wIh: rand(G * inp),
      wHh: rand(G * h),
      bIh: rand(G),
      bHh: rand(G),
    };
    const x2 = rand(b * t * inp);
    const grads = variantBackward(
      w2,
      variantForward(v, w2, x2, b, t),
      new Float64Array(b * t * h).fill(1),
    );
    const eps = 1e-6;
    const check = (arr: Float64Array, grad: Float64Array, name: string) => {
      for (let k = 0; k < arr.length; k += 3) {
        const keep = arr[k];
        arr[k] = keep + eps;
        const up = lossOf(v, w2, x2, b, t);
        arr[k] = keep - eps;
        const down = lossOf(v, w2, x2, b, t);
        arr[k] = keep;
        expect(Math.abs((up - down) / (2 * eps) - grad[k]), `${name}[${k}]`).toBeLessThan(1e-6);
      }
    };
    check(w2.wIh, grads.wIh, 'weight_ih');
    check(w2.wHh, grads.wHh, 'weight_hh');
    check(w2.bHh, grads.bHh, 'bias_hh');
    check(x2, grads.dx, 'input');
  });
});

describe('knocked-out gates', () => {
  it('report their fixed value and leave their rows’ gradient at zero', () => {
    const g = golden.variants.nfg;
    const w = variantWeightsFromStateDict('nfg', g.state_dict);
    const fwd = variantForward('nfg', w, x, B, T);
    expect(Array.from(fwd.gates.f).every((f) => f === 1)).toBe(true);
    const grads = variantBackward(w, fwd, new Float64Array(B * T * H).fill(1));
    expect(Array.from(grads.wIh.subarray(H * In, 2 * H * In)).every((d) => d === 0)).toBe(true);
  });

  it('a state_dict of two layers is refused with a sentence', () => {
    const sd = { ...golden.variants.lstm.state_dict, weight_ih_l1: [[0]] };
    expect(() => variantWeightsFromStateDict('lstm', sd)).toThrow(/one layer/);
  });
});
