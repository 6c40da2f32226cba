/** The persistent-recurrence programs' shared parts: layout, WGSL math, weight access. */

/** WebGPU's guaranteed minimums: 256 invocations and 16 KB of workgroup memory. */
const MAX_INVOCATIONS = 256;
export const WORKGROUP_FLOATS = 4096;

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
export function prologue(
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
