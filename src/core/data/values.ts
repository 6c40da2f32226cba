/**
 * Reading one cell of a real-world export: numbers written the US, German or Swiss way,
 * with currency signs, percent signs and K/M/B suffixes; dates in the common layouts.
 */

/** Which character marks decimals in this file: `dot` (1,234.56) or `comma` (1.234,56). */
export type DecimalMark = 'dot' | 'comma';

const MISSING = new Set([
  '',
  'null',
  'nan',
  'n/a',
  'na',
  '#n/a',
  'none',
  '-',
  '--',
  '—',
  '.',
  'nil',
  'undefined',
]);

export function isMissing(raw: string): boolean {
  return MISSING.has(raw.trim().toLowerCase());
}

const CURRENCY = /^(?:us\$|usd|eur|gbp|jpy|krw|chf|pln|[$€£¥₩₹₽]|zł|kr)\s*/i;
const CURRENCY_SUFFIX = /\s*(?:usd|eur|gbp|jpy|krw|chf|pln|zł|[$€£¥₩₹₽]|원)$/i;
const SUFFIX: Record<string, number> = { k: 3, m: 6, b: 9, t: 12 };
const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
// Grouping marks we strip: spaces (incl. NBSP, thin space) and the Swiss apostrophe.
const GROUP_SPACES = /[\s\u00a0\u202f\u2009']/g;

/**
 * Parses a numeric cell. Returns NaN when the text is not a number (the caller decides
 * whether that is "missing" or "unparsable"). Percent cells keep their percent value.
 */
export function parseNumber(raw: string, mark: DecimalMark = 'dot'): number {
  let s = raw.trim();
  if (s === '') return NaN;
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('−')) {
    negative = !negative;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) {
    s = s.slice(1).trim();
  }
  s = s.replace(CURRENCY, '').replace(CURRENCY_SUFFIX, '');
  if (s.startsWith('-') || s.startsWith('−')) {
    // "$-1.5"
    negative = !negative;
    s = s.slice(1);
  }
  if (s.endsWith('%')) s = s.slice(0, -1).trim();
  let exponent = 0;
  const last = s.slice(-1).toLowerCase();
  if (last in SUFFIX && /\d/.test(s.slice(-2, -1))) {
    exponent = SUFFIX[last];
    s = s.slice(0, -1).trim();
  }
  s = s.replace(GROUP_SPACES, '');
  // A lone separator followed by other than three digits cannot be grouping: it is the decimal
  // mark, whatever the file's habit ("1.08B" in a German file, "73,73" quoted in a US one).
  let decimal = mark === 'dot' ? '.' : ',';
  const other = mark === 'dot' ? ',' : '.';
  if (
    !s.includes(decimal) &&
    s.split(other).length === 2 &&
    !new RegExp(`\\${other}\\d{3}$`).test(s)
  ) {
    decimal = other;
  }
  s = decimal === '.' ? s.replace(/,/g, '') : s.replace(/\./g, '').replace(',', '.');
  if (!PLAIN.test(s)) return NaN;
  // Scaling through the exponent keeps "1.08B" exactly 1080000000 (no 1.08 * 1e9 rounding).
  const v = exponent === 0 ? Number(s) : Number(`${s}e${exponent}`);
  return negative ? -v : v;
}

/** Is a cell's shape evidence for comma decimals ("73,73", "1.234,5") or dot decimals? */
export function decimalEvidence(raw: string): DecimalMark | null {
  const s = raw
    .trim()
    .replace(/^[^\d(+-]+/, '')
    .replace(/[^\d]+$/, '');
  if (
    /^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(s) ||
    /^[+-]?\d+,\d{1,2}$/.test(s) ||
    /^[+-]?\d+,\d{4,}$/.test(s)
  ) {
    return 'comma';
  }
  if (/^[+-]?\d{1,3}(,\d{3})+\.\d+$/.test(s) || /^[+-]?\d+\.\d+$/.test(s)) return 'dot';
  return null;
}

/** Day-first or month-first, for slash dates like 03/04/2020. */
export type DateOrder = 'mdy' | 'dmy';

export interface ParsedDate {
  /** Milliseconds since the epoch, the wall-clock date and time read as UTC. */
  ms: number;
  hasTime: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const TIME = String.raw`(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([ap]\.?m\.?)?\s*(z|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`, 'i');
const YMD = new RegExp(String.raw`^(\d{4})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{1,2})\.?${TIME}$`, 'i');
const SLASH = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})${TIME}$`, 'i');
const DOTTED = new RegExp(String.raw`^(\d{1,2})[.-](\d{1,2})[.-](\d{4})${TIME}$`, 'i');
const MON_D_Y = new RegExp(
  String.raw`^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`,
  'i',
);
const D_MON_Y = new RegExp(
  String.raw`^(\d{1,2})[\s-]([a-z]{3,9})\.?[\s,-]+(\d{4}|\d{2})${TIME}$`,
  'i',
);
const KOREAN = /^(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일$/;

function build(
  y: number,
  mo: number,
  d: number,
  time: RegExpExecArray | string[],
  at: number,
): ParsedDate | null {
  if (y < 100) y += y < 70 ? 2000 : 1900;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  let ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCDate() !== d) return null; // 31 Feb and the like
  const hh = time[at];
  if (hh === undefined) return { ms, hasTime: false };
  let hours = Number(hh);
  const ampm = time[at + 4]?.toLowerCase().replace(/\./g, '');
  if (ampm === 'pm' && hours < 12) hours += 12;
  if (ampm === 'am' && hours === 12) hours = 0;
  ms += ((hours * 60 + Number(time[at + 1])) * 60 + Number(time[at + 2] ?? 0)) * 1000;
  ms += time[at + 3] ? Math.round(Number(`0.${time[at + 3]}`) * 1000) : 0;
  const zone = time[at + 5];
  if (zone && zone.toLowerCase() !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms, hasTime: true };
}

/** Parses a date cell; null when the text is not a date in a layout we know. */
export function parseDate(raw: string, order: DateOrder = 'mdy'): ParsedDate | null {
  const s = raw.trim();
  let m: RegExpExecArray | null;
  if ((m = ISO.exec(s)) || (m = YMD.exec(s))) return build(+m[1], +m[2], +m[3], m, 4);
  if ((m = SLASH.exec(s))) {
    return order === 'mdy' ? build(+m[3], +m[1], +m[2], m, 4) : build(+m[3], +m[2], +m[1], m, 4);
  }
  if ((m = DOTTED.exec(s))) return build(+m[3], +m[2], +m[1], m, 4);
  if ((m = MON_D_Y.exec(s))) {
    const mo = MONTHS[m[1].slice(0, 3).toLowerCase()];
    return mo ? build(+m[3], mo, +m[2], m, 4) : null;
  }
  if ((m = D_MON_Y.exec(s))) {
    const mo = MONTHS[m[2].slice(0, 3).toLowerCase()];
    return mo ? build(+m[3], mo, +m[1], m, 4) : null;
  }
  if ((m = KOREAN.exec(s))) return build(+m[1], +m[2], +m[3], [], 99);
  return null;
}

/** Slash dates are month-first unless some first part is over 12 (then day-first). */
export function detectDateOrder(samples: readonly string[]): DateOrder {
  for (const raw of samples) {
    const m = SLASH.exec(raw.trim());
    if (m && Number(m[1]) > 12) return 'dmy';
  }
  return 'mdy';
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD`, or an ISO date-time (no zone: the file's wall-clock time) when times matter. */
export function formatDate(ms: number, withTime: boolean): string {
  const d = new Date(ms);
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (!withTime) return day;
  const secs = d.getUTCSeconds() + d.getUTCMilliseconds() / 1000;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${day}T${secs % 1 ? `${time}.${pad(d.getUTCMilliseconds(), 3)}` : time}`;
}
