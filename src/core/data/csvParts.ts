import type { DateOrder } from './values';
import type { Column, ColumnKind, Table } from './table';

/** The CSV reader's building blocks: typed column buffers, delimiter sniffing, names, date order. */

const DELIMITERS = [',', ';', '\t', '|'];

/** Grows a Float64Array by doubling; cheaper than number[] for a million rows. */
export class FloatColumnBuffer {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export interface ColumnPlan {
  name: string;
  kind: ColumnKind;
  dateOrder: DateOrder;
  numbers: FloatColumnBuffer;
  texts: (string | null)[];
  missing: number;
  unparsable: number;
  firstBad?: { line: number; text: string };
  hasTime: boolean;
}

/** Counts a delimiter in one line, ignoring delimiters inside double quotes. */
export function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) n++;
  }
  return n;
}

/**
 * Picks the delimiter from the header line (decimal commas never appear there), checking that
 * the next lines agree; ties go to the comma.
 */
export function sniffDelimiter(text: string): string {
  const lines = text
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  if (lines.length === 0) return ',';
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const head = countOutsideQuotes(lines[0], d);
    if (head === 0) continue;
    const agree = lines.slice(1).filter((l) => countOutsideQuotes(l, d) >= head).length;
    const score = agree >= (lines.length - 1) / 2 ? head : 0;
    if (score > bestCount) {
      best = d;
      bestCount = score;
    }
  }
  return best;
}

/** A file is binary when it has NUL bytes or many control / replacement characters. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let odd = 0;
  for (let k = 0; k < sample.length; k++) {
    const c = sample.charCodeAt(k);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) odd++;
  }
  return odd > sample.length * 0.02;
}

/** Trimmed, unique column names; `renamed` marks those we had to name (empty or repeated). */
export function uniqueNames(raw: string[]): { names: string[]; renamed: boolean[] } {
  const seen = new Map<string, number>();
  const renamed = raw.map((r) => r.trim() === '');
  const names = raw.map((r, k) => {
    let name = r.trim() || `Column ${k + 1}`;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    if (n > 0) {
      name = `${name} (${n + 1})`;
      renamed[k] = true;
    }
    return name;
  });
  return { names, renamed };
}

/** Puts rows in ascending date order: newest-first files are reversed, shuffled ones sorted. */
export function sortByDate(table: Table, dateColumn: string): Table {
  const dates = (table.columns.find((c) => c.name === dateColumn) as { values: Float64Array })
    .values;
  const n = dates.length;
  let up = 0;
  let down = 0;
  let equal = 0;
  let prev = NaN;
  for (let r = 0; r < n; r++) {
    const d = dates[r];
    if (Number.isNaN(d)) continue;
    if (!Number.isNaN(prev)) {
      if (d > prev) up++;
      else if (d < prev) down++;
      else equal++;
    }
    prev = d;
  }
  if (equal > 0) {
    table.warnings.push({
      code: 'duplicateDates',
      message: `${equal} row(s) repeat the date of the row before them.`,
      params: { count: equal },
    });
  }
  if (down === 0) return table;
  let order: Int32Array;
  if (up === 0) {
    order = Int32Array.from({ length: n }, (_, r) => n - 1 - r);
    table.reordered = 'reversed';
    table.warnings.push({
      code: 'reversed',
      message: 'The file lists the newest row first; rows were put in date order (oldest first).',
      params: {},
    });
  } else {
    order = Int32Array.from({ length: n }, (_, r) => r);
    // Missing dates sort last; ties keep file order (Array.prototype.sort is stable).
    const keyed = Array.from(order).sort((a, b) => {
      const da = dates[a];
      const db = dates[b];
      if (Number.isNaN(da)) return Number.isNaN(db) ? a - b : 1;
      if (Number.isNaN(db)) return -1;
      return da - db || a - b;
    });
    order = Int32Array.from(keyed);
    table.reordered = 'sorted';
    table.warnings.push({
      code: 'sorted',
      message: 'The rows were not in date order; they were sorted by date.',
      params: {},
    });
  }
  table.columns = table.columns.map((c) => {
    if (c.kind === 'text') return { ...c, values: Array.from(order, (r) => c.values[r]) };
    const values = new Float64Array(n);
    for (let r = 0; r < n; r++) values[r] = c.values[order[r]];
    return { ...c, values } as Column;
  });
  return table;
}
