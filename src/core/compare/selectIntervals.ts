import type { Interval } from '../perf/interval.ts';

/** A time range in the input's own seconds; either end may be open. */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** `FROM:TO`, `FROM:` or `:TO`, in seconds. */
export function parseTimeRange(text: string): TimeRange {
  const m = /^\s*([^:]*):([^:]*)\s*$/.exec(text);
  if (!m) throw new Error(`time range ${JSON.stringify(text)} should be FROM:TO in seconds, e.g. 20:29, 20: or :15`);
  const num = (s: string, what: string): number | undefined => {
    if (s.trim() === '') return undefined;
    const x = Number(s);
    if (!Number.isFinite(x)) throw new Error(`time range ${JSON.stringify(text)}: ${what} ${JSON.stringify(s.trim())} is not a number of seconds`);
    return x;
  };
  const range: TimeRange = {};
  const from = num(m[1]!, 'start');
  const to = num(m[2]!, 'end');
  if (from !== undefined) range.from = from;
  if (to !== undefined) range.to = to;
  if (from !== undefined && to !== undefined && to <= from) throw new Error(`time range ${JSON.stringify(text)} ends before it starts`);
  return range;
}

export function formatTimeRange(r: TimeRange): string {
  return `${r.from ?? ''}:${r.to ?? ''}`;
}

/** For labels: "20–29 s", "from 20 s", "up to 15 s". */
export function describeTimeRange(r: TimeRange): string {
  if (r.from !== undefined && r.to !== undefined) return `${r.from}–${r.to} s`;
  if (r.from !== undefined) return `from ${r.from} s`;
  if (r.to !== undefined) return `up to ${r.to} s`;
  return 'all';
}

/** Names of the runs (wide CSV) or streams (recordings) in a list of intervals, in first-seen order. */
export function runNames(ivs: readonly Interval[]): string[] {
  const seen = new Set<string>();
  for (const iv of ivs) {
    const name = iv.run ?? iv.stream;
    if (name !== undefined) seen.add(name);
  }
  return [...seen];
}

/**
 * The intervals of one run or stream, within a time range. An interval
 * belongs to the range when its middle does, so `0:15` of 1 s intervals
 * ending at 1, 2, … 15 takes all fifteen.
 */
export function selectIntervals(ivs: readonly Interval[], source: string, run?: string, range?: TimeRange): Interval[] {
  const runs = runNames(ivs);
  let picked: readonly Interval[] = ivs;
  if (run !== undefined) {
    if (!runs.includes(run)) {
      const list = runs.length === 0 ? 'it has no runs or streams' : `it has ${runs.length}: ${runs.slice(0, 12).join(', ')}${runs.length > 12 ? ', …' : ''}`;
      throw new Error(`run ${JSON.stringify(run)} is not in ${source}; ${list}`);
    }
    picked = ivs.filter((iv) => (iv.run ?? iv.stream) === run);
  } else if (runs.length > 1) {
    throw new Error(`${source} holds ${runs.length} runs or streams (${runs.slice(0, 8).join(', ')}${runs.length > 8 ? ', …' : ''}); choose one`);
  }
  if (!range || (range.from === undefined && range.to === undefined)) return [...picked];
  const inRange = picked.filter((iv) => {
    const mid = iv.t - iv.dt / 2;
    return (range.from === undefined || mid >= range.from) && (range.to === undefined || mid < range.to);
  });
  if (inRange.length === 0 && picked.length > 0) {
    const first = picked[0]!;
    const last = picked[picked.length - 1]!;
    throw new Error(`no intervals of ${source}${run ? ` [${run}]` : ''} within ${formatTimeRange(range)} s; it spans ${(first.t - first.dt).toFixed(1)}–${last.t.toFixed(1)} s`);
  }
  return inRange;
}
