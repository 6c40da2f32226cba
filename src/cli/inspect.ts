import { formatDate, type Column, type Table } from '../core/index';

/** A cell as JSON: dates as YYYY-MM-DD (or ISO date-time), numbers as numbers, missing as null. */
function cell(c: Column, row: number): string | number | null {
  const v = c.values[row];
  if (v === null || v === undefined) return null;
  if (c.kind === 'text') return v as string;
  if (Number.isNaN(v)) return null;
  return c.kind === 'date' ? formatDate(v as number, c.hasTime) : (v as number);
}

function rowObject(t: Table, row: number): Record<string, string | number | null> {
  return Object.fromEntries(t.columns.map((c) => [c.name, cell(c, row)]));
}

/** What `inspect` prints: the shape of a parsed file and what training on it would drop. */
export function tableSummary(t: Table) {
  let dropped = 0;
  const checked = t.columns.filter((c) => c.kind !== 'text');
  for (let r = 0; r < t.rowCount; r++) {
    if (checked.some((c) => Number.isNaN(c.values[r] as number))) dropped++;
  }
  return {
    rows: t.rowCount,
    columns: t.columns.map((c) => ({ name: c.name, kind: c.kind, missing: c.missing })),
    dateColumn: t.dateColumn,
    closeColumn: t.closeColumn,
    order: 'ascending' as const,
    reordered: t.reordered,
    delimiter: t.delimiter,
    decimalMark: t.decimalMark,
    first: rowObject(t, 0),
    last: rowObject(t, t.rowCount - 1),
    dropped,
    warnings: [
      ...t.warnings.map((w) => w.message),
      ...(dropped > 0
        ? [`${dropped} row(s) have a missing value and would be dropped before training.`]
        : []),
    ],
  };
}
