const SI = [
  { v: 1e12, s: 'T' },
  { v: 1e9, s: 'G' },
  { v: 1e6, s: 'M' },
  { v: 1e3, s: 'k' },
];

/** 1234567 -> "1.23M"; small values keep three significant digits. */
export function si(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  for (const u of SI) if (a >= u.v) return `${trim((v / u.v).toPrecision(3))}${u.s}`;
  if (a === 0) return '0';
  return trim(a >= 1 ? v.toPrecision(3) : v.toPrecision(2));
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/** Session time: "12.3 s", "4:05.0" beyond a minute, "1:02:03" beyond an hour. */
export function seconds(t: number): string {
  if (!Number.isFinite(t)) return '–';
  const sign = t < 0 ? '−' : '';
  const a = Math.abs(t);
  if (a < 60) return `${sign}${a.toFixed(a < 10 ? 2 : 1)} s`;
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  if (h > 0) return `${sign}${h}:${String(m).padStart(2, '0')}:${String(Math.floor(s)).padStart(2, '0')}`;
  return `${sign}${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** A duration in words: "3.0 s", "2 min 5 s", "1 h 3 min". */
export function duration(d: number): string {
  if (!Number.isFinite(d) || d < 0) return '–';
  if (d < 60) return `${d.toFixed(1)} s`;
  if (d < 3600) return `${Math.floor(d / 60)} min ${Math.floor(d % 60)} s`;
  return `${Math.floor(d / 3600)} h ${Math.floor((d % 3600) / 60)} min`;
}

export function pct(v: number): string {
  return `${Math.round(v * 100)} %`;
}

export function signed(v: number, digits = 2): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
}

/** Axis ticks: whole seconds without decimals ("15 s", "1:30", "1:02:00"). */
export function tickSeconds(t: number): string {
  if (!Number.isFinite(t)) return '';
  const r = Math.round(t * 1000) / 1000;
  if (Math.abs(r) < 60) return `${Number.isInteger(r) ? r : r.toFixed(1)} s`;
  return seconds(r).replace(/\.0$/, '');
}
