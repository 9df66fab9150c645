import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { PACKET_FEATURES } from '../fingerprint/packetMetrics.ts';
import { type ComparisonResult, type FeatureComparison, compareRuns } from './compareRuns.ts';
import { steadyStretches } from './steadyStretches.ts';
import { tCritical } from './tDistribution.ts';

/** The intervals of one revision, with the packet features (withPacketFeatures) on those that carry counts. */
export interface RevisionSide {
  revision: number;
  fingerprints: readonly Fingerprint[];
}

/** One figure of the A/B: both means with their 95 % intervals, and the change with its own. */
export interface AbFigure {
  feature: string;
  unit: string;
  baseline: { mean: number; ciLow: number; ciHigh: number; n: number };
  current: { mean: number; ciLow: number; ciHigh: number; n: number };
  /** (current − baseline) / |baseline|. */
  relative: number;
  /** Half-width of the 95 % interval of `relative` (delta method over the two means' standard errors). */
  relativeHalfWidth: number;
  /** Significant after correction and at least the minimum change worth reporting (compare's `different`). */
  different: boolean;
}

export interface RevisionAb {
  baseline: number;
  current: number;
  /** Throughput, drop ratio, then cost per packet (cycles and instructions with a PMU, CPU-ns otherwise). */
  figures: AbFigure[];
  /** The cost figure the verdict is about: cycles per packet when counted, else CPU-ns per packet. */
  cost: string | null;
  verdict: string;
  warnings: string[];
  /** Which intervals each side used (the longest steady stretch with traffic, or all with traffic). */
  used: { baseline: string; current: string };
  comparison: ComparisonResult;
}

const AB_FEATURES = ['packets-per-second', 'drop-ratio', 'cycles-per-packet', 'instructions-per-packet', 'cpu-ns-per-packet'];
const UNITS = new Map(PACKET_FEATURES.map((f) => [f.name, f.unit]));
/** Fewer intervals than this per side give no A/B (the interval of a mean would be meaningless). */
export const MIN_AB_INTERVALS = 5;

/**
 * The part of a revision to compare: its longest steady stretch (compare's change points)
 * among the intervals that carry packets and received some, else all of those. Stretches
 * of one traffic state each are what make cost per packet comparable.
 */
export function steadyTraffic(fps: readonly Fingerprint[]): { fingerprints: Fingerprint[]; description: string } {
  const loaded = fps.filter((f) => (f.derived['packets-per-second'] ?? 0) > 0);
  const stretch = steadyStretches(loaded)[0];
  if (stretch) {
    const { from = -Infinity, to = Infinity } = stretch.range;
    const picked = loaded.filter((f) => f.t - f.dt / 2 >= from && f.t - f.dt / 2 < to);
    if (picked.length >= MIN_AB_INTERVALS) return { fingerprints: picked, description: `steady stretch ${fmt(picked[0]!.t - picked[0]!.dt)}–${fmt(picked[picked.length - 1]!.t)} s (${picked.length} intervals)` };
  }
  return { fingerprints: loaded, description: `${loaded.length} intervals with traffic (no steady stretch of ${MIN_AB_INTERVALS})` };
}

/**
 * Revision `current` against the pinned `baseline`: compare's statistics (Welch with the
 * autocorrelation-aware standard errors, Holm) on the packet features of each side's
 * steady traffic, and a verdict on cost per packet; `waiting` with the reason while a
 * side has too few intervals with traffic.
 */
export function compareRevisions(baseline: RevisionSide, current: RevisionSide): RevisionAb | { waiting: string } {
  const a = steadyTraffic(baseline.fingerprints);
  const b = steadyTraffic(current.fingerprints);
  for (const [side, rev] of [
    [a, baseline.revision],
    [b, current.revision],
  ] as const) {
    if (side.fingerprints.length < MIN_AB_INTERVALS) return { waiting: `revision ${rev} has ${side.fingerprints.length} intervals with traffic; the A/B needs ${MIN_AB_INTERVALS}` };
  }
  const present = AB_FEATURES.filter((f) => a.fingerprints.some((x) => x.derived[f] !== undefined) && b.fingerprints.some((x) => x.derived[f] !== undefined));
  const comparison = compareRuns({ label: `revision ${baseline.revision}`, fingerprints: a.fingerprints }, { label: `revision ${current.revision}`, fingerprints: b.fingerprints }, { features: present });
  const figures = AB_FEATURES.map((f) => comparison.features.find((x) => x.feature === f)).filter((f): f is FeatureComparison => f !== undefined).map(figure);
  const cost = figures.find((f) => f.feature === 'cycles-per-packet') ?? figures.find((f) => f.feature === 'cpu-ns-per-packet') ?? null;
  const names = (w: string) => w.replace(/^A and B/, `Revisions ${baseline.revision} and ${current.revision}`).replace(/^A\b/, `Revision ${baseline.revision}`).replace(/^B\b/, `Revision ${current.revision}`);
  return {
    baseline: baseline.revision,
    current: current.revision,
    figures,
    cost: cost?.feature ?? null,
    verdict: verdict(cost, baseline.revision, current.revision),
    warnings: comparison.warnings.map(names),
    used: { baseline: a.description, current: b.description },
    comparison,
  };
}

function figure(f: FeatureComparison): AbFigure {
  const side = (s: FeatureComparison['a']) => ({ mean: s.mean, ciLow: s.ciLow, ciHigh: s.ciHigh, n: s.n });
  // Delta method for the ratio of two independent means, with Welch's degrees of freedom.
  const ma = f.a.mean;
  const mb = f.b.mean;
  const ratio = ma !== 0 ? mb / ma : NaN;
  const seRel = ma !== 0 && mb !== 0 ? Math.abs(ratio) * Math.sqrt((f.a.se / ma) ** 2 + (f.b.se / mb) ** 2) : ma !== 0 ? f.b.se / Math.abs(ma) : NaN;
  const t = Number.isFinite(f.df) && f.df > 0 ? tCritical(0.95, f.df) : 1.96;
  return { feature: f.feature, unit: UNITS.get(f.feature) ?? '', baseline: side(f.a), current: side(f.b), relative: f.relativeDifference, relativeHalfWidth: t * seRel, different: f.different };
}

/** "Revision 2 is faster per packet than revision 1 by 7.2 % ± 1.1 % (CPU-ns per packet)". */
function verdict(cost: AbFigure | null, base: number, cur: number): string {
  if (!cost) return `No cost per packet to compare: revisions ${base} and ${cur} need the router's packet counters and task-clock or cycles`;
  const what = cost.feature === 'cycles-per-packet' ? 'cycles per packet' : 'CPU-ns per packet';
  const pm = `${pct(Math.abs(cost.relative))} ± ${pct(cost.relativeHalfWidth)}`;
  if (!cost.different) return `Revision ${cur} does not differ from revision ${base} in cost per packet (${signed(cost.relative)} ± ${pct(cost.relativeHalfWidth)} ${what})`;
  return `Revision ${cur} is ${cost.relative < 0 ? 'faster' : 'slower'} per packet than revision ${base} by ${pm} (${what})`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${pct(Math.abs(x))}`;
}

function fmt(s: number): string {
  return (Math.round(s * 10) / 10).toString();
}
