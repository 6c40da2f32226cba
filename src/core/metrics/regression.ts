/**
 * Forecast metrics in the target's own units, and the naive "tomorrow = today" baseline that
 * every forecast must beat to be worth anything.
 */
export interface RegressionMetrics {
  rmse: number;
  mae: number;
  /** Mean absolute percentage error in %, over rows whose actual value is not zero. */
  mape: number;
  /** Share (0..1) of rows where the predicted move from the previous value has the right sign. */
  directionAccuracy: number;
  n: number;
}

export function regressionMetrics(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  previous: ArrayLike<number>,
): RegressionMetrics {
  const n = actual.length;
  let se = 0;
  let ae = 0;
  let pe = 0;
  let peN = 0;
  let dirOk = 0;
  let dirN = 0;
  for (let k = 0; k < n; k++) {
    const e = predicted[k] - actual[k];
    se += e * e;
    ae += Math.abs(e);
    if (actual[k] !== 0) {
      pe += Math.abs(e / actual[k]);
      peN++;
    }
    const realMove = actual[k] - previous[k];
    const predMove = predicted[k] - previous[k];
    if (realMove !== 0) {
      dirN++;
      if (Math.sign(realMove) === Math.sign(predMove)) dirOk++;
    }
  }
  return {
    rmse: Math.sqrt(se / n),
    mae: ae / n,
    mape: peN ? (100 * pe) / peN : NaN,
    directionAccuracy: dirN ? dirOk / dirN : NaN,
    n,
  };
}

/** Share (0..1) of rows whose actual value rose from the previous one, of those that moved. */
export function upShare(actual: ArrayLike<number>, previous: ArrayLike<number>): number {
  let up = 0;
  let moved = 0;
  for (let k = 0; k < actual.length; k++) {
    if (actual[k] === previous[k]) continue;
    moved++;
    if (actual[k] > previous[k]) up++;
  }
  return moved ? up / moved : NaN;
}

/** Mean squared error (the training loss). */
export function mse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < actual.length; k++) s += (predicted[k] - actual[k]) ** 2;
  return s / actual.length;
}

/** confusion[actual][predicted] counts. */
export function confusionMatrix(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let k = 0; k < actual.length; k++) m[actual[k]][predicted[k]]++;
  return m;
}

export type Verdict = 'beats' | 'same' | 'loses';

/**
 * The model's RMSE as a multiple of the naive forecast's, and what it means: within ±2 % the
 * two are the same for any practical purpose.
 */
export function verdictOf(
  modelRmse: number,
  naiveRmse: number,
): { ratio: number; verdict: Verdict } {
  const ratio = naiveRmse > 0 ? modelRmse / naiveRmse : NaN;
  const verdict: Verdict = !(Math.abs(ratio - 1) > 0.02) ? 'same' : ratio < 1 ? 'beats' : 'loses';
  return { ratio, verdict };
}
