/**
 * Number formatting shared by the UI, exports and tests. Pure, locale-independent (always
 * en-US style: "." decimal point, "," thousands separator) so server and client render the same text.
 */
import type { AssumptionSpec } from './model';

const DASH = '—';

/** Fixed decimals without a trailing ".0" / ".00" when `trim` is set. */
function fixed(n: number, digits: number, trim = false): string {
  let s = n.toFixed(digits);
  if (trim && s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Thousands separators, up to `maxDigits` decimals: 12000 -> "12,000", 1234.5 -> "1,234.5". */
function grouped(n: number, maxDigits = 0): string {
  const s = fixed(Math.abs(n), maxDigits, true);
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot);
  const withCommas = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 && s !== '0' ? '-' : '') + withCommas + frac;
}

interface Scale {
  div: number;
  suffix: '' | 'k' | 'M' | 'B' | 'T';
}
const SCALES: readonly Scale[] = [
  { div: 1, suffix: '' },
  { div: 1e3, suffix: 'k' },
  { div: 1e6, suffix: 'M' },
  { div: 1e9, suffix: 'B' },
  { div: 1e12, suffix: 'T' },
];

/**
 * Format |v| at the smallest scale whose rounded value stays below 1000, so 999,960 shows as
 * "1.0M" rather than "1000.0k". `digitsFor(x, suffix)` gives the decimals for a value at a scale.
 */
function scaled(
  abs: number,
  digitsFor: (x: number, suffix: Scale['suffix']) => number,
  trim: boolean,
): string {
  let text = '';
  for (const scale of SCALES) {
    const x = abs / scale.div;
    const digits = fixed(x, digitsFor(x, scale.suffix), trim);
    text = digits + scale.suffix;
    if (Number(digits) < 1000) break;
  }
  return text;
}

/**
 * Money in US dollars, compact: "$4.08B", "$850M", "$12.5M", "$12.0k", "$850".
 * Billions get 2 decimals; millions and thousands 1 decimal below 100, none above.
 */
export function formatUsd(v: number): string {
  if (!Number.isFinite(v)) return DASH;
  const sign = v < 0 ? '-' : '';
  const abs = Math.abs(v);
  const body = scaled(
    abs,
    (x, suffix) => (suffix === '' ? 0 : suffix === 'B' || suffix === 'T' ? 2 : x < 99.95 ? 1 : 0),
    false,
  );
  if (body === '0') return '$0';
  return `${sign}$${body}`;
}

/** Counts, compact: "40k", "1.2M", "256k", "850", "2.5". At most one decimal, trailing zero dropped. */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const body = scaled(abs, (x) => (x < 99.95 ? 1 : 0), true);
  return body === '0' ? '0' : sign + body;
}

/** A fraction as a percentage: formatPercent(0.013) -> "1.3%". */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return DASH;
  return `${fixed(fraction * 100, digits)}%`;
}

/**
 * An assumption's value as the UI shows it, with its unit:
 * "40k/yr", "1.3%", "8%/yr", "$12,000/yr", "2.5x", "$2.6B", "3 yrs", "2030".
 */
export function formatValue(spec: AssumptionSpec, v: number): string {
  if (!Number.isFinite(v)) return DASH;
  switch (spec.unit) {
    case 'people/yr':
      return `${formatCompact(v)}/yr`;
    case '%':
      return `${fixed(v, 2, true)}%`;
    case '%/yr':
      return `${fixed(v, 2, true)}%/yr`;
    case '$/yr':
      return `${v < 0 ? '-' : ''}$${grouped(Math.abs(v))}/yr`;
    case 'x':
      return `${fixed(v, 2, true)}x`;
    case '$B':
      return `${v < 0 ? '-' : ''}$${fixed(Math.abs(v), 2, true)}B`;
    case 'yrs': {
      const s = fixed(v, 1, true);
      return `${s} ${s === '1' ? 'yr' : 'yrs'}`;
    }
    case 'year':
      return fixed(v, 0);
    default:
      return `${grouped(v, 2)} ${spec.unit}`.trim();
  }
}
