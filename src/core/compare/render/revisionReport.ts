import type { AbFigure, RevisionAb } from '../revisionAb.ts';
import { formatValue, formatWithUnit } from './format.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { escapeXml } from './svgCharts.ts';

/** The A/B figures as table rows: figure, baseline, current, change ± its 95 % interval. */
export function abRows(ab: RevisionAb): string[][] {
  return ab.figures.map((f) => [label(f.feature), value(f, f.baseline), value(f, f.current), change(f)]);
}

/** One page: the revision A/B (verdict, figures, warnings), then compare's full Markdown report. */
export function renderRevisionMarkdown(ab: RevisionAb, source: string): string {
  const out = [`# Revision ${ab.current} against revision ${ab.baseline} (${source})`, '', `**${ab.verdict}.**`, ''];
  out.push(`| Figure | Revision ${ab.baseline} | Revision ${ab.current} | Change [95 % CI] |`, '|---|---:|---:|---:|');
  for (const r of abRows(ab)) out.push(`| ${r.join(' | ')} |`);
  out.push('', `Intervals used: revision ${ab.baseline}: ${ab.used.baseline}; revision ${ab.current}: ${ab.used.current}.`, '');
  for (const w of ab.warnings) out.push(`> Warning: ${w}`, '');
  return out.join('\n') + '\n' + renderMarkdown(ab.comparison).replace(/^# /, '## ');
}

/** The same as a self-contained HTML page: compare's HTML report with the A/B summary first. */
export function renderRevisionHtml(ab: RevisionAb, source: string): string {
  const rows = abRows(ab)
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${escapeXml(c)}</th>` : `<td>${escapeXml(c)}</td>`)).join('')}</tr>`)
    .join('\n');
  const summary = [
    `<section class="revision-ab"><h2>Revision ${ab.current} against revision ${ab.baseline} (${escapeXml(source)})</h2>`,
    `<p><strong>${escapeXml(ab.verdict)}.</strong></p>`,
    `<table><thead><tr><th>Figure</th><th>Revision ${ab.baseline}</th><th>Revision ${ab.current}</th><th>Change [95 % CI]</th></tr></thead><tbody>${rows}</tbody></table>`,
    `<p>Intervals used: revision ${ab.baseline}: ${escapeXml(ab.used.baseline)}; revision ${ab.current}: ${escapeXml(ab.used.current)}.</p>`,
    ...ab.warnings.map((w) => `<p class="warning">Warning: ${escapeXml(w)}</p>`),
    '</section>',
  ].join('\n');
  const html = renderHtml(ab.comparison);
  const at = html.indexOf('</h1>');
  return at < 0 ? html : html.slice(0, at + 5) + '\n' + summary + html.slice(at + 5);
}

const LABELS: Record<string, string> = {
  'packets-per-second': 'Throughput (received)',
  'drop-ratio': 'Drop ratio',
  'cycles-per-packet': 'Cycles per packet',
  'instructions-per-packet': 'Instructions per packet',
  'cpu-ns-per-packet': 'CPU-ns per packet',
};

export function label(feature: string): string {
  return LABELS[feature] ?? feature;
}

function value(f: AbFigure, s: AbFigure['baseline']): string {
  // Rates, shares and costs are never negative: a 95 % interval reaching below zero is cut there.
  const low = Math.max(0, s.ciLow);
  if (f.feature === 'drop-ratio') return `${(s.mean * 100).toFixed(3)} % [${(low * 100).toFixed(3)}, ${(s.ciHigh * 100).toFixed(3)}]`;
  if (f.feature === 'packets-per-second') return `${formatValue(s.mean)} pkt/s [${formatValue(low)}, ${formatValue(s.ciHigh)}]`;
  return `${formatWithUnit(s.mean, f.unit)} [${formatValue(low, false)}, ${formatValue(s.ciHigh, false)}]`;
}

export function change(f: AbFigure): string {
  const verdict = f.different ? '' : ' (no significant change)';
  // A drop ratio is already a share: its change reads in percentage points (a relative change
  // from or to no drops at all is ±100 % or infinite and says nothing).
  if (f.feature === 'drop-ratio') {
    const d = (f.current.mean - f.baseline.mean) * 100;
    const half = Math.hypot(f.current.ciHigh - f.current.ciLow, f.baseline.ciHigh - f.baseline.ciLow) * 50;
    return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(3)} pts ± ${half.toFixed(3)} pts${verdict}`;
  }
  if (!Number.isFinite(f.relative)) return 'n/a';
  const sign = f.relative >= 0 ? '+' : '−';
  return `${sign}${(Math.abs(f.relative) * 100).toFixed(1)} % ± ${(f.relativeHalfWidth * 100).toFixed(1)} %${verdict}`;
}
