/**
 * The gate lab's contestants in the core (Node), on the bench's variant workload: the adding
 * task at T = 50, hidden 32, batch 32, one Adam step per unit. The race's LSTM (the core LSTM
 * the RNN-vs-LSTM race has always used) is the row the variants are held to.
 */
import { CONTESTANTS, KnockoutRun, RaceRun, type KnockoutSettings } from '../src/core/index';
import { measure } from './workloads';

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
}

export async function measureVariants(): Promise<VariantRow[]> {
  const s = VARIANT_WORKLOAD;
  const race = new RaceRun('lstm', { ...s, seed: 1 });
  const rows: VariantRow[] = [];
  const base = await measure(() => void race.step());
  rows.push({ contestant: 'race-lstm', msPerStep: base.ms, runs: base.runs });
  for (const c of CONTESTANTS) {
    const run = new KnockoutRun(c, s, 1);
    const m = await measure(() => void run.step());
    rows.push({ contestant: c, msPerStep: m.ms, runs: m.runs });
  }
  return rows;
}

/** The markdown table: ms per step and ÷ the race's LSTM, per contestant. */
export function variantTable(rows: VariantRow[]): string[] {
  const base = rows.find((r) => r.contestant === 'race-lstm')?.msPerStep;
  return [
    `## Gate lab: the core's variants, one Adam step on the adding task (T = ${VARIANT_WORKLOAD.T}, hidden ${VARIANT_WORKLOAD.hiddenSize}, batch ${VARIANT_WORKLOAD.batchSize}), Node`,
    '',
    'Target: every variant at least as fast as the core LSTM the race has used (`race-lstm`), so ÷ race-lstm ≤ 1.0× for the LSTM variants.',
    '',
    '| contestant | ms per step | runs | ÷ race-lstm |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.contestant} | ${r.msPerStep.toFixed(2)} | ${r.runs} | ${base ? `${(r.msPerStep / base).toFixed(2)}×` : '—'} |`,
    ),
    '',
  ];
}

// `tsx bench/variants.ts` prints the table alone.
if (process.argv[1]?.endsWith('variants.ts'))
  for (const line of variantTable(await measureVariants())) process.stdout.write(`${line}\n`);
