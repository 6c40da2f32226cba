import { describe, expect, it } from 'vitest';
import { patienceFor, watchFit, type EpochLoss } from './fitWatch';

/** Train loss falls all along; test loss falls to its best at `best`, then rises. */
const curve = (epochs: number, best: number): EpochLoss[] =>
  Array.from({ length: epochs }, (_, k) => ({
    epoch: k + 1,
    trainLoss: 1 / (k + 1),
    testLoss: 0.5 + 0.01 * Math.abs(k + 1 - best),
  }));

describe('watchFit', () => {
  it('finds the best test epoch and says "rising since" once the test loss has risen for a while', () => {
    const w = watchFit(curve(100, 12));
    expect(w.bestEpoch).toBe(12);
    expect(w.bestTestLoss).toBeCloseTo(0.5, 12);
    expect(w.patience).toBe(10);
    expect(w.improving).toBe(false);
    expect(w.risingSince).toBe(12);
  });

  it('is still improving, and says nothing of rising, within the patience after the best', () => {
    const w = watchFit(curve(20, 12));
    expect(w.bestEpoch).toBe(12);
    expect(w.improving).toBe(true);
    expect(w.risingSince).toBeNull();
  });

  it('a curve whose test loss falls to the end improves and never rises', () => {
    const h = curve(50, 50);
    expect(watchFit(h)).toMatchObject({ bestEpoch: 50, improving: true, risingSince: null });
  });

  it('a flat test loss after its best is no longer improving but is not overfitting', () => {
    const h = curve(60, 10).map((p) => ({ ...p, testLoss: p.epoch >= 10 ? 0.5 : 0.6 }));
    expect(watchFit(h)).toMatchObject({ bestEpoch: 10, improving: false, risingSince: null });
  });

  it('needs the training loss to keep falling: both rising is not learning by heart', () => {
    const h = curve(100, 12).map((p) => ({ ...p, trainLoss: p.testLoss }));
    expect(watchFit(h).risingSince).toBeNull();
  });

  it('patience grows with the run: a tenth of it, at least 10 epochs', () => {
    expect(patienceFor(40)).toBe(10);
    expect(patienceFor(1000)).toBe(100);
    expect(watchFit([])).toMatchObject({ bestEpoch: null, improving: true, risingSince: null });
  });
});
