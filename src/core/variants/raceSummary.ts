import type { Contestant } from './knockoutRun';

/**
 * The knockout race's table: each contestant's final held-out loss over the seeds (median and
 * range), and what that shows against the LSTM. A difference counts only when the two ranges
 * do not overlap: inside the seed spread it may be luck of the initial weights.
 */
export type RaceVerdict =
  /** The LSTM itself, the reference. */
  | 'reference'
  /** Ended near "learned nothing" (median at least half of that loss). */
  | 'nothing'
  /** Its whole range lies above the LSTM's. */
  | 'worse'
  /** Its whole range lies below the LSTM's. */
  | 'better'
  /** The ranges overlap: no difference the seeds can tell apart. */
  | 'same'
  /** One seed only (or the LSTM not in the race): no spread to judge by. */
  | 'unjudged';

export interface ContestantSummary {
  contestant: Contestant;
  /** Final losses of the finished seeds, in seed order. */
  losses: number[];
  median: number;
  min: number;
  max: number;
  /** The median over the LSTM's median (NaN without an LSTM). */
  ratio: number;
  verdict: RaceVerdict;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Final loss per contestant per seed (missing seeds are still running). */
export function summarizeRace(
  finals: ReadonlyMap<Contestant, readonly number[]>,
  contestants: readonly Contestant[],
  chance: number,
): ContestantSummary[] {
  const rows = contestants
    .map((contestant) => ({ contestant, losses: [...(finals.get(contestant) ?? [])] }))
    .filter((r) => r.losses.length > 0)
    .map((r) => ({
      ...r,
      median: median(r.losses),
      min: Math.min(...r.losses),
      max: Math.max(...r.losses),
    }));
  const lstm = rows.find((r) => r.contestant === 'lstm');
  return rows.map((r): ContestantSummary => {
    const ratio = lstm ? r.median / lstm.median : NaN;
    let verdict: RaceVerdict;
    if (r.contestant === 'lstm') verdict = 'reference';
    else if (r.median >= chance / 2) verdict = 'nothing';
    else if (!lstm || r.losses.length < 2 || lstm.losses.length < 2) verdict = 'unjudged';
    else if (r.min > lstm.max) verdict = 'worse';
    else if (r.max < lstm.min) verdict = 'better';
    else verdict = 'same';
    return { ...r, ratio, verdict };
  });
}
