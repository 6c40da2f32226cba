import {
  concat,
  dispose,
  engine,
  keep,
  reshape,
  slice,
  tensor1d,
  tidy,
  transpose,
  zeros,
  type Scalar,
  type Tensor,
  type Tensor1D,
  type Tensor3D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { TfModel } from './tfLstm';
import type { ModelStepper } from './train';
import {
  MATH,
  backwardRecurrence,
  forwardRecurrence,
  fusedWebGpuEnabled,
  seqLayout,
  type SeqLayout,
  type WeightSource,
} from './webgpuLstm';

/**
 * A whole training batch of the seed models on WebGPU in a few dispatches (2L + 3 for L layers;
 * 5 for the one-layer models), where tfjs's autodiff needs ~140 even with the fused recurrence:
 *
 *   forward   one program per layer: input projection, gates, c and h for every step (the
 *             recurrence of webgpuLstm.ts with x·W_ihᵀ folded in; layer 0 reads the batch's
 *             rows of the whole training set through an index, so no gather either)
 *   head      one program, samples spread over workgroups: the head's forward and backward, each
 *             sample's loss term and ∂L/∂h of the last step
 *   backward  one program per layer: dz for every step, and ∂L/∂x for the layer below
 *   update    one program per layer: every parameter's gradient (one sum over steps and
 *             samples per element; the top layer's also the head's and the loss) and PyTorch's
 *             Adam update, over one flat buffer of parameters, m and v
 *   (+1 slice to hand the loss back as a tensor)
 *
 * The parameters live in that flat buffer while training; `sync()` writes them back into the
 * model's variables (predictions, checkpoints), `load()` reads them in. Gate order i, f, g, o and
 * PyTorch's equations, checked against the goldens on WebGPU (e2e/engine.spec.ts).
 */

const THREADS = 256;

/** A float literal WGSL accepts. */
const fl = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

interface LayerShape {
  In: number;
  H: number;
  /**
   * Offsets of W_ih, W_hh, b_ih, b_hh in the parameter buffer, each stored unit-major: [In, H, 4],
   * [H, H, 4], [H, 4], [H, 4] (gates i, f, g, o of a unit side by side; see FusedWebGpuStep.load).
   */
  wIh: number;
  wHh: number;
  bIh: number;
  bHh: number;
  layout: SeqLayout;
}

interface StepShape {
  kind: 'regressor' | 'classifier';
  T: number;
  B: number;
  layers: LayerShape[];
  /** Offset of the head's first parameter; the head's parameters run to N. */
  head: number;
  /** N rounded up to whole vec4s: the length of each of the state's four parts. */
  Np: number;
  /** Regressor: fc_1's width; classifier: the number of classes. */
  width: number;
  N: number;
}

interface WebGpuBackendLike {
  runWebGPUProgram(
    program: unknown,
    inputs: TensorInfo[],
    dtype: 'float32',
    uniforms?: { type: 'float32' | 'int32'; data: number[] }[],
    output?: TensorInfo,
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: 'float32'): TensorInfo;
}

function program(
  key: string,
  variableNames: string[],
  outputShape: number[],
  workgroups: number,
  threads: number,
  code: string,
  uniforms?: string,
  variableComponents?: number[],
) {
  return {
    variableNames,
    ...(variableComponents ? { variableComponents } : {}),
    outputShape,
    shaderKey: key,
    dispatchLayout: { x: outputShape.map((_, k) => k) },
    dispatch: [workgroups, 1, 1] as [number, number, number],
    workgroupSize: [threads, 1, 1] as [number, number, number],
    ...(uniforms ? { uniforms } : {}),
    getUserCode: () => `${MATH}\n${code}`,
  };
}

const webgpu = () => engine().backend as unknown as WebGpuBackendLike;

/**
 * Runs a program on the backend. The backend writes into the program object it is given (its
 * shader key grows by the input shapes, its dispatch and pipeline are set), so a program kept for
 * reuse is passed as a fresh copy each time.
 */
function runInto(
  prog: ReturnType<typeof program>,
  inputs: Tensor[],
  uniforms?: { type: 'float32'; data: number[] }[],
  output?: TensorInfo,
): TensorInfo {
  return webgpu().runWebGPUProgram({ ...prog }, inputs, 'float32', uniforms, output);
}

function run(prog: ReturnType<typeof program>, inputs: Tensor[]): Tensor {
  return engine().makeTensorFromTensorInfo(runInto(prog, inputs));
}

const keyOf = (name: string, s: StepShape, extra: (string | number | boolean)[] = []) =>
  [
    name,
    s.kind,
    s.T,
    s.B,
    s.width,
    s.N,
    ...s.layers.map((l) => `${l.In}x${l.H}@${l.wIh}`),
    ...extra,
  ].join('_');

/** The layer's input at (t, b, k): the batch's rows of X through IDX, or the layer below's h. */
function inputAt(s: StepShape, l: number): string {
  const { T, B } = s;
  const In = s.layers[l].In;
  return l === 0
    ? `fn xin(t : i32, b : i32, k : i32) -> f32 { return X[(IDX[b] * ${T} + t) * ${In} + k]; }`
    : `fn xin(t : i32, b : i32, k : i32) -> f32 { return PREV[(t * ${B} + b) * ${In} + k]; }`;
}

/** The names of the layer's input buffers, as inputAt reads them. */
const inputNames = (l: number) => (l === 0 ? ['X', 'IDX'] : ['PREV']);

/** A weight matrix of the parameter buffer S (read as vec4): the gates of (k, u) are one vec4. */
const packed = (offset: number, H: number): WeightSource => ({
  at: (k, u) => `S[${offset / 4} + (${k}) * ${H} + (${u})]`,
});

const programShape = (s: StepShape, l: number) => ({
  T: s.T,
  B: s.B,
  H: s.layers[l].H,
  layout: s.layers[l].layout,
});

/**
 * Layer l over the whole sequence → [6, T, B, H] (h, c, i, f, g, o): the recurrence of
 * webgpuLstm.ts with the input projection x·W_ihᵀ + b_ih + b_hh computed in place.
 */
function forwardProgram(s: StepShape, l: number) {
  const { In, H, wIh, wHh, bIh, bHh } = s.layers[l];
  const names = [...inputNames(l), 'S'];
  return forwardRecurrence(programShape(s, l), {
    key: keyOf('lstmlab_step_fwd', s, [l]),
    variableNames: names,
    variableComponents: names.map((n) => (n === 'S' ? 4 : 1)),
    helpers: `${inputAt(s, l)}
    fn zin(t : i32, b : i32, u : i32) -> vec4<f32> {
      var z = S[${bIh / 4} + u] + S[${bHh / 4} + u];
      for (var k = 0; k < ${In}; k = k + 1) { z = z + xin(t, b, k) * ${packed(wIh, H).at('k', 'u')}; }
      return z;
    }`,
    wHh: packed(wHh, H),
  });
}

/** Where the head program puts things in its output (each [B, …], sample-major). */
function headLayout(s: StepShape) {
  const { B, width } = s;
  const H = s.layers[s.layers.length - 1].H;
  const dh = 0; // ∂L/∂h of the last step [B, H]
  const a = B * H; // regressor: relu(fc_1) [B, width]; classifier: ∂L/∂logits [B, width]
  const da = a + B * width; // regressor: ∂L/∂(fc_1 output) [B, width]
  const dp = da + B * width; // regressor: ∂L/∂prediction [B]; classifier: each sample's loss
  const sq = dp + B; // regressor: each sample's squared error
  return { dh, a, da, dp, sq, size: sq + B };
}

const HEAD_THREADS = 64;
const HEAD_GROUPS = 32;

/**
 * The head's forward and backward, sample by sample (spread over up to 32 workgroups): from the top layer's h at the last
 * step to the loss terms and ∂L/∂h_last. Everything that sums over the batch (the head's weight
 * gradients, the loss) is left to the update program, so no single workgroup walks the batch.
 */
function headProgram(s: StepShape) {
  const { T, B, width: W } = s;
  const H = s.layers[s.layers.length - 1].H;
  const o = headLayout(s);
  // At most HEAD_GROUPS workgroups, each taking its samples in turn.
  const perGroup = Math.ceil(B / HEAD_GROUPS);
  const over = (n: number, v: string) =>
    `for (var ${v} = li; ${v} < ${n}; ${v} = ${v} + ${HEAD_THREADS})`;
  let body: string;
  if (s.kind === 'regressor') {
    // relu(h) → fc_1 [H, W] → relu → fc [W, 1]; MSE.
    const w1 = s.head;
    const b1 = w1 + H * W;
    const w2 = b1 + W;
    const b2 = w2 + W;
    body = `
      ${over(W, 'j')} {
        var z = S[${b1} + j];
        for (var k = 0; k < ${H}; k = k + 1) { z = z + max(hl(k), 0.0) * S[${w1} + k * ${W} + j]; }
        let a = max(z, 0.0);
        ash[j] = a;
        result[${o.a} + b * ${W} + j] = a;
      }
      workgroupBarrier();
      var part = 0.0;
      ${over(W, 'j')} { part = part + ash[j] * S[${w2} + j]; }
      red[li] = part;
      workgroupBarrier();
      if (li == 0) {
        var p = S[${b2}];
        for (var r = 0; r < ${HEAD_THREADS}; r = r + 1) { p = p + red[r]; }
        let d = p - f32(Y[IDX[b]]);
        dpv = ${fl(2 / B)} * d;
        result[${o.dp} + b] = dpv;
        result[${o.sq} + b] = d * d;
      }
      workgroupBarrier();
      let dp = dpv;
      ${over(W, 'j')} {
        var d = 0.0;
        if (ash[j] > 0.0) { d = dp * S[${w2} + j]; }
        dash[j] = d;
        result[${o.da} + b * ${W} + j] = d;
      }
      workgroupBarrier();
      ${over(H, 'k')} {
        var d = 0.0;
        if (hl(k) > 0.0) {
          for (var j = 0; j < ${W}; j = j + 1) { d = d + dash[j] * S[${w1} + k * ${W} + j]; }
        }
        result[${o.dh} + b * ${H} + k] = d;
      }`;
  } else {
    // fc [H, W] → logits; cross-entropy with integer labels.
    const w = s.head;
    const bias = w + H * W;
    body = `
      ${over(W, 'c')} {
        var z = S[${bias} + c];
        for (var k = 0; k < ${H}; k = k + 1) { z = z + hl(k) * S[${w} + k * ${W} + c]; }
        ash[c] = z;
      }
      workgroupBarrier();
      if (li == 0) {
        var m = ash[0];
        for (var c = 1; c < ${W}; c = c + 1) { m = max(m, ash[c]); }
        var se = 0.0;
        for (var c = 0; c < ${W}; c = c + 1) { se = se + exp(ash[c] - m); }
        let lse = m + log(se);
        let label = i32(Y[IDX[b]]);
        result[${o.dp} + b] = lse - ash[label];
        for (var c = 0; c < ${W}; c = c + 1) {
          var d = exp(ash[c] - lse);
          if (c == label) { d = d - 1.0; }
          ash[c] = d / ${fl(B)};
          result[${o.a} + b * ${W} + c] = d / ${fl(B)};
        }
      }
      workgroupBarrier();
      ${over(H, 'k')} {
        var d = 0.0;
        for (var c = 0; c < ${W}; c = c + 1) { d = d + ash[c] * S[${w} + k * ${W} + c]; }
        result[${o.dh} + b * ${H} + k] = d;
      }`;
  }
  return program(
    keyOf('lstmlab_step_head', s),
    ['P', 'S', 'Y', 'IDX'],
    [o.size],
    Math.ceil(B / perGroup),
    HEAD_THREADS,
    `
    var<workgroup> ash : array<f32, ${W}>;
    var<workgroup> dash : array<f32, ${W}>;
    var<workgroup> red : array<f32, ${HEAD_THREADS}>;
    var<workgroup> dpv : f32;
    var<private> sample : i32;
    fn main(index : i32) {
      _ = uniforms.NAN;
      let li = i32(localIndex);
      for (var n = 0; n < ${perGroup}; n = n + 1) {
        // The last group may run past B: it redoes sample B − 1 (same values), so every barrier
        // stays in uniform control flow.
        let b = min(i32(workgroupId.x) * ${perGroup} + n, ${B - 1});
        sample = b;
        ${body}
        workgroupBarrier();
      }
    }
    fn hl(k : i32) -> f32 { return P[(${T - 1} * ${B} + sample) * ${H} + k]; }`,
  );
}

/**
 * WGSL for the gradient of head parameter i (counted from the head's first), one sum over the
 * batch from what the head program left in HD; `hl(b, k)` reads h of the last step.
 */
function headGradient(s: StepShape): string {
  const { B, width: W } = s;
  const H = s.layers[s.layers.length - 1].H;
  const o = headLayout(s);
  const sum = (term: string) => `for (var b = 0; b < ${B}; b = b + 1) { g = g + ${term}; }`;
  if (s.kind === 'regressor') {
    return `
        if (i < ${H * W}) {
          let k = i / ${W}; let j = i % ${W};
          ${sum(`max(hl(b, k), 0.0) * HD[${o.da} + b * ${W} + j]`)}
        } else if (i < ${H * W + W}) {
          ${sum(`HD[${o.da} + b * ${W} + i - ${H * W}]`)}
        } else if (i < ${H * W + 2 * W}) {
          ${sum(`HD[${o.a} + b * ${W} + i - ${H * W + W}] * HD[${o.dp} + b]`)}
        } else {
          ${sum(`HD[${o.dp} + b]`)}
        }`;
  }
  return `
        if (i < ${H * W}) {
          let k = i / ${W}; let c = i % ${W};
          ${sum(`hl(b, k) * HD[${o.a} + b * ${W} + c]`)}
        } else {
          ${sum(`HD[${o.a} + b * ${W} + i - ${H * W}]`)}
        }`;
}

/**
 * Layer l backward through time → dz [T, B, 4H], then (l > 0) ∂L/∂x [T, B, In] for the layer
 * below. ∂L/∂h from above: the head's ∂L/∂h_last (top layer) or the upper layer's ∂L/∂x.
 */
function backwardProgram(s: StepShape, l: number) {
  const { T, B } = s;
  const L = s.layers[l];
  const H = L.H;
  const top = l === s.layers.length - 1;
  const upperDx = top ? 0 : T * B * 4 * s.layers[l + 1].H;
  return backwardRecurrence(programShape(s, l), {
    key: keyOf('lstmlab_step_bwd', s, [l]),
    variableNames: ['DY', 'PL', 'S'],
    variableComponents: [1, 1, 4],
    unitMajor: true,
    helpers: top
      ? `fn dyAt(t : i32, b : i32, u : i32) -> f32 { if (t == ${T - 1}) { return DY[b * ${H} + u]; } return 0.0; }`
      : `fn dyAt(t : i32, b : i32, u : i32) -> f32 { return DY[${upperDx} + (t * ${B} + b) * ${H} + u]; }`,
    planes: 'PL',
    wHh: packed(L.wHh, H),
    ...(l > 0 ? { dx: { In: L.In, wIh: packed(L.wIh, H) } } : {}),
  });
}

/**
 * Layer l's parameters (and, for the top layer, the head's): each one's gradient and its Adam
 * update. One invocation per LSTM (input, unit) pair updates the four gates' weights as a vec4:
 * dW_ih = Σ dzᵀx, dW_hh = Σ dzᵀh_{t−1}, db = Σ dz, each one sum over all steps and samples
 * (dz is [T, B, H, 4]), where widths allow 4 inputs of a unit per invocation; one invocation
 * per head parameter sums its gradient over the batch from what the head program left (see
 * headGradient), and a last one sums the loss. Writes its slice of the new [parameters, m, v,
 * gradients, loss] buffer. One program per layer keeps every program within WebGPU's
 * guaranteed 8 storage buffers per stage.
 */
function updateProgram(
  s: StepShape,
  l: number,
  adam: { beta1: number; beta2: number; eps: number },
) {
  const { T, B, N, Np } = s;
  const L = s.layers[l];
  const { In, H } = L;
  const top = l === s.layers.length - 1;
  const names = [...inputNames(l), 'P', 'D', 'S', ...(top ? ['HD'] : [])];
  // Where the input width (or H) is a multiple of 4, an invocation takes 4 inputs k of one unit u:
  // per (step, sample) one vec4 of inputs and one of dz feed 16 products (4× fewer loads).
  const blockIn = In % 4 === 0;
  const blockH = H % 4 === 0;
  const nIh = blockIn ? (In / 4) * H : In * H;
  const nHh = blockH ? (H / 4) * H : H * H;
  const units = nIh + nHh + 2 * H;
  // The top layer's program also updates the head and, in one last invocation, sums the loss.
  const count = units + (top ? N - s.head + 1 : 0);
  const [q0, q1, q2] = [L.wIh / 4, L.wHh / 4, L.bIh / 4];
  const xv =
    l === 0 ? `X[(IDX[b] * ${T} + t) * ${In / 4} + kq]` : `PREV[(t * ${B} + b) * ${In / 4} + kq]`;
  // A loop over (step, sample) pairs e = t·B + b: [opening, closing].
  type Loop = [string, string];
  const blocked = (base: number, [open, close]: Loop, input: string) => `
          let kq = j / ${H}; let u = j % ${H};
          var g0 = vec4<f32>(0.0); var g1 = vec4<f32>(0.0); var g2 = vec4<f32>(0.0); var g3 = vec4<f32>(0.0);
          ${open}
            let x = ${input};
            let d = D[e * ${H} + u];
            g0 = g0 + x.x * d; g1 = g1 + x.y * d; g2 = g2 + x.z * d; g3 = g3 + x.w * d;
          ${close}
          let q = ${base} + 4 * kq * ${H} + u;
          adam4(q, g0); adam4(q + ${H}, g1); adam4(q + ${2 * H}, g2); adam4(q + ${3 * H}, g3);`;
  const single = (base: number, [open, close]: Loop, input: string) => `
          let k = j / ${H}; let u = j % ${H};
          var g = vec4<f32>(0.0);
          ${open} g = g + ${input} * D[e * ${H} + u]; ${close}
          adam4(${base} + j, g);`;
  // W_ih: the step's input.
  const ihLoop: Loop = [
    `for (var t = 0; t < ${T}; t = t + 1) { for (var b = 0; b < ${B}; b = b + 1) { let e = t * ${B} + b;`,
    '} }',
  ];
  const ih = blockIn ? blocked(q0, ihLoop, xv) : single(q0, ihLoop, 'xin(t, b, k)');
  // W_hh: h of the step before (none at t = 0).
  const hhLoop: Loop = [`for (var e = ${B}; e < ${T * B}; e = e + 1) {`, '}'];
  const hh = blockH
    ? blocked(q1, hhLoop, `P[(e - ${B}) * ${H / 4} + kq]`)
    : single(q1, hhLoop, `P[(e - ${B}) * ${H} + k]`);
  const a = adam;
  return {
    names,
    prog: program(
      keyOf('lstmlab_step_update', s, [l, a.beta1, a.beta2, a.eps]),
      names,
      [4 * Np + 4],
      Math.ceil(count / THREADS),
      THREADS,
      `
    ${blockIn ? '' : inputAt(s, l)}
    fn put(i : i32, x : vec4<f32>) { result[i] = x.x; result[i + 1] = x.y; result[i + 2] = x.z; result[i + 3] = x.w; }
    fn adam4(q : i32, g : vec4<f32>) {
      let m = ${fl(a.beta1)} * S[${Np / 4} + q] + ${fl(1 - a.beta1)} * g;
      let v = ${fl(a.beta2)} * S[${Np / 2} + q] + ${fl(1 - a.beta2)} * g * g;
      put(4 * q, S[q] - uniforms.stepSize * (m / (sqrt(v) / uniforms.bc2 + ${fl(a.eps)})));
      put(4 * q + ${Np}, m);
      put(4 * q + ${2 * Np}, v);
      put(4 * q + ${3 * Np}, g);
    }
    fn main(index : i32) {
      _ = uniforms.NAN;
      let n = i32(workgroupId.x) * ${THREADS} + i32(localIndex);
      if (n < ${nIh}) {
        let j = n;
        ${ih}
      } else if (n < ${nIh + nHh}) {
        let j = n - ${nIh};
        ${hh}
      } else if (n < ${units}) {
        let u = (n - ${nIh + nHh}) % ${H};
        var g = vec4<f32>(0.0);
        for (var e = 0; e < ${T * B}; e = e + 1) { g = g + D[e * ${H} + u]; }
        adam4(${q2} + n - ${nIh + nHh}, g);
      }${
        top
          ? ` else if (n < ${count - 1}) {
        let i = n - ${units};
        var g = 0.0;
        ${headGradient(s)}
        let q = ${s.head} + i;
        let m = ${fl(a.beta1)} * S[(${Np} + q) / 4][q % 4] + ${fl(1 - a.beta1)} * g;
        let v = ${fl(a.beta2)} * S[(${2 * Np} + q) / 4][q % 4] + ${fl(1 - a.beta2)} * g * g;
        result[q] = S[q / 4][q % 4] - uniforms.stepSize * (m / (sqrt(v) / uniforms.bc2 + ${fl(a.eps)}));
        result[${Np} + q] = m;
        result[${2 * Np} + q] = v;
        result[${3 * Np} + q] = g;
      } else if (n == ${count - 1}) {
        var l = 0.0;
        for (var b = 0; b < ${B}; b = b + 1) { l = l + HD[${s.kind === 'regressor' ? headLayout(s).sq : headLayout(s).dp} + b]; }
        result[${4 * Np}] = l / ${fl(B)};
      }`
          : ''
      }
    }
    fn hl(b : i32, k : i32) -> f32 {
      let i = (${T - 1} * ${B} + b) * ${H} + k;
      return ${blockH ? 'P[i / 4][i % 4]' : 'P[i]'};
    }`,
      'stepSize : f32, bc2 : f32,',
      names.map((n) =>
        n === 'D' || n === 'S' || (n === 'P' && blockH) || ((n === 'X' || n === 'PREV') && blockIn)
          ? 4
          : 1,
      ),
    ),
  };
}

/** The shape of the fused step for this model and batch, or null if it has no fused step. */
function stepShape(model: TfModel, T: number, B: number): StepShape | null {
  if (model.kind === 'lstm' || model.layers.length === 0) return null;
  let off = 0;
  const layers: LayerShape[] = [];
  for (const l of model.layers) {
    const layout = seqLayout(B, l.hiddenSize);
    if (!layout) return null;
    const G = 4 * l.hiddenSize;
    const wIh = off;
    const wHh = wIh + l.inputSize * G;
    const bIh = wHh + l.hiddenSize * G;
    const bHh = bIh + G;
    off = bHh + G;
    layers.push({ In: l.inputSize, H: l.hiddenSize, wIh, wHh, bIh, bHh, layout });
  }
  const head = off;
  for (const d of model.head) off += d.kernel.size + d.bias.size;
  const width = model.head[0].kernel.shape[1];
  return { kind: model.kind, T, B, layers, head, width, N: off, Np: Math.ceil(off / 4) * 4 };
}

/** Per step, per layer: every unit's gates i, f, g, o and its c and h. */
export type GateSteps = {
  i: number[];
  f: number[];
  g: number[];
  o: number[];
  c: number[];
  h: number[];
}[][];

/** The programs of one (T, B): built once, reused by every batch of that shape. */
interface Programs {
  s: StepShape;
  forward: ReturnType<typeof forwardProgram>[];
  head: ReturnType<typeof headProgram>;
  backward: ReturnType<typeof backwardProgram>[];
  update: ReturnType<typeof updateProgram>[];
}

/**
 * Trains a regressor or classifier on WebGPU one batch per `step`, PyTorch's Adam included.
 * createStepper (train.ts) checks `FusedWebGpuStep.available` first.
 */
export class FusedWebGpuStep implements ModelStepper {
  readonly kind = 'fused-webgpu';
  /** [parameters, m, v, last gradients] (Np each), then the last loss; see load(). */
  private state: Tensor1D;
  private steps = 0;
  private dirty = false;
  private readonly iota = new Map<number, Tensor1D>();
  private readonly programs = new Map<string, Programs | null>();
  /** The hidden size of each LSTM weight or bias variable (stored unit-major, see load). */
  private readonly lstmUnits = new Map<Tensor, number>();
  private readonly Np: number;

  static available(model: TfModel, T: number, B: number): boolean {
    return fusedWebGpuEnabled() && stepShape(model, T, B) != null;
  }

  constructor(
    readonly model: TfModel,
    public lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    for (const l of model.layers) {
      for (const v of [l.wIh, l.wHh, l.biasIh, l.biasHh]) this.lstmUnits.set(v, l.hiddenSize);
    }
    this.state = this.load();
    this.Np = (this.state.size - 4) / 4;
  }

  /**
   * Reads the model's variables into a fresh buffer with zero m and v. The LSTM's weights and
   * biases are stored unit-major, [rows, H, 4] instead of tfjs's [rows, 4, H], so that a unit's
   * four gates are one vec4; the head's as they are.
   */
  private load(): Tensor1D {
    return keep(
      tidy(() => {
        const flat = this.model.variables.map((v) => {
          const H = this.lstmUnits.get(v);
          if (H == null) return reshape(v, [v.size]);
          const rows = v.size / (4 * H);
          return reshape(transpose(reshape(v, [rows, 4, H]), [0, 2, 1]), [v.size]);
        });
        const N = flat.reduce((a, t) => a + t.size, 0);
        const Np = Math.ceil(N / 4) * 4;
        // [parameters, m, v, gradients] of Np each, then the last loss (and padding).
        return concat([...flat, zeros([Np - N + 3 * Np + 4])]) as Tensor1D;
      }),
    );
  }

  /**
   * One batch: x [n, T, F] holds the samples (the whole training set, or just this batch), `idx`
   * (int32 [B]) says which rows form the batch (all of x when omitted), y [n] their targets or
   * labels. Returns the batch's loss (the caller reads and disposes it).
   */
  step(x: Tensor3D, y: Tensor1D, idx?: Tensor1D): Scalar {
    const rows = idx ?? this.identity(x.shape[0]);
    const p = this.programsFor(x.shape[1], rows.shape[0]);
    const { s } = p;
    const planes = this.forward(p, x, rows);
    const hd = run(p.head, [planes[planes.length - 1], this.state, y, rows]);
    const dz: Tensor[] = new Array(s.layers.length);
    for (let l = s.layers.length - 1; l >= 0; l--) {
      const dy = l === s.layers.length - 1 ? hd : dz[l + 1];
      dz[l] = run(p.backward[l], [dy, planes[l], this.state]);
    }
    this.steps++;
    const uniforms = [
      { type: 'float32' as const, data: [this.lr / (1 - this.beta1 ** this.steps)] },
      { type: 'float32' as const, data: [Math.sqrt(1 - this.beta2 ** this.steps)] },
    ];
    // Every layer's update writes its own slice of one new state buffer.
    const next = webgpu().makeTensorInfo([4 * s.Np + 4], 'float32');
    p.update.forEach((update, l) => {
      const byName: Record<string, Tensor> = {
        X: x,
        IDX: rows,
        PREV: planes[l - 1],
        P: planes[l],
        D: dz[l],
        S: this.state,
        HD: hd,
      };
      const inputs = update.names.map((n) => byName[n]);
      runInto(update.prog, inputs, uniforms, next);
    });
    dispose([this.state, hd, ...planes, ...dz]);
    this.state = keep(engine().makeTensorFromTensorInfo(next) as Tensor1D);
    const loss = tidy(() => reshape(slice(this.state, [4 * s.Np], [1]), []) as Scalar);
    this.dirty = true;
    return loss;
  }

  /** The programs for sequences of T steps in batches of B (built on first use). */
  private programsFor(T: number, B: number): Programs {
    const key = `${T}_${B}`;
    if (!this.programs.has(key)) {
      const s = stepShape(this.model, T, B);
      const adam = { beta1: this.beta1, beta2: this.beta2, eps: this.eps };
      this.programs.set(
        key,
        s && {
          s,
          forward: s.layers.map((_, l) => forwardProgram(s, l)),
          head: headProgram(s),
          backward: s.layers.map((_, l) => backwardProgram(s, l)),
          update: s.layers.map((_, l) => updateProgram(s, l, adam)),
        },
      );
    }
    const p = this.programs.get(key);
    if (!p) throw new Error('No fused WebGPU step for this model');
    return p;
  }

  /** Every layer's planes [6, T, B, H] (h, c, i, f, g, o) for the batch's rows of x. */
  private forward(p: Programs, x: Tensor3D, rows: Tensor1D): Tensor[] {
    const planes: Tensor[] = [];
    p.forward.forEach((prog, l) => {
      planes.push(run(prog, l === 0 ? [x, rows, this.state] : [planes[l - 1], this.state]));
    });
    return planes;
  }

  /**
   * The forward of one window x [1, T, F] with the weights being trained, as the training batches
   * run it: per layer, per step, the gates i, f, g, o and c, h of every unit (what the gate strip
   * shows of a WebGPU run).
   */
  async gates(x: Tensor3D): Promise<GateSteps> {
    const p = this.programsFor(x.shape[1], 1);
    const planes = this.forward(p, x, this.identity(1));
    const data = await Promise.all(planes.map((t) => t.data()));
    dispose(planes);
    const T = p.s.T;
    // Planes [6, T, 1, H]: h, c, i, f, g, o.
    return Array.from({ length: T }, (_, t) =>
      p.s.layers.map(({ H }, l) => {
        const plane = (k: number) =>
          Array.from(data[l].subarray((k * T + t) * H, (k * T + t + 1) * H));
        return { h: plane(0), c: plane(1), i: plane(2), f: plane(3), g: plane(4), o: plane(5) };
      }),
    );
  }

  private identity(n: number): Tensor1D {
    let t = this.iota.get(n);
    if (!t) {
      t = keep(
        tensor1d(
          Int32Array.from({ length: n }, (_, k) => k),
          'int32',
        ),
      );
      this.iota.set(n, t);
    }
    return t;
  }

  /** Writes the trained parameters into the model's variables (before predicting or saving). */
  sync(): void {
    if (!this.dirty) return;
    this.copyInto(this.model, 0);
    this.dirty = false;
  }

  /** Writes the last batch's gradients into the variables of a model of the same shape. */
  gradientsInto(twin: TfModel): void {
    this.copyInto(twin, 3 * this.Np);
  }

  /** Reads one part of the state back into a model's variables, undoing load()'s layout. */
  private copyInto(model: TfModel, from: number): void {
    tidy(() => {
      let off = from;
      model.variables.forEach((v, k) => {
        const H = this.lstmUnits.get(this.model.variables[k]);
        const part = slice(this.state, [off], [v.size]);
        const rows = H == null ? 0 : v.size / (4 * H);
        v.assign(
          H == null
            ? reshape(part, v.shape)
            : reshape(transpose(reshape(part, [rows, H, 4]), [0, 2, 1]), v.shape),
        );
        off += v.size;
      });
    });
  }

  dispose(): void {
    dispose([this.state, ...this.iota.values()]);
    this.iota.clear();
  }
}
