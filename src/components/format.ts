import { formatDate } from '../core/index';

/**
 * One Intl.NumberFormat per language and options: building one costs far more than formatting,
 * and chart ticks and tables format hundreds of numbers per redraw.
 */
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    formatters.set(key, f);
  }
  return f;
}

/** The one minus sign every number on screen uses (U+2212, not the hyphen `-`). */
export const MINUS = '\u2212';
const withMinus = (s: string) => s.replace(/-/g, MINUS);

/** Numbers for people: a few significant digits, grouped the way the current language does. */
export function formatNumber(v: number, lang: string, digits = 4): string {
  if (!Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-3)) return withMinus(v.toExponential(1));
  const big = abs >= 10 ** digits;
  return withMinus(
    numberFormat(
      lang,
      big ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: digits },
    ).format(v),
  );
}

/** A number with exactly `decimals` decimals and the true minus sign; −0.000 shows as 0.000. */
export function formatFixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return '—';
  const s = v.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : withMinus(s);
}

/**
 * A gate, cell or hidden value as every view shows it: 3 decimals, more where it sits near 0 or
 * ±1 (see decimalsFor), so the diagram, the equations and the tables say the same number.
 */
export const formatValue = (v: number) => formatFixed(v, decimalsFor(v));

/**
 * A gate value read as a share ("keep 99.75 %"): as many decimals as the value itself shows, so
 * 0.9975 is 99.75 %, never a rounded "100 %". Only a value that shows as 1 (or 0) at its own
 * precision becomes "≈ 100 %" (or "≈ 0 %"), and the ≈ says it is not exact.
 */
export function formatShare(v: number): string {
  const d = decimalsFor(v);
  const shown = Number(v.toFixed(d));
  if ((shown === 1 || shown === 0) && v !== shown) return `≈\u00a0${shown * 100}%`;
  return `${formatFixed(v * 100, Math.max(0, d - 2))}%`;
}

export function formatPercent(v: number, lang: string): string {
  if (!Number.isFinite(v)) return '—';
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

export const formatDay = (ms: number) => (Number.isFinite(ms) ? formatDate(ms, false) : '—');

/** A date, with its time of day (HH:MM, seconds when they are not :00) for intraday rows. */
export function formatMoment(ms: number, withTime: boolean): string {
  if (!Number.isFinite(ms)) return '—';
  if (!withTime) return formatDate(ms, false);
  const [day, time] = formatDate(ms, true).split('T');
  return `${day} ${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}

/** Column names as a sentence lists them: "Open, High and Close"; in Korean 시가·고가·종가. */
export function formatList(items: readonly string[], lang: string): string {
  if (lang.startsWith('ko')) return items.join('·');
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A probability as a whole percent: "97%", and "≈ 100%" / "< 1%" where rounding would claim
 * certainty the model does not have.
 */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  const whole = Math.round(p * 100);
  if (whole === 100 && p < 1) return '≈\u00a0100%';
  if (whole === 0 && p > 0) return '<\u00a01%';
  return `${whole}%`;
}

/** Saves text as a file in the browser's downloads (nothing is uploaded anywhere). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A ratio with two decimals (1.04×, 0.97×), whole from 10 up (12×). */
export function formatRatio(ratio: number, lang: string): string {
  if (!Number.isFinite(ratio)) return '—';
  const digits = ratio < 10 ? 2 : 0;
  return numberFormat(lang, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(ratio);
}

/** Axis labels: short (16M, 3.4K; 1600만 in Korean), the sign always kept. */
export function formatCompact(v: number, lang: string): string {
  if (!Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && abs < 1e-3) return withMinus(v.toExponential(0));
  return withMinus(
    numberFormat(lang, {
      notation: abs >= 10_000 ? 'compact' : 'standard',
      maximumSignificantDigits: 3,
    }).format(v),
  );
}

/** A y-axis width (px) that fits the longest of these labels at the chart font size. */
export function axisWidth(values: readonly number[], format: (v: number) => string): number {
  let longest = 1;
  for (const v of values) if (Number.isFinite(v)) longest = Math.max(longest, format(v).length);
  return Math.ceil(12 + longest * 7.5);
}

/**
 * Decimals that let an equation be checked by hand: 3, or more where a value sits within 0.01
 * of 0 or ±1 (a forget gate of 0.9975 is not "1.00": it is what slowly erases the memory).
 */
export function decimalsFor(v: number): number {
  const a = Math.abs(v);
  const dist = Math.min(a, Math.abs(1 - a));
  if (!(dist > 0) || dist >= 0.01) return 3;
  return Math.min(6, Math.max(3, Math.ceil(-Math.log10(dist)) + 1));
}

/** A span of seconds as a learner says it: "45 s", "1 min 30 s"; "45초", "1분 30초" in Korean. */
export function formatDuration(seconds: number, lang: string): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const r = s % 60;
  if (lang.startsWith('ko')) return m === 0 ? `${r}초` : r === 0 ? `${m}분` : `${m}분 ${r}초`;
  return m === 0 ? `${r} s` : r === 0 ? `${m} min` : `${m} min ${r} s`;
}
