import { flatten, toNested } from '../lstm/tensor';
import type { CellVariant, VariantForward, VariantWeights } from './variants';
import { gatesOf } from './variants';

/** The state_dict keys of one layer as the file names them (`weight_ih_l0`, or `weight_ih`). */
export function variantKeys(sd: Record<string, unknown>): {
  wIh: string;
  wHh: string;
  bIh: string;
  bHh: string;
} {
  const key = Object.keys(sd).find((k) => /(^|\.)weight_ih(_l0)?$/.test(k));
  if (!key) throw new Error('no weight_ih_l0 (or weight_ih) in the state_dict');
  if (Object.keys(sd).some((k) => /weight_ih_l[1-9]/.test(k))) {
    throw new Error('the variants are one layer: this state_dict has more (weight_ih_l1, …)');
  }
  const [prefix, suffix] = [
    key.slice(0, key.indexOf('weight_ih')),
    key.endsWith('_l0') ? '_l0' : '',
  ];
  return {
    wIh: `${prefix}weight_ih${suffix}`,
    wHh: `${prefix}weight_hh${suffix}`,
    bIh: `${prefix}bias_ih${suffix}`,
    bHh: `${prefix}bias_hh${suffix}`,
  };
}

/** A variant's weights from an nn.LSTM (or nn.GRU) state_dict, shapes checked. */
export function variantWeightsFromStateDict(
  variant: CellVariant,
  sd: Record<string, unknown>,
): VariantWeights {
  const keys = variantKeys(sd);
  const read = (name: string) => {
    if (!(name in sd)) throw new Error(`the state_dict has no ${name}`);
    return flatten(sd[name], Float64Array, name);
  };
  const ih = read(keys.wIh);
  const hh = read(keys.wHh);
  const bih = read(keys.bIh);
  const bhh = read(keys.bHh);
  const per = variant === 'gru' ? 3 : 4;
  const G = ih.shape[0];
  const H = G / per;
  const rows = variant === 'gru' ? '3H (r, z, n)' : '4H (i, f, g, o)';
  if (ih.shape.length !== 2 || !Number.isInteger(H) || H < 1) {
    throw new Error(`${keys.wIh} must be [${rows}, input]; got [${ih.shape.join(', ')}]`);
  }
  if (hh.shape.length !== 2 || hh.shape[0] !== G || hh.shape[1] !== H) {
    throw new Error(`${keys.wHh} must be [${G}, ${H}]; got [${hh.shape.join(', ')}]`);
  }
  for (const [name, b] of [
    [keys.bIh, bih],
    [keys.bHh, bhh],
  ] as const) {
    if (b.shape.length !== 1 || b.shape[0] !== G) {
      throw new Error(`${name} must be [${G}]; got [${b.shape.join(', ')}]`);
    }
  }
  return {
    inputSize: ih.shape[1],
    hiddenSize: H,
    wIh: Float64Array.from(ih.data),
    wHh: Float64Array.from(hh.data),
    bIh: Float64Array.from(bih.data),
    bHh: Float64Array.from(bhh.data),
  };
}

/** The forward pass as JSON, shaped as the CLI's `forward` prints the LSTM's (one layer). */
export function variantForwardToJson(fwd: VariantForward) {
  const { batch: B, time: T, hidden: H, gates } = fwd;
  const G = (fwd.variant === 'gru' ? 3 : 4) * H;
  const names = gatesOf(fwd.variant);
  const steps = Array.from({ length: T }, (_, t) => {
    const step: Record<string, unknown> = {
      pre: toNested(fwd.pre.subarray(t * B * G, (t + 1) * B * G), [B, G]),
    };
    for (const n of names)
      step[n] = toNested(gates[n].subarray(t * B * H, (t + 1) * B * H), [B, H]);
    return step;
  });
  const output = new Float64Array(B * T * H);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let u = 0; u < H; u++) output[(b * T + t) * H + u] = gates.h[(t * B + b) * H + u];
  const last = (a: Float64Array) => toNested(a.subarray((T - 1) * B * H, T * B * H), [B, H]);
  return {
    variant: fwd.variant,
    layers: [{ steps }],
    output: toNested(output, [B, T, H]),
    h_n: [last(gates.h)],
    ...(fwd.variant === 'gru' ? {} : { c_n: [last(gates.c)] }),
  };
}
