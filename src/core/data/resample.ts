import { getColumn, type Column, type Table } from './table';

const DAY_MS = 86_400_000;

/** True when the table's dates carry a time of day and some day holds more than one row. */
export function isIntraday(table: Table): boolean {
  const col = table.dateColumn ? getColumn(table, table.dateColumn) : undefined;
  if (!col || col.kind !== 'date' || !col.hasTime) return false;
  for (let r = 1; r < table.rowCount; r++) {
    if (Math.floor(col.values[r] / DAY_MS) === Math.floor(col.values[r - 1] / DAY_MS)) return true;
  }
  return false;
}

type Agg = 'first' | 'max' | 'min' | 'last' | 'sum';

/** How a bar column combines over a day: open first, high max, low min, volume summed, else last. */
function aggregation(name: string): Agg {
  const n = name.toLowerCase();
  if (/open|시가|eröffnung|otwarcie/.test(n)) return 'first';
  if (/high|고가|hoch|najwyzszy/.test(n)) return 'max';
  if (/low|저가|tief|najnizszy/.test(n)) return 'min';
  if (/vol|거래량|umsatz|wolumen/.test(n)) return 'sum';
  return 'last';
}

/**
 * Intraday bars (minutes, hours) to one row per calendar day: the day's first open, highest
 * high, lowest low, last close and summed volume; other numbers take the day's last value, the
 * date is the day. Missing values are skipped within a day.
 */
export function resampleDaily(table: Table): Table {
  const dateCol = table.dateColumn ? getColumn(table, table.dateColumn) : undefined;
  if (!dateCol || dateCol.kind !== 'date') return table;
  const dayOf = (r: number) => Math.floor(dateCol.values[r] / DAY_MS);
  const groups: [number, number][] = [];
  for (let r = 0; r < table.rowCount; r++) {
    if (!Number.isFinite(dateCol.values[r])) continue;
    const last = groups[groups.length - 1];
    if (last && dayOf(last[0]) === dayOf(r)) last[1] = r + 1;
    else groups.push([r, r + 1]);
  }
  const columns = table.columns.map((c): Column => {
    if (c.kind === 'date') {
      const values = Float64Array.from(groups, ([a]) => dayOf(a) * DAY_MS);
      return { ...c, values, hasTime: false, missing: 0, unparsable: 0 };
    }
    if (c.kind === 'text') {
      const values = groups.map(([, b]) => c.values[b - 1]);
      return { ...c, values, missing: values.filter((v) => v === null).length };
    }
    const agg = aggregation(c.name);
    const values = Float64Array.from(groups, ([a, b]) => {
      let out = NaN;
      for (let r = a; r < b; r++) {
        const v = c.values[r];
        if (!Number.isFinite(v)) continue;
        if (Number.isNaN(out)) out = v;
        else if (agg === 'max') out = Math.max(out, v);
        else if (agg === 'min') out = Math.min(out, v);
        else if (agg === 'sum') out += v;
        else if (agg === 'last') out = v;
      }
      return out;
    });
    const missing = values.filter((v) => Number.isNaN(v)).length;
    return { ...c, values, missing, unparsable: 0 };
  });
  return { ...table, columns, rowCount: groups.length, reordered: 'none', warnings: [] };
}
