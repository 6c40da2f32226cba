import { createParam, type Param } from './params';
import { swapBatchTime, type FloatArray, type FloatArrayCtor } from './tensor';
import type { Rng } from '../random';

/**
 * A stacked LSTM exactly as PyTorch defines it (torch.nn.LSTM / nn.LSTMCell):
 *   pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh          (4H rows, gate order i, f, g, o)
 *   i = σ(pre[0:H]), f = σ(pre[H:2H]), g = tanh(pre[2H:3H]), o = σ(pre[3H:4H])
 *   c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 * Weights are row-major: weight_ih is 4H × In, weight_hh is 4H × H.
 */
export interface LstmLayer {
  inputSize: number;
  hiddenSize: number;
  weightIh: Param;
  weightHh: Param;
  biasIh: Param;
  biasHh: Param;
}

/** `cell` mirrors nn.LSTMCell names (weight_ih), `lstm` mirrors nn.LSTM (weight_ih_l0 …). */
export type LstmFlavour = 'cell' | 'lstm';

export interface Lstm {
  flavour: LstmFlavour;
  layers: LstmLayer[];
  ctor: FloatArrayCtor;
}

/** A batch of sequences, batch-major: data[(b * time + t) * features + f]. */
export interface SequenceBatch {
  data: FloatArray;
  batch: number;
  time: number;
  features: number;
}

/** Everything one layer computed, time-major so each step is contiguous. */
export interface LayerRecord {
  /** This layer's input, [t][b][In]. */
  input: FloatArray;
  /** Pre-activations, [t][b][4H]. */
  pre: FloatArray;
  /** Activated gates i, f, g, o, [t][b][4H]. */
  gates: FloatArray;
  /** Cell state after each step, [t][b][H]. */
  c: FloatArray;
  /** Hidden state after each step, [t][b][H]. */
  h: FloatArray;
  /** Initial states, [b][H]. */
  h0: FloatArray;
  c0: FloatArray;
}

export interface LstmForward {
  batch: number;
  time: number;
  hiddenSize: number;
  layers: LayerRecord[];
}

export function layerParamNames(flavour: LstmFlavour, layer: number, prefix = ''): string[] {
  const suffix = flavour === 'cell' ? '' : `_l${layer}`;
  return ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => `${prefix}${n}${suffix}`);
}

/** Creates an LSTM with zero weights; see initLstmUniform for PyTorch's default init. */
export function createLstm(opts: {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  flavour?: LstmFlavour;
  ctor?: FloatArrayCtor;
  namePrefix?: string;
}): Lstm {
  const { inputSize, hiddenSize } = opts;
  const numLayers = opts.numLayers ?? 1;
  const flavour = opts.flavour ?? 'lstm';
  const ctor = opts.ctor ?? Float64Array;
  if (flavour === 'cell' && numLayers !== 1) throw new Error('an LSTMCell has exactly one layer');
  const layers: LstmLayer[] = [];
  for (let l = 0; l < numLayers; l++) {
    const inSize = l === 0 ? inputSize : hiddenSize;
    const [wih, whh, bih, bhh] = layerParamNames(flavour, l, opts.namePrefix);
    layers.push({
      inputSize: inSize,
      hiddenSize,
      weightIh: createParam(wih, [4 * hiddenSize, inSize], ctor),
      weightHh: createParam(whh, [4 * hiddenSize, hiddenSize], ctor),
      biasIh: createParam(bih, [4 * hiddenSize], ctor),
      biasHh: createParam(bhh, [4 * hiddenSize], ctor),
    });
  }
  return { flavour, layers, ctor };
}

/** PyTorch's default LSTM init: every weight and bias ~ U(−1/√H, 1/√H). */
export function initLstmUniform(lstm: Lstm, rng: Rng): void {
  for (const layer of lstm.layers) {
    const k = 1 / Math.sqrt(layer.hiddenSize);
    for (const p of lstmLayerParams(layer)) {
      for (let j = 0; j < p.value.length; j++) p.value[j] = rng.uniform(-k, k);
    }
  }
}

export function lstmLayerParams(layer: LstmLayer): Param[] {
  return [layer.weightIh, layer.weightHh, layer.biasIh, layer.biasHh];
}

export function lstmParams(lstm: Lstm): Param[] {
  return lstm.layers.flatMap(lstmLayerParams);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Runs the stacked LSTM over a batch, recording every pre-activation, gate, c and h.
 * Initial states default to zero; pass h0/c0 as [layer] → [b][H] to start elsewhere.
 */
/** Σ a[ao+k]·b[bo+k] for k < n, four at a time (the hot loop of the forward pass). */
function dot(a: FloatArray, ao: number, b: FloatArray, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < n; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + s2 + s3;
}

/** y[yo+k] += α·x[xo+k] for k < n (the hot loop of the backward pass). */
function axpy(
  alpha: number,
  x: FloatArray,
  xo: number,
  y: FloatArray,
  yo: number,
  n: number,
): void {
  let k = 0;
  for (; k + 3 < n; k += 4) {
    y[yo + k] += alpha * x[xo + k];
    y[yo + k + 1] += alpha * x[xo + k + 1];
    y[yo + k + 2] += alpha * x[xo + k + 2];
    y[yo + k + 3] += alpha * x[xo + k + 3];
  }
  for (; k < n; k++) y[yo + k] += alpha * x[xo + k];
}

export function lstmForward(
  lstm: Lstm,
  x: SequenceBatch,
  init?: { h0?: FloatArray[]; c0?: FloatArray[] },
): LstmForward {
  const { batch: B, time: T } = x;
  const ctor = lstm.ctor;
  if (lstm.layers.length === 0) throw new Error('the LSTM has no layers');
  if (x.features !== lstm.layers[0].inputSize) {
    throw new Error(
      `input has ${x.features} features per step but the LSTM expects ${lstm.layers[0].inputSize}`,
    );
  }
  // Time-major input; with one step (or one sample) that is the batch as given, not a copy.
  let input: FloatArray = T === 1 || B === 1 ? x.data : swapBatchTime(x.data, B, T, x.features);
  const records: LayerRecord[] = [];
  lstm.layers.forEach((layer, l) => {
    const H = layer.hiddenSize;
    const In = layer.inputSize;
    const G = 4 * H;
    const wih = layer.weightIh.value;
    const whh = layer.weightHh.value;
    const bih = layer.biasIh.value;
    const bhh = layer.biasHh.value;
    const h0 = init?.h0?.[l] ?? new ctor(B * H);
    const c0 = init?.c0?.[l] ?? new ctor(B * H);
    const pre = new ctor(T * B * G);
    const gates = new ctor(T * B * G);
    const c = new ctor(T * B * H);
    const h = new ctor(T * B * H);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const xOff = (t * B + b) * In;
        const prevH = t === 0 ? h0 : h;
        const prevC = t === 0 ? c0 : c;
        const prevOff = t === 0 ? b * H : ((t - 1) * B + b) * H;
        const gOff = (t * B + b) * G;
        for (let r = 0; r < G; r++) {
          const s =
            bih[r] +
            bhh[r] +
            dot(wih, r * In, input, xOff, In) +
            dot(whh, r * H, prevH, prevOff, H);
          pre[gOff + r] = s;
          gates[gOff + r] = r >= 2 * H && r < 3 * H ? Math.tanh(s) : sigmoid(s);
        }
        const sOff = (t * B + b) * H;
        for (let u = 0; u < H; u++) {
          const ig = gates[gOff + u];
          const fg = gates[gOff + H + u];
          const gg = gates[gOff + 2 * H + u];
          const og = gates[gOff + 3 * H + u];
          const cu = fg * prevC[prevOff + u] + ig * gg;
          c[sOff + u] = cu;
          h[sOff + u] = og * Math.tanh(cu);
        }
      }
    }
    records.push({ input, pre, gates, c, h, h0, c0 });
    input = h;
  });
  return { batch: B, time: T, hiddenSize: lstm.layers[0].hiddenSize, layers: records };
}

/** The top layer's h for every step, batch-major [b][t][H] (PyTorch's `output`). */
export function lstmOutput(fwd: LstmForward): FloatArray {
  const top = fwd.layers[fwd.layers.length - 1];
  return swapBatchTime(top.h, fwd.time, fwd.batch, fwd.hiddenSize);
}

/** Final states per layer, [layer] → [b][H] (PyTorch's h_n, c_n). */
export function lstmFinalStates(fwd: LstmForward): { h: FloatArray[]; c: FloatArray[] } {
  const n = fwd.batch * fwd.hiddenSize;
  const off = (fwd.time - 1) * n;
  return {
    h: fwd.layers.map((r) => r.h.slice(off, off + n)),
    c: fwd.layers.map((r) => r.c.slice(off, off + n)),
  };
}

/**
 * Backpropagation through time. `dTopH` is ∂L/∂h of the top layer for every step,
 * time-major [t][b][H]; dHn/dCn optionally add ∂L/∂h_n, ∂L/∂c_n per layer ([b][H]).
 * Gradients are ADDED to each Param.grad (PyTorch semantics). Returns ∂L/∂x as
 * batch-major [b][t][In] and ∂L/∂h0, ∂L/∂c0 per layer.
 */
export function lstmBackward(
  lstm: Lstm,
  fwd: LstmForward,
  dTopH: FloatArray,
  extra?: {
    dHn?: FloatArray[];
    dCn?: FloatArray[];
    record?: boolean;
    /** false: only ∂L/∂x, h0, c0 (a saliency map needs no weight gradient: half the work). */
    weightGrads?: boolean;
  },
): {
  dInput: FloatArray;
  dH0: FloatArray[];
  dC0: FloatArray[];
  /** With `record`: ∂L/∂c_t and ∂L/∂h_t per layer, time-major [t][b][H] (for gradient flow). */
  dC?: FloatArray[];
  dH?: FloatArray[];
} {
  const { batch: B, time: T } = fwd;
  const ctor = lstm.ctor;
  const weightGrads = extra?.weightGrads ?? true;
  let dOut: FloatArray = dTopH;
  const dH0: FloatArray[] = [];
  const dC0: FloatArray[] = [];
  const dCs: FloatArray[] = [];
  const dHs: FloatArray[] = [];
  for (let l = lstm.layers.length - 1; l >= 0; l--) {
    const layer = lstm.layers[l];
    const rec = fwd.layers[l];
    const H = layer.hiddenSize;
    const In = layer.inputSize;
    const G = 4 * H;
    const wih = layer.weightIh.value;
    const whh = layer.weightHh.value;
    const gWih = layer.weightIh.grad;
    const gWhh = layer.weightHh.grad;
    const gBih = layer.biasIh.grad;
    const gBhh = layer.biasHh.grad;
    const dIn = new ctor(T * B * In);
    const dhNext = extra?.dHn?.[l] ? extra.dHn[l].slice() : new ctor(B * H);
    const dcNext = extra?.dCn?.[l] ? extra.dCn[l].slice() : new ctor(B * H);
    const dPre = new ctor(G);
    const dCRec = extra?.record ? new ctor(T * B * H) : null;
    const dHRec = extra?.record ? new ctor(T * B * H) : null;
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        const sOff = (t * B + b) * H;
        const gOff = (t * B + b) * G;
        const prevOff = t === 0 ? b * H : ((t - 1) * B + b) * H;
        const prevH = t === 0 ? rec.h0 : rec.h;
        const prevC = t === 0 ? rec.c0 : rec.c;
        const bOff = b * H;
        for (let u = 0; u < H; u++) {
          const ig = rec.gates[gOff + u];
          const fg = rec.gates[gOff + H + u];
          const gg = rec.gates[gOff + 2 * H + u];
          const og = rec.gates[gOff + 3 * H + u];
          const tc = Math.tanh(rec.c[sOff + u]);
          const dh = dOut[sOff + u] + dhNext[bOff + u];
          const dc = dcNext[bOff + u] + dh * og * (1 - tc * tc);
          if (dCRec && dHRec) {
            dCRec[sOff + u] = dc;
            dHRec[sOff + u] = dh;
          }
          dPre[u] = dc * gg * ig * (1 - ig);
          dPre[H + u] = dc * prevC[prevOff + u] * fg * (1 - fg);
          dPre[2 * H + u] = dc * ig * (1 - gg * gg);
          dPre[3 * H + u] = dh * tc * og * (1 - og);
          dcNext[bOff + u] = dc * fg;
        }
        const xOff = (t * B + b) * In;
        for (let k = 0; k < H; k++) dhNext[bOff + k] = 0;
        for (let r = 0; r < G; r++) {
          const d = dPre[r];
          if (weightGrads) {
            gBih[r] += d;
            gBhh[r] += d;
          }
          if (d === 0) continue;
          if (weightGrads) {
            axpy(d, rec.input, xOff, gWih, r * In, In);
            axpy(d, prevH, prevOff, gWhh, r * H, H);
          }
          axpy(d, wih, r * In, dIn, xOff, In);
          axpy(d, whh, r * H, dhNext, bOff, H);
        }
      }
    }
    dH0[l] = dhNext;
    dC0[l] = dcNext;
    if (dCRec && dHRec) {
      dCs[l] = dCRec;
      dHs[l] = dHRec;
    }
    dOut = dIn;
  }
  const in0 = lstm.layers[0].inputSize;
  const recorded = extra?.record ? { dC: dCs, dH: dHs } : {};
  return { dInput: swapBatchTime(dOut, T, B, in0), dH0, dC0, ...recorded };
}
