import { forwardRecurrence } from './recurrenceCode';
import { inputAt, inputNames, keyOf, packed, programShape } from './program';
import type { StepShape } from './layout';

/**
 * Layer l over the whole sequence → [6, T, B, H] (h, c, i, f, g, o): the recurrence of
 * webgpu/recurrence.ts with the input projection x·W_ihᵀ + b_ih + b_hh computed in place.
 */
export function forwardProgram(s: StepShape, l: number) {
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
