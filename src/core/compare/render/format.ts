/** Number formatting shared by the Markdown and HTML reports. */

const SI = [
  { v: 1e12, s: 'T' },
  { v: 1e9, s: 'G' },
  { v: 1e6, s: 'M' },
  { v: 1e3, s: 'k' },
];

/** 5.88 G, 1.94 k, 2.51, 0.00499, 4.92e-7. */
export function formatValue(x: number, si = true): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const sign = x < 0 ? '−' : '';
  if (si) for (const { v, s } of SI) if (a >= v) return `${sign}${trim((a / v).toPrecision(3))} ${s}`;
  if (a >= 1000) return sign + Math.round(a).toString();
  if (a >= 1e-4) return sign + trim(a.toPrecision(3));
  return sign + a.toExponential(2);
}

/** "1.50" → "1.5", "1.00e+3" → "1000": toPrecision without its exponent form or trailing zeros. */
function trim(s: string): string {
  return String(Number(s));
}

/** +31.0%, −54.6%, +2898%. */
export function formatPercent(rel: number): string {
  if (!Number.isFinite(rel)) return Number.isNaN(rel) ? '–' : rel > 0 ? '+∞' : '−∞';
  const pct = rel * 100;
  const digits = Math.abs(pct) >= 100 ? 0 : 1;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(digits)}%`;
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return r > 0 ? '∞' : '–';
  return trim(r.toPrecision(3));
}

export function formatP(p: number): string {
  if (Number.isNaN(p)) return '–';
  if (p === 0) return '0';
  if (p < 1e-4) return p.toExponential(1);
  return p.toFixed(4);
}

export function formatSigned(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '+∞' : '−∞';
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;
}

export function formatSeconds(s: number): string {
  return `${s.toFixed(1)} s`;
}

/** A mean or bound with its unit: 4.96 G/s, 355/s, 1000 ms/s, 0.36. */
export function formatWithUnit(x: number, unit: string): string {
  if (unit === '/s') return `${formatValue(x)}/s`;
  if (unit === '') return formatValue(x);
  return `${formatValue(x, false)} ${unit}`;
}
