/** How fast a run goes, and when it should stop to ask or finish an epoch first. */

/** A run whose epochs would take longer than this stops to ask first. */
const SLOW_EPOCH_SECONDS = 60;
/** Epochs/s is the rate over the last seconds of running, not since the start. */
const RATE_WINDOW_MS = 2000;
/** A pause or stop finishes the current epoch first when that takes less than this. */
const FINISH_EPOCH_MS = 250;

/** Keeps the ends of the epochs of the last seconds (at least two). */
export function recordEpochEnd(ends: number[], now: number): void {
  ends.push(now);
  while (ends.length > 2 && now - ends[1] >= RATE_WINDOW_MS) ends.shift();
}

/** Epochs per second over the last seconds of running (0 when there is no recent epoch). */
export function epochRate(ends: readonly number[], epochStartedAt: number): number {
  if (ends.length === 0) return 0;
  if (ends.length === 1) {
    const span = ends[0] - epochStartedAt;
    return span > 0 ? 1000 / Math.max(span, performance.now() - epochStartedAt) : 0;
  }
  return ((ends.length - 1) * 1000) / (ends[ends.length - 1] - ends[0]);
}

/**
 * Early in an epoch: undefined while too little is measured, then the epoch's estimated
 * seconds when that is over a minute (the run stops to ask), else null.
 */
export function slowEpochSeconds(
  done: number,
  elapsedMs: number,
  batchesPerEpoch: number,
): number | null | undefined {
  if (done < 3 && elapsedMs < 1500) return undefined;
  const seconds = ((elapsedMs / Math.max(1, done)) * batchesPerEpoch) / 1000;
  return seconds > SLOW_EPOCH_SECONDS ? seconds : null;
}

/** After a pause or stop mid-epoch: true while the rest of the epoch is short enough to finish. */
export function shortRest(done: number, elapsedMs: number, batchesPerEpoch: number): boolean {
  if (done === 0) return false;
  return (elapsedMs / done) * (batchesPerEpoch - done) <= FINISH_EPOCH_MS;
}
