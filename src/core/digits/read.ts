import { sequenceBatch, traceSequence, type TraceStep } from '../explorer/trace';
import { denseForward } from '../lstm/dense';
import { lstmForward } from '../lstm/lstm';
import { softmaxRows, stepSaliency, type LstmClassifier } from '../lstm/models';
import { CLASSES, SIDE } from './mnist';

/**
 * What the Digit reader shows while the LSTM reads an image row by row: after each row t, the
 * class probabilities the head would give from h_t (the guess firming up), and h, c and the
 * gates of every unit (the explorer's own trace of the top layer). The answer is the last row's.
 */
export interface DigitReading {
  /** probs[t][class] after reading rows 0..t. */
  probs: number[][];
  /** Per row: each gate/state per unit. */
  rows: TraceStep[];
  predicted: number;
  /** Which rows moved the answer: Σ_pixels |∂logit(predicted)/∂x| for each row. */
  rowSaliency: number[];
}

export function readDigit(model: LstmClassifier, image: ArrayLike<number>): DigitReading {
  // The seed's scaling: pixels in [−0.5, 0.5], one row per step.
  const input = Array.from({ length: SIDE }, (_, t) =>
    Array.from({ length: SIDE }, (_, x) => image[t * SIDE + x] - 0.5),
  );
  // One forward pass serves the trace and the saliency's backward pass.
  const x = sequenceBatch(model.lstm, input);
  const forward = lstmForward(model.lstm, x);
  const rows = traceSequence(model.lstm, input, model.lstm.layers.length - 1, forward).steps;
  const H = model.hiddenSize;
  const hAll = new model.lstm.ctor(SIDE * H);
  rows.forEach((r, t) => hAll.set(r.h, t * H));
  const p = softmaxRows(denseForward(model.fc, hAll, SIDE), SIDE, CLASSES);
  const probs = Array.from({ length: SIDE }, (_, t) =>
    Array.from(p.subarray(t * CLASSES, (t + 1) * CLASSES)),
  );
  const last = probs[SIDE - 1];
  const predicted = last.indexOf(Math.max(...last));
  const [rowSaliency] = stepSaliency(model, x, () => predicted, forward);
  return { probs, rows, predicted, rowSaliency };
}
