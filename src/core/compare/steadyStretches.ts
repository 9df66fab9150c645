import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { levelShifts } from './levelShifts.ts';
import type { TimeRange } from './selectIntervals.ts';

export interface Stretch {
  range: TimeRange;
  intervals: number;
  /** First and last interval end times, for people. */
  first: number;
  last: number;
}

/** Events counted in at least this share of the intervals take part in finding level changes. */
const COVERAGE = 0.9;
const MIN_INTERVALS = 5;
/** Share of the events that must see a change at about the same interval. */
const AGREEMENT = 0.25;

/**
 * Stretches of a run where no counted event changes level (the same change points the
 * comparison's warnings use), longest first, without the interval on each side of a change
 * (it straddles the two levels). A comparison of two builds should take one from each side.
 */
export function steadyStretches(fps: readonly Fingerprint[]): Stretch[] {
  const n = fps.length;
  if (n === 0) return [];
  const counts = new Map<string, number>();
  for (const f of fps) for (const [k, v] of Object.entries(f.rates)) if (Number.isFinite(v)) counts.set(k, (counts.get(k) ?? 0) + 1);
  // Each event votes for its change points; a change many events agree on (±1 interval) is a change of
  // the router's state, one event's jump alone is noise in that event.
  const votes = new Array<number>(n + 1).fill(0);
  let voters = 0;
  for (const [event, c] of counts) {
    if (c < COVERAGE * n) continue;
    voters++;
    const series = fps.map((f) => Math.log10(Math.max(0, f.rates[event] ?? 0) + 1));
    for (const at of levelShifts(series)) votes[at]!++;
  }
  const needed = Math.max(1, Math.ceil(AGREEMENT * voters));
  const cuts: number[] = [];
  for (let at = 1; at < n; at++) {
    const near = votes[at - 1]! + votes[at]! + votes[at + 1]!;
    // The local peak of its neighbourhood stands for the whole cluster.
    if (near >= needed && votes[at]! > 0 && votes[at]! >= votes[at - 1]! && votes[at]! >= (votes[at + 1] ?? 0) && (cuts.length === 0 || at - cuts[cuts.length - 1]! > 1)) cuts.push(at);
  }
  const bounds = [0, ...cuts, n];
  const out: Stretch[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    // Drop the interval each side of a change: it mixes the two levels.
    const a = bounds[i]! + (i > 0 ? 1 : 0);
    const b = bounds[i + 1]! - (i + 2 < bounds.length ? 1 : 0);
    if (b - a < MIN_INTERVALS) continue;
    const first = fps[a]!;
    const last = fps[b - 1]!;
    // selectIntervals takes an interval when its middle is in [from, to): any bound between the
    // middles of the neighbours does; a short one reads better (18.0 rather than 18.005).
    const mid = (i: number) => (i < 0 ? -Infinity : i >= n ? Infinity : fps[i]!.t - fps[i]!.dt / 2);
    const from = roundBetween(first.t - first.dt, mid(a - 1), mid(a));
    const to = roundBetween(last.t, mid(b - 1), mid(b));
    out.push({ range: { from, to }, intervals: b - a, first: first.t, last: last.t });
  }
  return out.sort((x, y) => y.intervals - x.intervals || x.first - y.first);
}

/** The shortest decimal near x strictly after the middle `lo` and at most the middle `hi`: it selects the same intervals. */
function roundBetween(x: number, lo: number, hi: number): number {
  for (const scale of [1, 10, 100, 1000]) {
    const r = Math.round(x * scale) / scale;
    if (r > lo && r <= hi) return r;
  }
  return x;
}
