import type { Contestant } from '../../../core/index';

/**
 * Each contestant drawn in the colour of the part it lost (no forget gate in the forget colour,
 * and so on), so the race reads in the same palette as every gate view. The LSTM is the ink
 * colour; the RNN, with no gates at all, is muted and dashed. Dashes tell apart the two that
 * share a hue family.
 */
export const CONTESTANT_STYLE: Record<Contestant, { color: string; dash?: string }> = {
  lstm: { color: 'var(--chart-actual)' },
  nfg: { color: 'var(--gate-forget)' },
  nig: { color: 'var(--gate-input)' },
  nog: { color: 'var(--gate-output)' },
  niaf: { color: 'var(--gate-candidate)' },
  noaf: { color: 'var(--gate-cell)' },
  cifg: { color: 'var(--gate-hidden)', dash: '6 3' },
  gru: { color: 'var(--chart-predicted)' },
  rnn: { color: 'var(--text-muted)', dash: '3 3' },
};

/** The gates a variant pins to a constant (read as "fixed", not as learned). */
export const FIXED_GATES: Partial<Record<Contestant, string[]>> = {
  nig: ['i'],
  nfg: ['f'],
  nog: ['o'],
};
