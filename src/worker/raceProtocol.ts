/** Messages of a race worker: one contestant (RNN or LSTM) trains in each. Types only. */
import type { GradientFlow, RaceKind, RaceSettings } from '../core/index';

export type ToRace =
  | { type: 'start'; runId: number; kind: RaceKind; settings: RaceSettings; maxSteps: number }
  | { type: 'stop'; runId: number };

export type FromRace =
  | {
      type: 'progress';
      runId: number;
      kind: RaceKind;
      step: number;
      /** Held-out loss and accuracy on a fixed batch, measured every few steps. */
      points: { step: number; loss: number; accuracy: number }[];
    }
  | { type: 'flow'; runId: number; kind: RaceKind; step: number; flow: GradientFlow }
  | { type: 'done'; runId: number; kind: RaceKind; step: number }
  | { type: 'failed'; runId: number; kind: RaceKind; message: string };
