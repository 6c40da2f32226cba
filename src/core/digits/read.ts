import { denseForward } from '../lstm/dense';
import { lstmForward } from '../lstm/lstm';
import { softmaxRows, type LstmClassifier } from '../lstm/models';
import { stepRecord } from '../lstm/records';
import { CLASSES, SIDE, imageBatch } from './mnist';

/**
 * What the Digit reader shows while the LSTM reads an image row by row: after each row t, the
 * class probabilities the head would give from h_t (the guess firming up), and h, c and the
 * gates of every unit. The model's real answer is the last row's.
 */
export interface DigitReading {
  /** probs[t][class] after reading rows 0..t. */
  probs: number[][];
  /** Per row: each gate/state per unit. */
  rows: { i: number[]; f: number[]; g: number[]; o: number[]; c: number[]; h: number[] }[];
  predicted: number;
}

export function readDigit(model: LstmClassifier, image: ArrayLike<number>): DigitReading {
  const ctor = model.lstm.ctor;
  const fwd = lstmForward(model.lstm, imageBatch(image, ctor));
  const top = fwd.layers.length - 1;
  const hAll = fwd.layers[top].h; // [t][1][H]
  const logits = denseForward(model.fc, hAll, SIDE);
  const p = softmaxRows(logits, SIDE, CLASSES);
  const probs = Array.from({ length: SIDE }, (_, t) =>
    Array.from(p.subarray(t * CLASSES, (t + 1) * CLASSES)),
  );
  const rows = Array.from({ length: SIDE }, (_, t) => {
    const r = stepRecord(fwd, top, t);
    const first = (a: unknown) => (a as number[][])[0];
    return {
      i: first(r.i),
      f: first(r.f),
      g: first(r.g),
      o: first(r.o),
      c: first(r.c),
      h: first(r.h),
    };
  });
  const last = probs[SIDE - 1];
  const predicted = last.indexOf(Math.max(...last));
  return { probs, rows, predicted };
}
