import type { TfModel } from '../tfLstm';
import { WORKGROUP_FLOATS, seqLayout, type SeqLayout } from './seqProgram';

/** Buffer layout of the fused step: where each layer's weights and the head's sit in one flat buffer (pure arithmetic). */
export const THREADS = 256;

/** A float literal WGSL accepts. */
export const fl = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

export interface LayerShape {
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

export interface StepShape {
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

/** The shape of the fused step for this model and batch, or null if it has no fused step. */
export const HEAD_THREADS = 64;
export const HEAD_GROUPS = 32;

/**
 * Workgroup memory (floats) the head program declares for a head of this width: two rows of the
 * width (activations and their gradient), one reduction slot per thread and one scalar.
 */
export const headWorkgroupFloats = (width: number) => 2 * width + HEAD_THREADS + 1;

/** The widest fc_1 whose head program fits WebGPU's guaranteed workgroup memory. */
export const FUSED_HEAD_MAX_WIDTH = Math.floor((WORKGROUP_FLOATS - HEAD_THREADS - 1) / 2);

/** Why a model with a head trains without the fused step: its fc_1 is too wide (else null). */
export function wideHeadRefusal(model: TfModel): { width: number; max: number } | null {
  if (model.kind === 'lstm' || model.head.length === 0) return null;
  const width = model.head[0].kernel.shape[1];
  return width > FUSED_HEAD_MAX_WIDTH ? { width, max: FUSED_HEAD_MAX_WIDTH } : null;
}

export function stepShape(model: TfModel, T: number, B: number): StepShape | null {
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
  // A head too wide for WebGPU's guaranteed 16 KB of workgroup memory would fail pipeline
  // validation: such a model (an imported wide fc_1) trains with autodiff instead.
  if (wideHeadRefusal(model)) return null;
  return { kind: model.kind, T, B, layers, head, width, N: off, Np: Math.ceil(off / 4) * 4 };
}
