import type { FeatureComparison, TimeSeries } from '../compareRuns.ts';
import { formatP, formatPercent, formatValue } from './format.ts';

/** Inline SVG charts for the HTML report: no scripts, no external resources. */

export const COLOR_A = '#1f77b4';
export const COLOR_B = '#e4572e';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const n = (x: number) => (Math.round(x * 10) / 10).toString();

/** A and B of one feature over time, each from its own start, in one plot. */
export function timeSeriesChart(s: TimeSeries): string {
  const W = 460;
  const H = 200;
  const L = 64;
  const R = 12;
  const T = 26;
  const B = 30;
  const all = [...s.a, ...s.b];
  const tMax = Math.max(1e-9, ...all.map((p) => p[0]));
  let lo = Math.min(...all.map((p) => p[1]));
  let hi = Math.max(...all.map((p) => p[1]));
  if (hi === lo) {
    hi += Math.abs(hi) * 0.05 || 1;
    lo -= Math.abs(lo) * 0.05 || 1;
  }
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  const x = (t: number) => L + (t / tMax) * (W - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const line = (pts: [number, number][], color: string) =>
    pts.length === 0 ? '' : `<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${pts.map(([t, v]) => `${n(x(t))},${n(y(v))}`).join(' ')}"/>`;
  const ticks = [lo + pad, (lo + hi) / 2, hi - pad]
    .map((v) => `<line x1="${L}" x2="${W - R}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#ddd"/><text x="${L - 6}" y="${n(y(v) + 4)}" text-anchor="end">${escapeXml(formatValue(v))}</text>`)
    .join('');
  const xTicks = [0, tMax / 2, tMax].map((t) => `<text x="${n(x(t))}" y="${H - B + 16}" text-anchor="middle">${t.toFixed(t < 10 ? 1 : 0)}</text>`).join('');
  const title = `${s.feature}${s.unit ? ` (${s.unit})` : ''}`;
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)} over time, A and B">
<text x="${L}" y="16" class="title">${escapeXml(title)}</text>
${ticks}${xTicks}<text x="${W - R}" y="${H - 2}" text-anchor="end">s since start</text>
<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>
${line(s.a, COLOR_A)}${line(s.b, COLOR_B)}
</svg>`;
}

/** One bar per feature: log2 of B/A, so 2x and ½ are equally long; faded when not a difference. */
export function relativeDifferenceChart(features: readonly FeatureComparison[]): string {
  const rows = features
    .filter((f) => !Number.isNaN(f.p))
    .map((f) => ({ f, l: f.ratio > 0 && Number.isFinite(f.ratio) ? Math.log2(f.ratio) : f.ratio === 0 ? -Infinity : Infinity }))
    .sort((p, q) => Math.abs(q.l) - Math.abs(p.l));
  const W = 720;
  const rowH = 18;
  const L = 190;
  const R = 150;
  const T = 30;
  const H = T + rows.length * rowH + 28;
  const span = Math.min(10, Math.max(1, ...rows.map((r) => (Number.isFinite(r.l) ? Math.abs(r.l) : 10))));
  const mid = L + (W - L - R) / 2;
  const scale = (W - L - R) / 2 / span;
  const bars = rows
    .map(({ f, l }, i) => {
      const cl = Math.max(-span, Math.min(span, l));
      const yTop = T + i * rowH + 3;
      const x0 = cl >= 0 ? mid : mid + cl * scale;
      const w = Math.max(1, Math.abs(cl) * scale);
      const color = cl >= 0 ? COLOR_B : COLOR_A;
      const label = Math.abs(l) >= 1 && Number.isFinite(l) ? `${formatRatioText(f.ratio)}` : formatPercent(f.relativeDifference);
      const tip = `${f.feature}: B/A ${formatRatioText(f.ratio)}, adjusted p ${formatP(f.pAdjusted)}${f.different ? '' : ' (not a difference)'}`;
      return `<g opacity="${f.different ? 1 : 0.35}"><title>${escapeXml(tip)}</title>
<text x="${L - 8}" y="${yTop + 11}" text-anchor="end">${escapeXml(f.feature)}</text>
<rect x="${n(x0)}" y="${yTop}" width="${n(w)}" height="${rowH - 6}" fill="${color}"/>
<text x="${W - R + 8}" y="${yTop + 11}">${escapeXml(label)}${f.different ? '' : ' ·'}</text></g>`;
    })
    .join('\n');
  const tickVals = [-span, -span / 2, 0, span / 2, span].map((v) => Math.round(v));
  const ticks = [...new Set(tickVals)]
    .map((v) => {
      const xx = mid + v * scale;
      const text = v === 0 ? '1' : v > 0 ? `${2 ** v}x` : `1/${2 ** -v}`;
      return `<line x1="${n(xx)}" x2="${n(xx)}" y1="${T - 4}" y2="${H - 24}" stroke="#ddd"/><text x="${n(xx)}" y="${H - 8}" text-anchor="middle">${text}</text>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="B relative to A per feature">
<text x="${L}" y="16" class="title">B relative to A (log scale; faded: not a significant, material difference)</text>
${ticks}<line x1="${n(mid)}" x2="${n(mid)}" y1="${T - 4}" y2="${H - 24}" stroke="#555"/>
${bars}
</svg>`;
}

function formatRatioText(r: number): string {
  if (!Number.isFinite(r)) return '∞';
  if (r === 0) return '0';
  return r >= 1 ? `${+r.toPrecision(r >= 100 ? 3 : 2)}x` : `1/${+(1 / r).toPrecision(1 / r >= 100 ? 3 : 2)}`;
}
