import { backwardRecurrence } from './recurrenceCode';
import { keyOf, packed, programShape } from './program';
import type { StepShape } from './layout';

/**
 * Layer l backward through time → dz [T, B, 4H], then (l > 0) ∂L/∂x [T, B, In] for the layer
 * below. ∂L/∂h from above: the head's ∂L/∂h_last (top layer) or the upper layer's ∂L/∂x.
 */
export function backwardProgram(s: StepShape, l: number) {
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
