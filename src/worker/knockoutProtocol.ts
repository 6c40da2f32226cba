/** Messages of a knockout-race worker: it trains one contestant on one seed at a time. Types only. */
import type { Contestant, GateSaturation, KnockoutSettings, StateDict } from '../core/index';

export interface KnockoutJob {
  contestant: Contestant;
  seed: number;
}

export interface KnockoutPoint {
  step: number;
  loss: number;
}

export type ToKnockout =
  | { type: 'start'; raceId: number; job: KnockoutJob; settings: KnockoutSettings }
  | { type: 'stop'; raceId: number };

export type FromKnockout =
  | { type: 'progress'; raceId: number; job: KnockoutJob; step: number; points: KnockoutPoint[] }
  | {
      type: 'done';
      raceId: number;
      job: KnockoutJob;
      /** Held-out loss at the end. */
      loss: number;
      saturation: GateSaturation | null;
      /** The full LSTM's weights and one held-out sequence, so a dot can open the Cell explorer. */
      explorer: { stateDict: StateDict; input: number[][] } | null;
    }
  | { type: 'failed'; raceId: number; job: KnockoutJob; message: string };
