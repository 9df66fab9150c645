import type { ComparisonResult, FeatureComparison } from '../compareRuns.ts';
import { formatP, formatPercent, formatRatio, formatSeconds, formatSigned, formatWithUnit } from './format.ts';
import { COLOR_A, COLOR_B, escapeXml as esc, relativeDifferenceChart, timeSeriesChart } from './svgCharts.ts';

/**
 * The comparison as one self-contained HTML page: inline CSS and SVG only,
 * no script and nothing fetched, so it opens offline and in mail.
 */
export function renderHtml(r: ComparisonResult): string {
  const adj = r.method.adjustment === 'holm' ? 'Holm' : 'BH';
  const rows = r.features.map(row).join('\n');
  const warnings = r.warnings.length > 0 ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
  const notes = [
    r.onlyInA.length > 0 ? `Only in A: ${esc(r.onlyInA.join(', '))}.` : '',
    r.onlyInB.length > 0 ? `Only in B: ${esc(r.onlyInB.join(', '))}.` : '',
    r.allZero.length > 0 ? `Zero throughout on both sides: ${esc(r.allZero.join(', '))}.` : '',
  ].filter((x) => x !== '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A/B comparison: ${esc(r.a.label)} vs ${esc(r.b.label)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; padding: 0 16px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.verdict { font-size: 16px; padding: 12px 14px; background: #f4f6f8; border-left: 4px solid #555; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.diff td { font-weight: 600; }
.a { color: ${COLOR_A}; } .b { color: ${COLOR_B}; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
svg.chart { font: 11px system-ui, sans-serif; max-width: 100%; height: auto; }
svg .title { font-size: 12px; font-weight: 600; }
.small { color: #666; font-size: 12px; }
</style>
</head>
<body>
<h1>A/B comparison</h1>
<p class="verdict">${esc(r.verdict)}</p>
<table>
<tr><th></th><th class="a">A</th><th class="b">B</th></tr>
<tr><td>Source</td><td>${esc(r.a.label)}</td><td>${esc(r.b.label)}</td></tr>
<tr><td>Time range</td><td>${formatSeconds(r.a.from)} – ${formatSeconds(r.a.to)}</td><td>${formatSeconds(r.b.from)} – ${formatSeconds(r.b.to)}</td></tr>
<tr><td>Intervals</td><td>${r.a.intervals} × ${r.a.meanIntervalSeconds.toFixed(3)} s</td><td>${r.b.intervals} × ${r.b.meanIntervalSeconds.toFixed(3)} s</td></tr>
<tr><td>Fingerprint similarity</td><td colspan="2">${r.similarity.cosine.toFixed(4)} <span class="small">(cosine of mean z-scored log rates, ${r.similarity.features.length} events)</span></td></tr>
</table>
${warnings}
<h2>Over time <span class="small"><span class="a">■ A</span> <span class="b">■ B</span>, each from the start of its range</span></h2>
<div class="charts">
${r.series.map(timeSeriesChart).join('\n')}
</div>
<h2>Relative differences</h2>
${relativeDifferenceChart(r.features)}
<h2>Features</h2>
<p class="small">Means with 95 % confidence intervals; B/A is the ratio of the means; g is Hedges' g; p is Welch's test, adjusted (${adj}) over ${r.features.length} features. Bold rows differ.</p>
<table>
<tr><th>Feature</th><th>A mean [95% CI]</th><th>B mean [95% CI]</th><th>B/A</th><th>Change</th><th>g</th><th>p (${adj})</th></tr>
${rows}
</table>
<h2>Method</h2>
<p class="small">${esc(r.method.test)}; ${esc(r.method.autocorrelation)}. A feature differs when its ${adj}-adjusted p is below ${r.method.alpha} and its mean changes by at least ${+(r.method.minRelativeDifference * 100).toFixed(2)}%.</p>
${notes.map((x) => `<p class="small">${x}</p>`).join('\n')}
</body>
</html>
`;
}

function row(f: FeatureComparison): string {
  const side = (s: FeatureComparison['a']) => `${formatWithUnit(s.mean, f.unit)} [${formatWithUnit(s.ciLow, f.unit)}, ${formatWithUnit(s.ciHigh, f.unit)}]`;
  return `<tr${f.different ? ' class="diff"' : ''}><td>${esc(f.feature)}</td><td>${esc(side(f.a))}</td><td>${esc(side(f.b))}</td><td>${formatRatio(f.ratio)}</td><td>${formatPercent(f.relativeDifference)}</td><td>${formatSigned(f.hedgesG)}</td><td>${formatP(f.pAdjusted)}</td></tr>`;
}
