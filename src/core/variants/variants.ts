import { batchAffine, recurrentGrads } from './kernels';
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

/** What a variant removes, as booleans read once per pass (not string compares per unit). */
const flagsOf = (v: CellVariant) => ({
  noI: v === 'nig',
  noF: v === 'nfg',
  coupled: v === 'cifg',
  noG: v === 'niaf',
  noO: v === 'nog',
  noOut: v === 'noaf',
  gru: v === 'gru',
});

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
  // Scratch per step for the whole batch: [B][G] each.
  const zxAll = new Float64Array(batch * G);
  const zhAll = new Float64Array(batch * G);
  const h = new Float64Array(batch * H);
  const c = new Float64Array(batch * H);
  // Flags and arrays read once: the loops below run B·T·H times per pass.
  const { noI, noF, coupled, noG, noO, noOut } = flagsOf(variant);
  const gi = gates.i;
  const gf = gates.f;
  const gg = gates.g;
  const go = gates.o;
  const gc = gates.c;
  const gh = gates.h;
  for (let t = 0; t < time; t++) {
    // x is [B][T][In]: sample b's step t starts at (b·T + t)·In, a stride of T·In.
    batchAffine(w.wIh, w.bIh, x, t * In, time * In, In, batch, zxAll, G);
    batchAffine(w.wHh, w.bHh, h, 0, H, H, batch, zhAll, G);
    for (let b = 0; b < batch; b++) {
      const zx = zxAll.subarray(b * G, (b + 1) * G);
      const zh = zhAll.subarray(b * G, (b + 1) * G);
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
        const i = noI ? 1 : sigmoid(zi);
        const f = noF ? 1 : coupled ? 1 - i : sigmoid(zf);
        const g = noG ? zg : Math.tanh(zg);
        const o = noO ? 1 : sigmoid(zo);
        const cNew = f * c[b * H + u] + i * g;
        const hNew = o * (noOut ? cNew : Math.tanh(cNew));
        gi[s + u] = i;
        gf[s + u] = f;
        gg[s + u] = g;
        go[s + u] = o;
        gc[s + u] = cNew;
        gh[s + u] = hNew;
      }
      for (let u = 0; u < H; u++) {
        h[b * H + u] = gh[s + u];
        c[b * H + u] = gc[s + u];
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
  // Per step, for the whole batch: dL/dz [B][G] through W_ih and through W_hh (they differ only
  // in the GRU's n rows, where W_hn h sits inside r ⊙ (·)), and dL/dh, dL/dc carried back.
  const dzxAll = new Float64Array(B * G);
  const dzhAll = new Float64Array(B * G);
  const zeros = new Float64Array(B * H);
  const dhNext = new Float64Array(B * H);
  const dcNext = new Float64Array(B * H);
  const { noI, noF, coupled, noG, noO, noOut, gru } = flagsOf(variant);
  const [gradWih, gradWhh, gradBih, gradBhh, gradX] = [g.wIh, g.wHh, g.bIh, g.bHh, g.dx];
  const { wIh, wHh } = w;
  const xs = fwd.x;
  const hs = gates.h;
  for (let t = T - 1; t >= 0; t--) {
    // h_{t−1} of every sample: [T][B][H] keeps one step's batch contiguous.
    const hpAll = t > 0 ? hs.subarray((t - 1) * B * H, t * B * H) : zeros;
    for (let b = 0; b < B; b++) {
      const s = (t * B + b) * H;
      const prev = t > 0 ? ((t - 1) * B + b) * H : -1;
      const dzx = dzxAll.subarray(b * G, (b + 1) * G);
      const dzh = dzhAll.subarray(b * G, (b + 1) * G);
      for (let u = 0; u < H; u++) {
        const j = b * H + u;
        const dh = dOut[(b * T + t) * H + u] + dhNext[j];
        if (gru) {
          const r = gates.r[s + u];
          const z = gates.z[s + u];
          const n = gates.n[s + u];
          const dn = dh * (1 - z);
          const dz = dh * (hpAll[j] - n);
          // The direct path h_{t−1} → h_t (z ⊙ h_{t−1}); the W_hh path is added below.
          dhNext[j] = dh * z;
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
        const tc = noOut ? c : Math.tanh(c);
        const dc = dcNext[j] + dh * o * (noOut ? 1 : 1 - tc * tc);
        const dO = dh * tc;
        let di = dc * gg;
        const dg = dc * i;
        const df = dc * cPrev;
        dcNext[j] = dc * f;
        dhNext[j] = 0;
        if (coupled) di -= df; // f = 1 − i
        const dzi = noI ? 0 : di * i * (1 - i);
        const dzf = noF || coupled ? 0 : df * f * (1 - f);
        const dzg = noG ? dg : dg * (1 - gg * gg);
        const dzo = noO ? 0 : dO * o * (1 - o);
        dzx[u] = dzh[u] = dzi;
        dzx[H + u] = dzh[H + u] = dzf;
        dzx[2 * H + u] = dzh[2 * H + u] = dzg;
        dzx[3 * H + u] = dzh[3 * H + u] = dzo;
      }
      // Input side, per sample (In is small): W_ih's gradient and dL/dx.
      const xOff = (b * T + t) * In;
      for (let r = 0; r < G; r++) {
        const ax = dzx[r];
        gradBih[r] += ax;
        gradBhh[r] += dzh[r];
        for (let k = 0; k < In; k++) {
          gradWih[r * In + k] += ax * xs[xOff + k];
          gradX[xOff + k] += ax * wIh[r * In + k];
        }
      }
    }
    // Recurrent side for the whole batch, as two reductions (one store per result, not per
    // term): dW_hh[r][k] += Σ_b dz_h[b][r] · h_{t−1}[b][k], and
    // dL/dh_{t−1}[b][k] = (direct path) + Σ_r dz_h[b][r] · W_hh[r][k].
    recurrentGrads(dzhAll, hpAll, wHh, gradWhh, dhNext, B, G, H);
  }
  return g;
}
