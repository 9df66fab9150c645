import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { PACKET_FEATURES } from '../fingerprint/packetMetrics.ts';
import { formatPps } from '../ui/packetText.ts';
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
  /** The two parts were offered about the same load (SAME_LOAD); else the verdict says they do not compare. */
  sameLoad: boolean;
  warnings: string[];
  /** Which intervals each side used (steady stretches at about the same load, else the longest of each, or all with traffic). */
  used: { baseline: string; current: string };
  comparison: ComparisonResult;
}

const AB_FEATURES = ['packets-per-second', 'drop-ratio', 'cycles-per-packet', 'instructions-per-packet', 'cpu-ns-per-packet'];
const UNITS = new Map(PACKET_FEATURES.map((f) => [f.name, f.unit]));
/** Fewer intervals than this per side give no A/B (the interval of a mean would be meaningless). */
export const MIN_AB_INTERVALS = 5;

/** A part of a revision that can be compared: its intervals, what they are, and the load it was offered. */
export interface TrafficPart {
  fingerprints: Fingerprint[];
  description: string;
  /** Median offered packets per second (received / (1 − drop ratio)). */
  offered: number;
}

/**
 * The parts of a revision to compare: its intervals with traffic, without those that
 * straddle the start or end of it (below 3/4 of the median packet rate: a partial
 * interval's cost per packet mixes two loads, a trickle's is meaningless), cut into steady
 * stretches (compare's change points, with the packet rate voting), longest first; else
 * all of them as one part. Stretches of one traffic state each are what make cost per
 * packet comparable.
 */
export function trafficParts(fps: readonly Fingerprint[]): TrafficPart[] {
  const pps = (f: Fingerprint) => f.derived['packets-per-second'] ?? 0;
  const loaded = fps.filter((f) => pps(f) > 0);
  const level = median(loaded.map(pps));
  const kept = loaded.filter((f) => pps(f) >= 0.75 * level);
  // A busy poller's CPU events hardly change with its traffic: the stretches are where the received
  // and the offered packet rates keep their level.
  const offered = (f: Fingerprint) => pps(f) / Math.max(1e-9, 1 - (f.derived['drop-ratio'] ?? 0));
  const part = (picked: Fingerprint[], description: string): TrafficPart => ({ fingerprints: picked, description, offered: median(picked.map(offered)) });
  const parts: TrafficPart[] = [];
  for (const stretch of steadyStretches(kept.map((f) => ({ ...f, rates: { 'packets-per-second': pps(f), 'offered-per-second': offered(f) } })))) {
    const { from = -Infinity, to = Infinity } = stretch.range;
    const picked = kept.filter((f) => f.t - f.dt / 2 >= from && f.t - f.dt / 2 < to);
    if (picked.length >= MIN_AB_INTERVALS) parts.push(part(picked, `steady stretch ${fmt(picked[0]!.t - picked[0]!.dt)}–${fmt(picked[picked.length - 1]!.t)} s (${picked.length} intervals)`));
  }
  if (parts.length > 0) return parts;
  return [part(kept, `${kept.length} intervals with traffic${loaded.length > kept.length ? ` (${loaded.length - kept.length} at its start or end left out)` : ''}`)];
}

/**
 * Offered loads within this factor of each other compare in cost per packet: a busy
 * poller's CPU time per packet is mostly its polling shared out over the packets, so it
 * falls as the load rises.
 */
export const SAME_LOAD = 1.25;

/**
 * One part of each revision: of the pairs offered about the same load (SAME_LOAD), the one
 * whose shorter side is longest; else the longest part of each, not comparable in cost.
 */
function pairParts(a: TrafficPart[], b: TrafficPart[]): { a: TrafficPart; b: TrafficPart; sameLoad: boolean } {
  let best: { a: TrafficPart; b: TrafficPart; sameLoad: boolean } | undefined;
  for (const x of a) {
    for (const y of b) {
      const ratio = x.offered > 0 && y.offered > 0 ? Math.max(x.offered / y.offered, y.offered / x.offered) : Infinity;
      if (!(ratio <= SAME_LOAD)) continue;
      const size = Math.min(x.fingerprints.length, y.fingerprints.length);
      if (!best || size > Math.min(best.a.fingerprints.length, best.b.fingerprints.length)) best = { a: x, b: y, sameLoad: true };
    }
  }
  return best ?? { a: a[0]!, b: b[0]!, sameLoad: false };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Revision `current` against the pinned `baseline`: compare's statistics (Welch with the
 * autocorrelation-aware standard errors, Holm) on the packet features of each side's
 * steady traffic, and a verdict on cost per packet; `waiting` with the reason while a
 * side has too few intervals with traffic.
 */
export function compareRevisions(baseline: RevisionSide, current: RevisionSide): RevisionAb | { waiting: string } {
  const pair = pairParts(trafficParts(baseline.fingerprints), trafficParts(current.fingerprints));
  const { a, b } = pair;
  for (const [side, rev] of [
    [a, baseline.revision],
    [b, current.revision],
  ] as const) {
    if (side.fingerprints.length < MIN_AB_INTERVALS) return { waiting: `revision ${rev} has ${side.fingerprints.length} intervals with traffic; the A/B needs ${MIN_AB_INTERVALS}` };
  }
  const present = AB_FEATURES.filter((f) => a.fingerprints.some((x) => x.derived[f] !== undefined) && b.fingerprints.some((x) => x.derived[f] !== undefined));
  const comparison = compareRuns({ label: `revision ${baseline.revision}`, fingerprints: a.fingerprints }, { label: `revision ${current.revision}`, fingerprints: b.fingerprints }, { features: present });
  const zero = { mean: 0, ciLow: 0, ciHigh: 0, n: 0 };
  const figures = AB_FEATURES.flatMap((name): AbFigure[] => {
    const f = comparison.features.find((x) => x.feature === name);
    if (f) return [figure(f)];
    // No drops on either side: compare leaves a feature that is zero throughout out of its tests.
    if (comparison.allZero.includes(name)) return [{ feature: name, unit: UNITS.get(name) ?? '', baseline: { ...zero, n: a.fingerprints.length }, current: { ...zero, n: b.fingerprints.length }, relative: 0, relativeHalfWidth: 0, different: false }];
    return [];
  });
  const cost = figures.find((f) => f.feature === 'cycles-per-packet') ?? figures.find((f) => f.feature === 'cpu-ns-per-packet') ?? null;
  const names = (w: string) => w.replace(/^A and B/, `Revisions ${baseline.revision} and ${current.revision}`).replace(/^A\b/, `Revision ${baseline.revision}`).replace(/^B\b/, `Revision ${current.revision}`);
  return {
    baseline: baseline.revision,
    current: current.revision,
    figures,
    cost: cost?.feature ?? null,
    verdict: pair.sameLoad ? verdict(cost, baseline.revision, current.revision) : otherLoads(a, b, baseline.revision, current.revision),
    sameLoad: pair.sameLoad,
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

/** The verdict while no stretches of the two revisions were offered about the same load. */
function otherLoads(a: TrafficPart, b: TrafficPart, base: number, cur: number): string {
  return `Revisions ${base} and ${cur} do not compare in cost per packet yet: revision ${base} was offered ${formatPps(a.offered)}, revision ${cur} ${formatPps(b.offered)}, and a busy-polling router's cost per packet falls as its load rises; the A/B takes stretches of both at about the same load once there are some`;
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
