import { prologue, seqProgram, type ProgramShape, type WeightSource } from './seqProgram';

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
