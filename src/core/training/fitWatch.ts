/** One epoch's losses, as the trainers report them. */
export interface EpochLoss {
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

/**
 * What the loss curves say about fitting, read from the history alone: the epoch with the lowest
 * test loss, whether the test loss still improves, and whether it has been rising for a while
 * as the training loss keeps falling — the model learning the training rows by heart.
 */
export interface FitWatch {
  /** The epoch with the lowest test loss (the first, on a tie); null before any epoch. */
  bestEpoch: number | null;
  bestTestLoss: number;
  /** The test loss beat its best within the last `patience` epochs. */
  improving: boolean;
  /** Set when overfitting: the best epoch, after which the test loss has risen. */
  risingSince: number | null;
  patience: number;
}

/** "For a while": at least 10 epochs, or a tenth of the run so far when that is longer. */
export const patienceFor = (epochs: number) => Math.max(10, Math.ceil(epochs / 10));

export function watchFit(history: readonly EpochLoss[]): FitWatch {
  const patience = patienceFor(history.length);
  let best = -1;
  for (let k = 0; k < history.length; k++) {
    if (
      Number.isFinite(history[k].testLoss) &&
      (best < 0 || history[k].testLoss < history[best].testLoss)
    )
      best = k;
  }
  if (best < 0)
    return { bestEpoch: null, bestTestLoss: NaN, improving: true, risingSince: null, patience };
  const last = history[history.length - 1];
  const sinceBest = last.epoch - history[best].epoch;
  const rising =
    sinceBest >= patience &&
    last.testLoss > history[best].testLoss * 1.01 &&
    last.trainLoss < history[best].trainLoss;
  return {
    bestEpoch: history[best].epoch,
    bestTestLoss: history[best].testLoss,
    improving: sinceBest < patience,
    risingSince: rising ? history[best].epoch : null,
    patience,
  };
}
