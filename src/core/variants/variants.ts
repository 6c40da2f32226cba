import { flatten, toNested } from '../lstm/tensor';
/**
 * The LSTM variants of Greff et al., "LSTM: A Search Space Odyssey" (2017), and PyTorch's GRU:
 * one layer, zero initial state, float64, forward and backward. The LSTM variants read nn.LSTM's
 * layout (rows i, f, g, o of a [4H, ·] matrix); a knocked-out gate keeps its rows, which get a
 * zero gradient. The GRU reads nn.GRU's (rows r, z, n; b_hn inside r ⊙ (W_hn h + b_hn)).
 */
export type LstmVariant = 'lstm' | 'nig' | 'nfg' | 'nog' | 'niaf' | 'noaf' | 'cifg';
export type CellVariant = LstmVariant | 'gru';
export const CELL_VARIANTS: readonly CellVariant[] = [
  'lstm',
  'nig',
  'nfg',
  'nog',
  'niaf',
  'noaf',
  'cifg',
  'gru',
];

/** One layer's weights, row-major: wIh [G][In], wHh [G][H], biases [G]; G = 4H, or 3H for the GRU. */
export interface VariantWeights {
  inputSize: number;
  hiddenSize: number;
  wIh: Float64Array;
  wHh: Float64Array;
  bIh: Float64Array;
  bHh: Float64Array;
}

/** Per step t and sample b, each gate's H values: gates[name][(t * B + b) * H + u]. */
export interface VariantForward {
  variant: CellVariant;
  batch: number;
  time: number;
  hidden: number;
  /** The input, [B][T][In] flattened. */
  x: Float64Array;
  /** Pre-activations: [T][B][G]. */
  pre: Float64Array;
  /** The step's quantities: i f g o c h (LSTM variants) or r z n h (GRU), [T][B][H] each. */
  gates: Record<string, Float64Array>;
  /** W_hn h + b_hn per step (the GRU's reset-gated term), [T][B][H]. */
  ghn?: Float64Array;
}

export const gatesOf = (v: CellVariant) =>
  v === 'gru' ? (['r', 'z', 'n', 'h'] as const) : (['i', 'f', 'g', 'o', 'c', 'h'] as const);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Rows of the pre-activation for one sample: W_ih x + b_ih (+ W_hh h + b_hh where joined). */
function affine(
  w: Float64Array,
  b: Float64Array,
  v: Float64Array,
  vOff: number,
  cols: number,
  out: Float64Array,
  rows: number,
): void {
  for (let r = 0; r < rows; r++) {
    let s = b[r];
    const o = r * cols;
    for (let k = 0; k < cols; k++) s += w[o + k] * v[vOff + k];
    out[r] = s;
  }
}

export function variantForward(
  variant: CellVariant,
  w: VariantWeights,
  x: Float64Array,
  batch: number,
  time: number,
): VariantForward {
  const H = w.hiddenSize;
  const In = w.inputSize;
  const G = (variant === 'gru' ? 3 : 4) * H;
  const names = gatesOf(variant);
  const gates: Record<string, Float64Array> = {};
  for (const n of names) gates[n] = new Float64Array(time * batch * H);
  const pre = new Float64Array(time * batch * G);
  const ghn = variant === 'gru' ? new Float64Array(time * batch * H) : undefined;
  const zx = new Float64Array(G);
  const zh = new Float64Array(G);
  const h = new Float64Array(batch * H);
  const c = new Float64Array(batch * H);
  for (let t = 0; t < time; t++) {
    for (let b = 0; b < batch; b++) {
      affine(w.wIh, w.bIh, x, (b * time + t) * In, In, zx, G);
      affine(w.wHh, w.bHh, h, b * H, H, zh, G);
      const s = (t * batch + b) * H;
      const p = (t * batch + b) * G;
      if (variant === 'gru') {
        for (let u = 0; u < H; u++) {
          const ar = zx[u] + zh[u];
          const az = zx[H + u] + zh[H + u];
          const r = sigmoid(ar);
          const z = sigmoid(az);
          const an = zx[2 * H + u] + r * zh[2 * H + u];
          const n = Math.tanh(an);
          const hNew = (1 - z) * n + z * h[b * H + u];
          pre[p + u] = ar;
          pre[p + H + u] = az;
          pre[p + 2 * H + u] = an;
          ghn![s + u] = zh[2 * H + u];
          gates.r[s + u] = r;
          gates.z[s + u] = z;
          gates.n[s + u] = n;
          gates.h[s + u] = hNew;
        }
        for (let u = 0; u < H; u++) h[b * H + u] = gates.h[s + u];
        continue;
      }
      for (let u = 0; u < H; u++) {
        const zi = zx[u] + zh[u];
        const zf = zx[H + u] + zh[H + u];
        const zg = zx[2 * H + u] + zh[2 * H + u];
        const zo = zx[3 * H + u] + zh[3 * H + u];
        pre[p + u] = zi;
        pre[p + H + u] = zf;
        pre[p + 2 * H + u] = zg;
        pre[p + 3 * H + u] = zo;
        const i = variant === 'nig' ? 1 : sigmoid(zi);
        const f = variant === 'nfg' ? 1 : variant === 'cifg' ? 1 - i : sigmoid(zf);
        const g = variant === 'niaf' ? zg : Math.tanh(zg);
        const o = variant === 'nog' ? 1 : sigmoid(zo);
        const cNew = f * c[b * H + u] + i * g;
        const hNew = o * (variant === 'noaf' ? cNew : Math.tanh(cNew));
        gates.i[s + u] = i;
        gates.f[s + u] = f;
        gates.g[s + u] = g;
        gates.o[s + u] = o;
        gates.c[s + u] = cNew;
        gates.h[s + u] = hNew;
      }
      for (let u = 0; u < H; u++) {
        h[b * H + u] = gates.h[s + u];
        c[b * H + u] = gates.c[s + u];
      }
    }
  }
  return { variant, batch, time, hidden: H, x, pre, gates, ghn };
}

export interface VariantGrads {
  wIh: Float64Array;
  wHh: Float64Array;
  bIh: Float64Array;
  bHh: Float64Array;
  /** dL/dx, [B][T][In]. */
  dx: Float64Array;
}

/** Backpropagation through time from dL/dh_t of every step ([B][T][H], batch-first). */
export function variantBackward(
  w: VariantWeights,
  fwd: VariantForward,
  dOut: Float64Array,
): VariantGrads {
  const { variant, batch: B, time: T, hidden: H, gates } = fwd;
  const In = w.inputSize;
  const G = (variant === 'gru' ? 3 : 4) * H;
  const g: VariantGrads = {
    wIh: new Float64Array(G * In),
    wHh: new Float64Array(G * H),
    bIh: new Float64Array(G),
    bHh: new Float64Array(G),
    dx: new Float64Array(B * T * In),
  };
  const dzx = new Float64Array(G);
  const dzh = new Float64Array(G);
  // Scratch reused for every step and sample (the race calls this thousands of times).
  const zeros = new Float64Array(H);
  const dhNext = new Float64Array(H);
  const dcNext = new Float64Array(H);
  const dhPrev = new Float64Array(H);
  for (let b = 0; b < B; b++) {
    dhNext.fill(0);
    dcNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const s = (t * B + b) * H;
      const prev = t > 0 ? ((t - 1) * B + b) * H : -1;
      const hp = prev < 0 ? zeros : gates.h.subarray(prev, prev + H);
      const hPrev = (u: number) => hp[u];
      dhPrev.fill(0);
      for (let u = 0; u < H; u++) {
        const dh = dOut[(b * T + t) * H + u] + dhNext[u];
        if (variant === 'gru') {
          const r = gates.r[s + u];
          const z = gates.z[s + u];
          const n = gates.n[s + u];
          const dn = dh * (1 - z);
          const dz = dh * (hPrev(u) - n);
          dhPrev[u] += dh * z;
          const dan = dn * (1 - n * n);
          const dr = dan * fwd.ghn![s + u];
          const dar = dr * r * (1 - r);
          const daz = dz * z * (1 - z);
          dzx[u] = dar;
          dzx[H + u] = daz;
          dzx[2 * H + u] = dan;
          dzh[u] = dar;
          dzh[H + u] = daz;
          dzh[2 * H + u] = dan * r;
          continue;
        }
        const i = gates.i[s + u];
        const f = gates.f[s + u];
        const gg = gates.g[s + u];
        const o = gates.o[s + u];
        const c = gates.c[s + u];
        const cPrev = prev < 0 ? 0 : gates.c[prev + u];
        const tc = variant === 'noaf' ? c : Math.tanh(c);
        const dc = dcNext[u] + dh * o * (variant === 'noaf' ? 1 : 1 - tc * tc);
        const dO = dh * tc;
        let di = dc * gg;
        const dg = dc * i;
        const df = dc * cPrev;
        dcNext[u] = dc * f;
        if (variant === 'cifg') di -= df; // f = 1 − i
        const dzi = variant === 'nig' ? 0 : di * i * (1 - i);
        const dzf = variant === 'nfg' || variant === 'cifg' ? 0 : df * f * (1 - f);
        const dzg = variant === 'niaf' ? dg : dg * (1 - gg * gg);
        const dzo = variant === 'nog' ? 0 : dO * o * (1 - o);
        dzx[u] = dzh[u] = dzi;
        dzx[H + u] = dzh[H + u] = dzf;
        dzx[2 * H + u] = dzh[2 * H + u] = dzg;
        dzx[3 * H + u] = dzh[3 * H + u] = dzo;
      }
      const xOff = (b * T + t) * In;
      for (let r = 0; r < G; r++) {
        const ax = dzx[r];
        const ah = dzh[r];
        g.bIh[r] += ax;
        g.bHh[r] += ah;
        for (let k = 0; k < In; k++) {
          g.wIh[r * In + k] += ax * fwd.x[xOff + k];
          g.dx[xOff + k] += ax * w.wIh[r * In + k];
        }
        const wo = r * H;
        for (let k = 0; k < H; k++) {
          g.wHh[wo + k] += ah * hp[k];
          dhPrev[k] += ah * w.wHh[wo + k];
        }
      }
      dhNext.set(dhPrev);
    }
  }
  return g;
}

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
