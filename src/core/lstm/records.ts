import { lstmFinalStates, lstmOutput, type LstmForward } from './lstm';
import { toNested, type Nested } from './tensor';

/** One step of one layer as nested arrays: each gate is [b][H]; pre is [b][4H]. */
export interface StepRecord {
  pre: Nested;
  i: Nested;
  f: Nested;
  g: Nested;
  o: Nested;
  c: Nested;
  h: Nested;
}

/** Reads step t of a layer record back as nested arrays (for JSON, the CLI and the UI). */
export function stepRecord(fwd: LstmForward, layer: number, t: number): StepRecord {
  const rec = fwd.layers[layer];
  const B = fwd.batch;
  const H = fwd.hiddenSize;
  const G = 4 * H;
  const gate = (k: number): Nested =>
    Array.from({ length: B }, (_, b) => {
      const off = (t * B + b) * G + k * H;
      return Array.from(rec.gates.subarray(off, off + H));
    });
  return {
    pre: toNested(rec.pre.subarray(t * B * G, (t + 1) * B * G), [B, G]),
    i: gate(0),
    f: gate(1),
    g: gate(2),
    o: gate(3),
    c: toNested(rec.c.subarray(t * B * H, (t + 1) * B * H), [B, H]),
    h: toNested(rec.h.subarray(t * B * H, (t + 1) * B * H), [B, H]),
  };
}

/** The whole forward pass as JSON: per-layer steps, output [b][t][H], h_n and c_n [layer][b][H]. */
export function forwardToJson(fwd: LstmForward) {
  const B = fwd.batch;
  const H = fwd.hiddenSize;
  const fin = lstmFinalStates(fwd);
  return {
    layers: fwd.layers.map((_, l) => ({
      steps: Array.from({ length: fwd.time }, (_, t) => stepRecord(fwd, l, t)),
    })),
    output: toNested(lstmOutput(fwd), [B, fwd.time, H]),
    h_n: fin.h.map((h) => toNested(h, [B, H])),
    c_n: fin.c.map((c) => toNested(c, [B, H])),
  };
}
