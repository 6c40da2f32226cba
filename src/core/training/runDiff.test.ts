import { describe, expect, it } from 'vitest';
import { lossesIncomparable, runDiff } from './runDiff';
import { NEXT_DAY_RECIPE, SEED_RECIPE } from './stockConfig';

const seed = { dataset: 'SBUX.csv', config: { ...SEED_RECIPE, epochs: 50 } };

describe('runDiff', () => {
  it('names only what changed, from → to', () => {
    const b = {
      ...seed,
      config: { ...seed.config, scaleFit: 'train' as const, learningRate: 1e-3 },
    };
    expect(runDiff(seed, b)).toEqual([
      { key: 'scaleFit', from: 'all', to: 'train' },
      { key: 'learningRate', from: '0.0001', to: '0.001' },
    ]);
    expect(runDiff(seed, seed)).toEqual([]);
  });

  it('a new file and another target kind are changes too', () => {
    const b = {
      dataset: 'sp500.csv',
      config: { ...seed.config, horizon: 1, targetKind: 'logReturn' as const },
    };
    expect(runDiff(seed, b).map((c) => c.key)).toEqual(['dataset', 'targetKind', 'horizon']);
  });
});

describe('lossesIncomparable', () => {
  it('the same file and target, scaled on the same rows: comparable, whatever the network', () => {
    const b = { ...seed, config: { ...seed.config, hiddenSize: 16, epochs: 300 } };
    expect(lossesIncomparable(seed, b)).toBeNull();
  });

  it('scalers fitted on other rows (the leak lesson) put the losses on another scale', () => {
    const b = { ...seed, config: { ...seed.config, scaleFit: 'train' as const } };
    expect(lossesIncomparable(seed, b)).toBe('scaling');
  });

  it('another target kind (the target lesson) or another file are not comparable', () => {
    const w = { dataset: 'SBUX.csv', config: NEXT_DAY_RECIPE };
    const lr = { ...w, config: { ...w.config, targetKind: 'price' as const } };
    expect(lossesIncomparable(w, lr)).toBe('targetKind');
    expect(lossesIncomparable(seed, { ...seed, dataset: 'other.csv' })).toBe('dataset');
  });
});
