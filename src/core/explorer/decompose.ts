import type { LstmLayer } from '../lstm/lstm';
import type { TraceStep } from './trace';

/** PyTorch's gate order: the four row blocks of weight_ih and weight_hh, top to bottom. */
export type GateKey = 'i' | 'f' | 'g' | 'o';
export const GATE_KEYS: readonly GateKey[] = ['i', 'f', 'g', 'o'];

/** One weight of a gate's row times the value it multiplies. */
export interface WeightTerm {
  col: number;
  weight: number;
  value: number;
  product: number;
}

/**
 * Where one gate's pre-activation comes from, for one unit at one step:
 * z = W_ih[row]·x_t + W_hh[row]·h_{t−1} + b_ih[row] + b_hh[row], with row = gate·H + unit.
 */
export interface PreActivationSplit {
  gate: GateKey;
  unit: number;
  row: number;
  input: WeightTerm[];
  hidden: WeightTerm[];
  inputSum: number;
  hiddenSum: number;
  biasIh: number;
  biasHh: number;
  z: number;
}

/** A layer's weights as PyTorch lays them out: [4H][In], [4H][H], [4H], [4H]. */
export interface LayerMatrices {
  weightIh: number[][];
  weightHh: number[][];
  biasIh: number[];
  biasHh: number[];
}

export function layerMatrices(layer: LstmLayer): LayerMatrices {
  const rows = (v: ArrayLike<number>, cols: number) =>
    Array.from({ length: 4 * layer.hiddenSize }, (_, r) =>
      Array.from({ length: cols }, (_, k) => v[r * cols + k]),
    );
  return {
    weightIh: rows(layer.weightIh.value, layer.inputSize),
    weightHh: rows(layer.weightHh.value, layer.hiddenSize),
    biasIh: Array.from(layer.biasIh.value),
    biasHh: Array.from(layer.biasHh.value),
  };
}

export function splitPreActivation(
  m: LayerMatrices,
  step: Pick<TraceStep, 'x' | 'hPrev'>,
  gate: GateKey,
  unit: number,
): PreActivationSplit {
  const H = m.weightHh[0].length;
  const row = GATE_KEYS.indexOf(gate) * H + unit;
  const terms = (w: number[], v: readonly number[]) =>
    w.map((weight, col) => ({ col, weight, value: v[col], product: weight * v[col] }));
  const input = terms(m.weightIh[row], step.x);
  const hidden = terms(m.weightHh[row], step.hPrev);
  const sum = (t: WeightTerm[]) => t.reduce((a, b) => a + b.product, 0);
  const inputSum = sum(input);
  const hiddenSum = sum(hidden);
  const biasIh = m.biasIh[row];
  const biasHh = m.biasHh[row];
  return {
    gate,
    unit,
    row,
    input,
    hidden,
    inputSum,
    hiddenSum,
    biasIh,
    biasHh,
    z: inputSum + hiddenSum + biasIh + biasHh,
  };
}

/**
 * Rounds parts to `digits` decimals so that the rounded parts add up to the rounded total
 * exactly (largest remainder): a written sum that a learner checks by hand must come out.
 */
export function roundToSum(
  parts: readonly number[],
  digits: number,
): { parts: number[]; total: number } {
  const scale = 10 ** digits;
  const scaled = parts.map((p) => p * scale);
  const total = Math.round(scaled.reduce((a, b) => a + b, 0));
  const floors = scaled.map(Math.floor);
  let missing = total - floors.reduce((a, b) => a + b, 0);
  const order = scaled
    .map((s, k) => ({ k, rest: s - floors[k] }))
    .sort((a, b) => b.rest - a.rest || a.k - b.k);
  const units = [...floors];
  for (const { k } of order) {
    if (missing <= 0) break;
    units[k] += 1;
    missing -= 1;
  }
  return { parts: units.map((u) => u / scale), total: total / scale };
}

/** What the file itself calls the layer's four tensors (the seed's x2h/h2h, or PyTorch's). */
export function weightNames(
  sd: Record<string, unknown>,
  layer: number,
): { ih: string; hh: string; bih: string; bhh: string } {
  const seed = Object.keys(sd).find((k) => /(^|\.)x2h\.weight$/.test(k));
  if (seed) {
    const p = seed.slice(0, seed.length - 'x2h.weight'.length);
    return { ih: `${p}x2h.weight`, hh: `${p}h2h.weight`, bih: `${p}x2h.bias`, bhh: `${p}h2h.bias` };
  }
  const key = Object.keys(sd).find((k) => /weight_ih(_l0)?$/.test(k)) ?? 'weight_ih';
  const prefix = key.slice(0, key.indexOf('weight_ih'));
  const l = key.endsWith('_l0') ? `_l${layer}` : '';
  return {
    ih: `${prefix}weight_ih${l}`,
    hh: `${prefix}weight_hh${l}`,
    bih: `${prefix}bias_ih${l}`,
    bhh: `${prefix}bias_hh${l}`,
  };
}
