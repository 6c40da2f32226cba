import { lstmForward, type Lstm, type LstmForward, type SequenceBatch } from '../lstm/lstm';
import { stepRecord } from '../lstm/records';

/**
 * Everything the Cell explorer shows for one sequence through one LSTM layer, step by step:
 * the step's inputs (x_t, h_{t-1}, c_{t-1}), each gate's pre-activation and value, and the new
 * c_t and h_t, per unit. Computed by the core's own forward pass, so the diagram, the
 * equations and the heatmaps show exactly what the model computes.
 */
export interface TraceStep {
  t: number;
  x: number[];
  hPrev: number[];
  cPrev: number[];
  /** Pre-activations per gate, [H] each: W·[h_{t-1}, x_t] + b. */
  pre: { i: number[]; f: number[]; g: number[]; o: number[] };
  i: number[];
  f: number[];
  g: number[];
  o: number[];
  c: number[];
  h: number[];
}

export interface CellTrace {
  layer: number;
  hiddenSize: number;
  inputSize: number;
  steps: TraceStep[];
}

/**
 * Runs one sequence ([step][feature]) through the LSTM and reads back one layer's steps. A
 * caller that needs the forward pass for more than the trace (the Digit reader's saliency) can
 * pass its own, run on this same input with batch 1.
 */
export function traceSequence(
  lstm: Lstm,
  input: readonly number[][],
  layer = 0,
  forward?: LstmForward,
): CellTrace {
  const T = input.length;
  const F = lstm.layers[0].inputSize;
  if (T === 0) throw new Error('the input sequence is empty');
  const bad = input.findIndex((row) => row.length !== F);
  if (bad >= 0) {
    throw new Error(`step ${bad} has ${input[bad].length} values but the LSTM reads ${F}`);
  }
  if (layer < 0 || layer >= lstm.layers.length) {
    throw new Error(`the LSTM has ${lstm.layers.length} layer(s); there is no layer ${layer}`);
  }
  const fwd = forward ?? lstmForward(lstm, sequenceBatch(lstm, input));
  const H = fwd.hiddenSize;
  const below =
    layer === 0
      ? input.map((row) => [...row])
      : Array.from({ length: T }, (_, t) => (stepRecord(fwd, layer - 1, t).h as number[][])[0]);
  const zeros = Array<number>(H).fill(0);
  const steps: TraceStep[] = [];
  for (let t = 0; t < T; t++) {
    const r = stepRecord(fwd, layer, t);
    const pre = (r.pre as number[][])[0];
    const first = (a: unknown) => (a as number[][])[0];
    steps.push({
      t,
      x: below[t],
      hPrev: t === 0 ? zeros : steps[t - 1].h,
      cPrev: t === 0 ? zeros : steps[t - 1].c,
      pre: {
        i: pre.slice(0, H),
        f: pre.slice(H, 2 * H),
        g: pre.slice(2 * H, 3 * H),
        o: pre.slice(3 * H, 4 * H),
      },
      i: first(r.i),
      f: first(r.f),
      g: first(r.g),
      o: first(r.o),
      c: first(r.c),
      h: first(r.h),
    });
  }
  return { layer, hiddenSize: H, inputSize: lstm.layers[layer].inputSize, steps };
}

/** One sequence ([step][feature]) as a batch of one, in the LSTM's float type. */
export function sequenceBatch(lstm: Lstm, input: readonly number[][]): SequenceBatch {
  const F = lstm.layers[0].inputSize;
  const data = new lstm.ctor(input.length * F);
  input.forEach((row, t) => data.set(row, t * F));
  return { data, batch: 1, time: input.length, features: F };
}
