import { HEAD_GROUPS, HEAD_THREADS, fl, type StepShape } from './layout';
import { keyOf, program } from './program';

/** Where the head program puts things in its output (each [B, …], sample-major). */
export function headLayout(s: StepShape) {
  const { B, width } = s;
  const H = s.layers[s.layers.length - 1].H;
  const dh = 0; // ∂L/∂h of the last step [B, H]
  const a = B * H; // regressor: relu(fc_1) [B, width]; classifier: ∂L/∂logits [B, width]
  const da = a + B * width; // regressor: ∂L/∂(fc_1 output) [B, width]
  const dp = da + B * width; // regressor: ∂L/∂prediction [B]; classifier: each sample's loss
  const sq = dp + B; // regressor: each sample's squared error
  return { dh, a, da, dp, sq, size: sq + B };
}

/**
 * The head's forward and backward, sample by sample (spread over up to 32 workgroups): from the top layer's h at the last
 * step to the loss terms and ∂L/∂h_last. Everything that sums over the batch (the head's weight
 * gradients, the loss) is left to the update program, so no single workgroup walks the batch.
 */
export function headProgram(s: StepShape) {
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
export function headGradient(s: StepShape): string {
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
