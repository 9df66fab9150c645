import type { ComparisonResult, FeatureComparison } from '../compareRuns.ts';
import { formatPps } from '../../ui/packetText.ts';
import { formatP, formatPercent, formatRatio, formatSeconds, formatSigned, formatWithUnit } from './format.ts';

/** The comparison as a Markdown report: verdict, sides, per-feature table, warnings, method. */
export function renderMarkdown(r: ComparisonResult): string {
  const adj = r.method.adjustment === 'holm' ? 'Holm' : 'BH';
  const out: string[] = [];
  out.push(`# A/B comparison: ${esc(r.a.label)} vs ${esc(r.b.label)}`, '');
  out.push(`**Verdict:** ${esc(r.verdict)}`, '');
  out.push('| | A | B |', '|---|---|---|');
  out.push(`| Source | ${esc(r.a.label)} | ${esc(r.b.label)} |`);
  out.push(`| Time range | ${formatSeconds(r.a.from)} – ${formatSeconds(r.a.to)} | ${formatSeconds(r.b.from)} – ${formatSeconds(r.b.to)} |`);
  out.push(`| Intervals | ${r.a.intervals} × ${r.a.meanIntervalSeconds.toFixed(3)} s | ${r.b.intervals} × ${r.b.meanIntervalSeconds.toFixed(3)} s |`);
  if (r.cpuRate) {
    const cell = (s: NonNullable<ComparisonResult['cpuRate']>['a']) => (s ? `${formatPps(s.pps)} (${formatPps(s.low)} – ${formatPps(s.high)}; ${s.answered} of ${s.intervals} intervals)` : 'no estimate');
    out.push(`| Packet rate from the CPU alone (median, ≈ 90 % range) | ${cell(r.cpuRate.a)} | ${cell(r.cpuRate.b)} |`);
  }
  out.push('');
  out.push(`Fingerprint similarity (cosine of mean z-scored log rates, ${r.similarity.features.length} events, ${r.similarity.basis === 'profile' ? 'each side z-scored across its events' : 'z-scored against the reference'}): **${r.similarity.cosine.toFixed(4)}**`, '');

  out.push('## Features', '');
  out.push(`Means with 95 % confidence intervals; B/A is the ratio of the means; g is Hedges' g; p is Welch's test, adjusted (${adj}) over ${r.features.length} features.`, '');
  out.push(`| Feature | A mean [95% CI] | B mean [95% CI] | B/A | Change | g | p (${adj}) | Differs |`, '|---|---:|---:|---:|---:|---:|---:|:---:|');
  for (const f of r.features) out.push(row(f));
  out.push('');

  if (r.warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of r.warnings) out.push(`- ${esc(w)}`);
    out.push('');
  }
  const notes: string[] = [];
  if (r.onlyInA.length > 0) notes.push(`Only in A: ${r.onlyInA.join(', ')}.`);
  if (r.onlyInB.length > 0) notes.push(`Only in B: ${r.onlyInB.join(', ')}.`);
  if (r.allZero.length > 0) notes.push(`Zero throughout on both sides: ${r.allZero.join(', ')}.`);
  out.push('## Method', '');
  out.push(`- Test: ${r.method.test}; ${r.method.autocorrelation}.`);
  out.push(`- A feature differs when its ${adj}-adjusted p is below ${r.method.alpha} and its mean changes by at least ${+(r.method.minRelativeDifference * 100).toFixed(2)}%.`);
  for (const n of notes) out.push(`- ${n}`);
  out.push('');
  return out.join('\n');
}

function row(f: FeatureComparison): string {
  const side = (s: FeatureComparison['a']) => `${formatWithUnit(s.mean, f.unit)} [${formatWithUnit(s.ciLow, f.unit)}, ${formatWithUnit(s.ciHigh, f.unit)}]`;
  const name = f.different ? `**${f.feature}**` : f.feature;
  return `| ${name} | ${side(f.a)} | ${side(f.b)} | ${formatRatio(f.ratio)} | ${formatPercent(f.relativeDifference)} | ${formatSigned(f.hedgesG)} | ${formatP(f.pAdjusted)} | ${f.different ? 'yes' : f.significant ? 'small' : ''} |`;
}

/** Labels come from file names and run names: keep them from breaking the table. */
function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
