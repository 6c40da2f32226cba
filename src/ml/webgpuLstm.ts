import {
  engine,
  getBackend,
  getKernel,
  registerKernel,
  reshape,
  slice,
  type KernelBackend,
  type Tensor,
  type Tensor3D,
  type Tensor4D,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { Recurrence } from './lstmLayer';

/**
 * The LSTM recurrence in one WebGPU dispatch per layer and direction (the persistent-RNN idea).
 *
 * Per op, a training step on WebGPU was ~17 dispatches forward and ~35 backward per time step;
 * on a real GPU that is dispatch-bound. Here one workgroup owns a slice of the batch and walks
 * the sequence itself: each invocation computes the four gate pre-activations of a (sample, unit)
 * pair from h_{t−1} held in workgroup memory, then c and h, and a barrier ends the step. W_hh is
 * copied to workgroup memory when it fits (16 KB with the rest), otherwise read from storage.
 * The input projection X·W_ihᵀ and the weight gradients stay single big matMuls (lstmLayer.ts).
 *
 * Programs follow tfjs-backend-webgpu's WebGPUProgram shape and run through the backend's own
 * runWebGPUProgram, so inputs and outputs stay tfjs tensors on the device.
 */
const SEQ_FORWARD = 'LstmLabSeqForward';
const SEQ_BACKWARD = 'LstmLabSeqBackward';

/** WebGPU's guaranteed minimums: 256 invocations and 16 KB of workgroup memory. */
const MAX_INVOCATIONS = 256;
const WORKGROUP_FLOATS = 4096;

export interface SeqLayout {
  /** Samples per workgroup. */
  rows: number;
  /** Invocations per workgroup. */
  threads: number;
  workgroups: number;
  /** W_hh is copied into workgroup memory. */
  sharedWeights: boolean;
}

/** How a batch of B sequences with hidden size H is laid out on workgroups; null if it cannot be. */
export function seqLayout(B: number, H: number): SeqLayout | null {
  const rows = Math.max(1, Math.min(B, Math.floor(MAX_INVOCATIONS / H)));
  // The backward pass holds dz (4H) plus dh and dc (H each) per sample.
  const scratch = 6 * rows * H;
  if (scratch > WORKGROUP_FLOATS) return null;
  return {
    rows,
    threads: Math.min(MAX_INVOCATIONS, rows * H),
    workgroups: Math.ceil(B / rows),
    sharedWeights: scratch + 4 * H * H <= WORKGROUP_FLOATS,
  };
}

export interface ProgramShape {
  T: number;
  B: number;
  H: number;
  layout: SeqLayout;
}

/** Shared WGSL: overflow-safe tanh (the built-in can return NaN for large |x| on some drivers). */
export const MATH = `
  fn sig(x : f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
  fn tnh(x : f32) -> f32 {
    let e = exp(-2.0 * abs(x));
    return sign(x) * (1.0 - e) / (1.0 + e);
  }
`;

/**
 * Where a program reads a weight matrix: `at(k, u)` is WGSL for the four gate weights (i, f, g, o)
 * of unit u from input k, as one vec4. The fused step stores them that way (one vec4 load); a
 * tfjs variable [K, 4H] is read as four scalars (`gatesOf`).
 */
export interface WeightSource {
  at(k: string, u: string): string;
}

/** The gates of unit u from input k in a tfjs-layout matrix [K, 4H] held in `buffer`. */
export const gatesOf = (buffer: string, H: number): WeightSource => ({
  at: (k, u) => {
    const o = `(${k}) * ${4 * H} + (${u})`;
    return `vec4<f32>(${buffer}[${o}], ${buffer}[${o} + ${H}], ${buffer}[${o} + ${2 * H}], ${buffer}[${o} + ${3 * H}])`;
  },
});

/**
 * Workgroup arrays, W_hh (copied to workgroup memory as vec4 per (k, u) when it fits) and the
 * start of main(): zero the per-(sample, unit) state, load the weights, barrier. Returns the
 * source to read W_hh from.
 */
function prologue(
  { H, layout }: ProgramShape,
  arrays: { name: string; size: number; zeroed: boolean; vec4?: boolean }[],
  w: WeightSource,
): { head: string; w: WeightSource } {
  const decl = arrays.map(
    (a) => `var<workgroup> ${a.name} : array<${a.vec4 ? 'vec4<f32>' : 'f32'}, ${a.size}>;`,
  );
  const zero = arrays
    .filter((a) => a.zeroed)
    .map((a) => `${a.name}[j] = ${a.vec4 ? 'vec4<f32>(0.0)' : '0.0'};`);
  if (layout.sharedWeights) decl.push(`var<workgroup> wsh : array<vec4<f32>, ${H * H}>;`);
  const n = layout.rows * H;
  const head = `
    ${decl.join('\n')}
    fn main(index : i32) {
      _ = uniforms.NAN; // the uniform binding must be used, or the auto layout drops it
      let li = i32(localIndex);
      let b0 = i32(workgroupId.x) * ${layout.rows};
      for (var j = li; j < ${n}; j = j + ${layout.threads}) { ${zero.join(' ')} }
      ${layout.sharedWeights ? `for (var j = li; j < ${H * H}; j = j + ${layout.threads}) { wsh[j] = ${w.at(`j / ${H}`, `j % ${H}`)}; }` : ''}
      workgroupBarrier();`;
  return {
    head,
    w: layout.sharedWeights ? { at: (k, u) => `wsh[(${k}) * ${H} + (${u})]` } : w,
  };
}

/** A WebGPUProgram (tfjs-backend-webgpu's shape) for one workgroup-per-batch-slice layout. */
export function seqProgram(
  key: string,
  { layout }: ProgramShape,
  variableNames: string[],
  outputShape: number[],
  body: string,
  variableComponents?: number[],
) {
  return {
    variableNames,
    ...(variableComponents ? { variableComponents } : {}),
    outputShape,
    shaderKey: `${key}_${layout.rows}_${layout.threads}_${layout.sharedWeights}`,
    dispatchLayout: { x: outputShape.map((_, k) => k) },
    dispatch: [layout.workgroups, 1, 1] as [number, number, number],
    workgroupSize: [layout.threads, 1, 1] as [number, number, number],
    getUserCode: () => `${MATH}\n${body}`,
  };
}

/** What a forward recurrence reads: `helpers` defines zin(t, b, u), the input part of the
 * four gates' pre-activations (i, f, g, o) of unit u, as a vec4. */
export interface ForwardSource {
  key: string;
  variableNames: string[];
  variableComponents?: number[];
  helpers: string;
  wHh: WeightSource;
}

/** The recurrence forward over the whole sequence → [6, T, B, H]: planes h, c, i, f, g, o. */
export function forwardRecurrence(s: ProgramShape, src: ForwardSource) {
  const { T, B, H, layout } = s;
  const { rows, threads } = layout;
  const P = T * B * H;
  const wt = prologue(
    s,
    [
      { name: 'hbuf', size: 2 * rows * H, zeroed: true },
      { name: 'cbuf', size: rows * H, zeroed: true },
    ],
    src.wHh,
  );
  return seqProgram(
    `${src.key}_${T}_${B}_${H}`,
    s,
    src.variableNames,
    [6, T, B, H],
    `${src.helpers}
    ${wt.head}
      for (var t = 0; t < ${T}; t = t + 1) {
        let cur = (t % 2) * ${rows * H};
        let nxt = ((t + 1) % 2) * ${rows * H};
        for (var j = li; j < ${rows * H}; j = j + ${threads}) {
          let bl = j / ${H};
          let u = j % ${H};
          let b = b0 + bl;
          if (b < ${B}) {
            var z = zin(t, b, u);
            let hb = cur + bl * ${H};
            for (var k = 0; k < ${H}; k = k + 1) { z = z + hbuf[hb + k] * ${wt.w.at('k', 'u')}; }
            let ig = sig(z.x);
            let fg = sig(z.y);
            let gg = tnh(z.z);
            let og = sig(z.w);
            let c = fg * cbuf[j] + ig * gg;
            cbuf[j] = c;
            let h = og * tnh(c);
            hbuf[nxt + j] = h;
            let o = (t * ${B} + b) * ${H} + u;
            result[o] = h;
            result[${P} + o] = c;
            result[${2 * P} + o] = ig;
            result[${3 * P} + o] = fg;
            result[${4 * P} + o] = gg;
            result[${5 * P} + o] = og;
          }
        }
        workgroupBarrier();
      }
    }`,
    src.variableComponents,
  );
}

/**
 * What a backward recurrence reads: `helpers` defines dyAt(t, b, u), ∂L/∂h from above; the
 * forward's planes are in `planes`. dz is written gate-major per step ([T, B, 4H], tfjs's
 * layout) or, with `unitMajor`, as [T, B, H, 4] (the fused step's). With `dx`, it also writes
 * ∂L/∂x [T, B, In] after dz, for the layer below, without another dispatch.
 */
export interface BackwardSource {
  key: string;
  variableNames: string[];
  variableComponents?: number[];
  helpers: string;
  planes: string;
  wHh: WeightSource;
  unitMajor?: boolean;
  dx?: { In: number; wIh: WeightSource };
}

/** The recurrence backward through time → dz (then ∂L/∂x with `dx`). */
export function backwardRecurrence(s: ProgramShape, src: BackwardSource) {
  const { T, B, H, layout } = s;
  const { rows, threads } = layout;
  const G = 4 * H;
  const P = T * B * H;
  const S = src.planes;
  const wt = prologue(
    s,
    [
      { name: 'dzsh', size: rows * H, zeroed: false, vec4: true },
      { name: 'dhsh', size: rows * H, zeroed: true },
      { name: 'dcsh', size: rows * H, zeroed: true },
    ],
    src.wHh,
  );
  const dx = src.dx;
  // Sum over units of dz(u) · W(k, u): ∂L/∂(input k) of sample bl.
  const dot = (w: WeightSource) =>
    `for (var u = 0; u < ${H}; u = u + 1) { d = d + dot(dzsh[bl * ${H} + u], ${w.at('k', 'u')}); }`;
  const dxLoop = dx
    ? `
        for (var j = li; j < ${rows * dx.In}; j = j + ${threads}) {
          let bl = j / ${dx.In};
          let k = j % ${dx.In};
          let b = b0 + bl;
          if (b < ${B}) {
            var d = 0.0;
            ${dot(dx.wIh)}
            result[${T * B * G} + (t * ${B} + b) * ${dx.In} + k] = d;
          }
        }`
    : '';
  const writeDz = src.unitMajor
    ? `let zo = ((t * ${B} + b) * ${H} + u) * 4;
            result[zo] = dzi;
            result[zo + 1] = dzf;
            result[zo + 2] = dzg;
            result[zo + 3] = dzo;`
    : `let zo = (t * ${B} + b) * ${G} + u;
            result[zo] = dzi;
            result[zo + ${H}] = dzf;
            result[zo + ${2 * H}] = dzg;
            result[zo + ${3 * H}] = dzo;`;
  const dxSize = dx ? Math.ceil((T * B * dx.In) / 4) * 4 : 0;
  return seqProgram(
    `${src.key}_${T}_${B}_${H}_${dx ? dx.In : 0}_${src.unitMajor ?? false}`,
    s,
    src.variableNames,
    [T * B * G + dxSize],
    `${src.helpers}
    ${wt.head}
      for (var t = ${T - 1}; t >= 0; t = t - 1) {
        for (var j = li; j < ${rows * H}; j = j + ${threads}) {
          let bl = j / ${H};
          let u = j % ${H};
          let b = b0 + bl;
          if (b < ${B}) {
            let o = (t * ${B} + b) * ${H} + u;
            let c = ${S}[${P} + o];
            let ig = ${S}[${2 * P} + o];
            let fg = ${S}[${3 * P} + o];
            let gg = ${S}[${4 * P} + o];
            let og = ${S}[${5 * P} + o];
            var cPrev = 0.0;
            if (t > 0) { cPrev = ${S}[${P} + o - ${B * H}]; }
            let tc = tnh(c);
            let dh = dyAt(t, b, u) + dhsh[j];
            let dc = dcsh[j] + dh * og * (1.0 - tc * tc);
            dcsh[j] = dc * fg;
            let dzi = dc * gg * ig * (1.0 - ig);
            let dzf = dc * cPrev * fg * (1.0 - fg);
            let dzg = dc * ig * (1.0 - gg * gg);
            let dzo = dh * tc * og * (1.0 - og);
            ${writeDz}
            dzsh[bl * ${H} + u] = vec4<f32>(dzi, dzf, dzg, dzo);
          }
        }
        workgroupBarrier();
        // ∂L/∂h_{t−1} through the recurrence: dz_t · W_hh, one (sample, unit) per invocation.
        for (var j = li; j < ${rows * H}; j = j + ${threads}) {
          let bl = j / ${H};
          let k = j % ${H};
          if (b0 + bl < ${B}) {
            var d = 0.0;
            ${dot(wt.w)}
            dhsh[j] = d;
          }
        }${dxLoop}
        workgroupBarrier();
      }
    }`,
    src.variableComponents,
  );
}

/** XP [T, B, 4H] (x·W_ihᵀ + b), W [H, 4H] → [6, T, B, H]. */
const forwardProgram = (s: ProgramShape) =>
  forwardRecurrence(s, {
    key: 'lstmlab_seq_fwd',
    variableNames: ['XP', 'W'],
    helpers: `fn zin(t : i32, b : i32, u : i32) -> vec4<f32> {
      let xo = (t * ${s.B} + b) * ${4 * s.H} + u;
      return vec4<f32>(XP[xo], XP[xo + ${s.H}], XP[xo + ${2 * s.H}], XP[xo + ${3 * s.H}]);
    }`,
    wHh: gatesOf('W', s.H),
  });

/** DY [T, B, H], S [6, T, B, H] (the forward's planes), W [H, 4H] → dz [T, B, 4H]. */
const backwardProgram = (s: ProgramShape) =>
  backwardRecurrence(s, {
    key: 'lstmlab_seq_bwd',
    variableNames: ['DY', 'S', 'W'],
    helpers: `fn dyAt(t : i32, b : i32, u : i32) -> f32 { return DY[(t * ${s.B} + b) * ${s.H} + u]; }`,
    planes: 'S',
    wHh: gatesOf('W', s.H),
  });

interface WebGpuBackendLike {
  runWebGPUProgram(program: unknown, inputs: TensorInfo[], dtype: 'float32'): TensorInfo;
}

function registerSeqKernels(): void {
  if (getKernel(SEQ_FORWARD, 'webgpu')) return;
  registerKernel({
    kernelName: SEQ_FORWARD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { xp, w } = inputs as Record<string, TensorInfo>;
      const [T, B, G] = xp.shape;
      const H = G / 4;
      const layout = seqLayout(B, H)!;
      const prog = forwardProgram({ T, B, H, layout });
      return (backend as KernelBackend & WebGpuBackendLike).runWebGPUProgram(
        prog,
        [xp, w],
        'float32',
      );
    },
  });
  registerKernel({
    kernelName: SEQ_BACKWARD,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { dy, s, w } = inputs as Record<string, TensorInfo>;
      const [T, B, H] = dy.shape;
      const layout = seqLayout(B, H)!;
      const prog = backwardProgram({ T, B, H, layout });
      return (backend as KernelBackend & WebGpuBackendLike).runWebGPUProgram(
        prog,
        [dy, s, w],
        'float32',
      );
    },
  });
}
registerSeqKernels();

/** Turned off to time or test the per-op path on the same adapter. */
let enabled = true;
export function setFusedWebGpu(on: boolean): void {
  enabled = on;
}
export const fusedWebGpuEnabled = (): boolean => enabled && getBackend() === 'webgpu';

const fused: Recurrence = {
  forward(xp, wHh) {
    const [T, B, G] = xp.shape;
    const H = G / 4;
    const planes = engine().runKernel(SEQ_FORWARD, { xp, w: wHh }) as Tensor4D;
    const hs = reshape(slice(planes, [0, 0, 0, 0], [1, T, B, H]), [T, B, H]) as Tensor3D;
    return { hs, saved: [planes] };
  },
  backward(dHs, wHh, saved) {
    const inputs: Record<string, Tensor> = { dy: dHs, s: saved[0], w: wHh };
    return engine().runKernel(SEQ_BACKWARD, inputs) as Tensor3D;
  },
};

/** The fused recurrence when the active backend is WebGPU and the shape fits, else null. */
export function fusedRecurrence(B: number, H: number): Recurrence | null {
  return fusedWebGpuEnabled() && seqLayout(B, H) != null ? fused : null;
}
