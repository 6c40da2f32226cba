import type { DataWarning } from './errors';

/** What a column holds, decided from its values (a date column is stored as epoch ms). */
export type ColumnKind = 'date' | 'number' | 'text';

export interface NumberColumn {
  name: string;
  kind: 'number';
  /** NaN where the cell was missing or could not be read. */
  values: Float64Array;
  missing: number;
  /** Cells that were not empty but could not be read as numbers (counted within missing). */
  unparsable: number;
}

export interface DateColumn {
  name: string;
  kind: 'date';
  /** Epoch milliseconds (wall clock as UTC); NaN where missing. */
  values: Float64Array;
  /** Whether any cell carried a time of day (then dates print as ISO date-times). */
  hasTime: boolean;
  missing: number;
  unparsable: number;
}

export interface TextColumn {
  name: string;
  kind: 'text';
  values: (string | null)[];
  missing: number;
  unparsable: 0;
}

export type Column = NumberColumn | DateColumn | TextColumn;

/** A parsed CSV: typed columns, rows in ascending date order when there is a date column. */
export interface Table {
  columns: Column[];
  rowCount: number;
  dateColumn: string | null;
  closeColumn: string | null;
  /** How the file's rows were reordered to make dates ascend. */
  reordered: 'none' | 'reversed' | 'sorted';
  delimiter: string;
  decimalMark: 'dot' | 'comma';
  warnings: DataWarning[];
}

export function getColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

export function numberColumns(table: Table): NumberColumn[] {
  return table.columns.filter((c): c is NumberColumn => c.kind === 'number');
}

const normalise = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9가-힣ぁ-んァ-ン一-龥]+/g, ' ')
    .trim();

/**
 * Names that mean "closing price" in the exports people have, best first. Plain close beats
 * adjusted close (it is the price people see); "Close/Last" is Nasdaq's; the rest are
 * German, Polish, Korean, Japanese, Chinese, Spanish, French, Italian and Portuguese.
 */
const CLOSE_NAMES = [
  'close',
  'close last',
  'closing price',
  'close price',
  'last',
  'last price',
  'price',
  'schlusskurs',
  'schluss',
  'zamkniecie',
  '종가',
  '終値',
  '收盘',
  '收盘价',
  'cierre',
  'cloture',
  'chiusura',
  'fechamento',
  'adj close',
  'adjusted close',
  'adj close price',
].map(normalise);

/** Guesses the close-price column among numeric columns; null when nothing looks like one. */
export function guessCloseColumn(columns: readonly Column[]): string | null {
  const numeric = columns.filter((c) => c.kind === 'number');
  let best: { name: string; rank: number } | null = null;
  for (const c of numeric) {
    const n = normalise(c.name);
    let rank = CLOSE_NAMES.indexOf(n);
    if (rank < 0 && /(^| )(close|schluss|zamkn|종가)/.test(n) && !/adj/.test(n)) {
      rank = CLOSE_NAMES.length; // "close usd", "종가(원)"
    }
    if (rank >= 0 && (!best || rank < best.rank)) best = { name: c.name, rank };
  }
  return best?.name ?? null;
}

const DATE_NAMES = /^(date|time|datetime|timestamp|day|datum|data|fecha|날짜|일자|日付|日期)/;

/** The date column: the first date-kind column, preferring one whose name says "date". */
export function pickDateColumn(columns: readonly Column[]): string | null {
  const dates = columns.filter((c) => c.kind === 'date');
  return (dates.find((c) => DATE_NAMES.test(normalise(c.name))) ?? dates[0])?.name ?? null;
}

/** The distinct values of a text column, in first-seen order (e.g. the tickers of a file). */
export function distinctText(table: Table, name: string): string[] {
  const col = getColumn(table, name);
  if (!col || col.kind !== 'text') return [];
  return [...new Set(col.values.filter((v): v is string => v !== null))];
}

/** A table holding only the rows that pass `keep` (row order kept; warnings about the whole file dropped). */
export function filterRows(table: Table, keep: (row: number) => boolean): Table {
  const rows: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (keep(r)) rows.push(r);
  const columns = table.columns.map((c): Column => {
    if (c.kind === 'text') {
      const values = rows.map((r) => c.values[r]);
      return { ...c, values, missing: values.filter((v) => v === null).length };
    }
    const values = Float64Array.from(rows, (r) => c.values[r]);
    return { ...c, values, missing: values.filter((v) => Number.isNaN(v)).length } as Column;
  });
  return { ...table, columns, rowCount: rows.length, reordered: 'none', warnings: [] };
}

const squash = (name: string) => normalise(name).replace(/ /g, '');

/**
 * The table's column for each wanted name, matched ignoring case, spaces and punctuation
 * ("Adj Close" finds "adjclose"); null where the table has none.
 */
export function matchColumns(table: Table, wanted: readonly string[]): (string | null)[] {
  return wanted.map(
    (w) =>
      table.columns.find((c) => c.name === w)?.name ??
      table.columns.find((c) => squash(c.name) === squash(w))?.name ??
      null,
  );
}
