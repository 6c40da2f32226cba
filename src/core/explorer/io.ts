import { parseCsvText } from '../data/csv';
import { numberColumns } from '../data/table';
import { hasLstmKeys, type StateDict } from '../lstm/stateDict';
import { shapeOf } from '../lstm/tensor';

/**
 * Reading what people bring to the Cell explorer: a state_dict inside any JSON (a bare one,
 * a Stock lab export, or a file that keeps one under a key, like the golden reference), and
 * an input sequence as JSON ([step][feature] or [batch][step][feature]) or CSV (rows = steps).
 */
function isStateDict(v: unknown): v is StateDict {
  // PyTorch's names (weight_ih, weight_ih_l0) or the seed notes' cell (x2h.weight).
  return hasLstmKeys(v);
}

/** The first object holding LSTM weights, searching breadth-first; with its path. */
export function findStateDict(json: unknown): { stateDict: StateDict; path: string } | null {
  const queue: { v: unknown; path: string }[] = [{ v: json, path: '' }];
  while (queue.length > 0) {
    const { v, path } = queue.shift()!;
    if (isStateDict(v)) return { stateDict: v, path };
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) {
        queue.push({ v: child, path: path ? `${path}.${k}` : k });
      }
    }
  }
  return null;
}

/** Sequences in a JSON value: [step][feature] is one sequence, [batch][step][feature] many. */
export function sequencesFromJson(json: unknown): number[][][] | null {
  const candidate = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null
      ? ((json as Record<string, unknown>).input ?? (json as Record<string, unknown>).x)
      : null;
  if (!Array.isArray(candidate)) return null;
  const shape = shapeOf(candidate);
  const finite = (a: unknown): boolean =>
    Array.isArray(a) ? a.every(finite) : typeof a === 'number' && Number.isFinite(a);
  if (!finite(candidate)) throw new Error('the input holds a value that is not a finite number');
  if (shape.length === 1) return [(candidate as number[]).map((v) => [v])];
  if (shape.length === 2) return [candidate as number[][]];
  if (shape.length === 3) return candidate as number[][][];
  throw new Error(
    `an input must be [step][feature] or [batch][step][feature]; got ${shape.length} dimensions`,
  );
}

/** One sequence from CSV text: each numeric column is a feature, each row a step. */
export function sequenceFromCsv(text: string): { input: number[][]; features: string[] } {
  const table = parseCsvText(text);
  const cols = numberColumns(table);
  const input: number[][] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const row = cols.map((c) => c.values[r]);
    if (row.every(Number.isFinite)) input.push(row);
  }
  if (input.length === 0) throw new Error('no row of the CSV has a number in every numeric column');
  return { input, features: cols.map((c) => c.name) };
}
