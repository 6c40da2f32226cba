/**
 * The gate lab's contestants in the core (Node), on the bench's variant workload: the adding
 * task at T = 50, hidden 32, batch 32, one Adam step per unit. The race's LSTM (the core LSTM
 * the RNN-vs-LSTM race has always used) is the row the variants are held to.
 */
import { CONTESTANTS, KnockoutRun, RaceRun, type KnockoutSettings } from '../src/core/index';
import { measurePair } from './workloads';

export const VARIANT_WORKLOAD: KnockoutSettings = {
  task: 'adding',
  T: 50,
  hiddenSize: 32,
  learningRate: 1e-2,
  batchSize: 32,
  steps: Infinity,
};

export interface VariantRow {
  contestant: string;
  msPerStep: number;
  runs: number;
  /** ms per step ÷ the race's LSTM, timed alternately with it (drift lands on both). */
  ratio: number;
}

export async function measureVariants(): Promise<VariantRow[]> {
  const s = VARIANT_WORKLOAD;
  const race = new RaceRun('lstm', { ...s, seed: 1 });
  const rows: VariantRow[] = [];
  const bases: number[] = [];
  for (const c of CONTESTANTS) {
    const run = new KnockoutRun(c, s, 1);
    const [base, m] = await measurePair(
      () => void race.step(),
      () => void run.step(),
      9,
    );
    bases.push(base.ms);
    rows.push({ contestant: c, msPerStep: m.ms, runs: m.runs, ratio: m.ms / base.ms });
  }
  const median = [...bases].sort((a, b) => a - b)[bases.length >> 1];
  return [
    { contestant: 'race-lstm', msPerStep: median, runs: bases.length * 9, ratio: 1 },
    ...rows,
  ];
}

/** The markdown table: ms per step and ÷ the race's LSTM, per contestant. */
export function variantTable(rows: VariantRow[]): string[] {
  return [
    `## Gate lab: the core's variants, one Adam step on the adding task (T = ${VARIANT_WORKLOAD.T}, hidden ${VARIANT_WORKLOAD.hiddenSize}, batch ${VARIANT_WORKLOAD.batchSize}), Node`,
    '',
    'Target: every variant at least as fast as the core LSTM the race has used (`race-lstm`), so ÷ race-lstm ≤ 1.0× for the LSTM variants. Each variant is timed alternately with race-lstm (9 rounds each, medians), so the ratio is fair even while the machine’s speed drifts.',
    '',
    '| contestant | ms per step | runs | ÷ race-lstm |',
    '|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.contestant} | ${r.msPerStep.toFixed(2)} | ${r.runs} | ${r.ratio.toFixed(2)}× |`,
    ),
    '',
  ];
}

// `tsx bench/variants.ts` prints the table alone.
if (process.argv[1]?.endsWith('variants.ts'))
  for (const line of variantTable(await measureVariants())) process.stdout.write(`${line}\n`);
