import { fl, THREADS, type StepShape } from './layout';
import { headGradient, headLayout } from './head';
import { inputAt, inputNames, keyOf, program } from './program';

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
export function updateProgram(
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
