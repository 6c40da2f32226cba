/**
 * One CSV cell, safe to open in a spreadsheet: text that starts with =, +, -, @ (or a tab or
 * carriage return) would run as a formula, so it gets a leading apostrophe; cells holding the
 * delimiter, quotes or line breaks are quoted. Numbers are written as numbers.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}
