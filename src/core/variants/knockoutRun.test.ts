import { describe, expect, it } from 'vitest';
import { countChanceLoss } from '../rnn/tasks';
import {
  DEFAULT_CONTESTANTS,
  KNOCKOUT_DEFAULTS,
  KnockoutRun,
  REFERENCE_PACE,
  estimateRaceSeconds,
  runMs,
  type Contestant,
  type KnockoutSettings,
} from './knockoutRun';
import { summarizeRace } from './raceSummary';

/** The e2e race: two seeds, short sequences. The page must reproduce these numbers. */
const SMALL_RACE: KnockoutSettings = { ...KNOCKOUT_DEFAULTS, T: 30, steps: 400 };

function finalLoss(c: Contestant, seed: number, s: KnockoutSettings): number {
  const run = new KnockoutRun(c, s, seed);
  while (run.steps < s.steps) run.step();
  return run.evaluate().loss;
}

describe('KnockoutRun', () => {
  it('on the count task at T = 30, no forget gate ends worse than the LSTM on seeds 1 and 2', () => {
    const finals = new Map<Contestant, number[]>();
    for (const c of ['lstm', 'nfg'] as const)
      finals.set(
        c,
        [1, 2].map((seed) => finalLoss(c, seed, SMALL_RACE)),
      );
    const rows = summarizeRace(finals, ['lstm', 'nfg'], countChanceLoss(30));
    expect(rows.map((r) => r.verdict)).toEqual(['reference', 'worse']);
    // With room to spare: the no-forget cell's best seed is well above the LSTM's worst.
    expect(rows[1].min / rows[0].max).toBeGreaterThan(1.3);
  }, 60_000);

  it('scores every contestant on the same held-out batch, and the RNN has no gates to plot', () => {
    const a = new KnockoutRun('lstm', SMALL_RACE, 1);
    const b = new KnockoutRun('rnn', SMALL_RACE, 2);
    expect(Array.from(a.evalBatch.y)).toEqual(Array.from(b.evalBatch.y));
    expect(b.saturation()).toBeNull();
    expect(b.stateDict()).toBeNull();
    expect(Number.isFinite(b.step().loss)).toBe(true);
  });

  it('hands the Cell explorer the LSTM in nn.LSTM names, and one held-out sequence', () => {
    const run = new KnockoutRun('lstm', SMALL_RACE, 1);
    const sd = run.stateDict()!;
    expect(Object.keys(sd).sort()).toEqual([
      'fc.bias',
      'fc.weight',
      'lstm.bias_hh_l0',
      'lstm.bias_ih_l0',
      'lstm.weight_hh_l0',
      'lstm.weight_ih_l0',
    ]);
    expect((sd['lstm.weight_ih_l0'] as number[][]).length).toBe(4 * SMALL_RACE.hiddenSize);
    const seq = run.sequence(0);
    expect(seq).toHaveLength(SMALL_RACE.T);
    expect(seq[0]).toHaveLength(2);
    expect(new KnockoutRun('gru', SMALL_RACE, 1).stateDict()).toBeNull();
  });

  it('the variant without a forget gate plots f as pinned open on every step', () => {
    const s = new KnockoutRun('nfg', SMALL_RACE, 1).saturation()!;
    const f = s.dots.filter((d) => d.gate === 'f');
    expect(f).toHaveLength(SMALL_RACE.hiddenSize);
    for (const d of f) expect(d).toMatchObject({ low: 0, high: 1 });
    expect(s.gates).toEqual(['i', 'f', 'o']);
    expect(new KnockoutRun('gru', SMALL_RACE, 1).saturation()!.gates).toEqual(['r', 'z']);
  });
});

describe('the race estimate', () => {
  it('the default race (8 contestants × 3 seeds on 2 lanes) fits in two minutes at the reference pace', () => {
    expect(DEFAULT_CONTESTANTS).toHaveLength(8);
    const s = estimateRaceSeconds(DEFAULT_CONTESTANTS, 3, KNOCKOUT_DEFAULTS, 2);
    expect(s).toBeGreaterThan(30);
    expect(s).toBeLessThanOrEqual(120);
  });

  it('packs runs onto lanes: one lane is the sum, more lanes never take longer', () => {
    const one = estimateRaceSeconds(['lstm', 'rnn'], 2, KNOCKOUT_DEFAULTS, 1);
    const sum =
      2 *
      (runMs('lstm', KNOCKOUT_DEFAULTS, REFERENCE_PACE) +
        runMs('rnn', KNOCKOUT_DEFAULTS, REFERENCE_PACE));
    expect(one).toBeCloseTo(sum / 1000, 9);
    const two = estimateRaceSeconds(['lstm', 'rnn'], 2, KNOCKOUT_DEFAULTS, 2);
    expect(two).toBeLessThan(one);
    expect(two).toBeGreaterThanOrEqual(one / 2);
  });

  it('grows with the length, the steps and the seeds', () => {
    const base = estimateRaceSeconds(DEFAULT_CONTESTANTS, 3, KNOCKOUT_DEFAULTS, 2);
    expect(
      estimateRaceSeconds(DEFAULT_CONTESTANTS, 3, { ...KNOCKOUT_DEFAULTS, T: 80 }, 2),
    ).toBeGreaterThan(1.8 * base);
    expect(
      estimateRaceSeconds(DEFAULT_CONTESTANTS, 3, { ...KNOCKOUT_DEFAULTS, steps: 800 }, 2),
    ).toBeGreaterThan(1.9 * base);
    expect(estimateRaceSeconds(DEFAULT_CONTESTANTS, 5, KNOCKOUT_DEFAULTS, 2)).toBeGreaterThan(
      1.5 * base,
    );
  });
});
