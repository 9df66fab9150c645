import type { StreamHistory } from './history.ts';

export interface XY {
  x: number;
  y: number | null;
}

export interface SeriesWindow {
  /** Smallest positive and largest value drawn (for the log axis); NaN when none. */
  minPositive: number;
  max: number;
  /** Finite values in the window. */
  count: number;
}

/**
 * One series of one stream between logical indices [i0, i1), written as chart points
 * into `out` (its point objects are reused from render to render: a live panel
 * redraws ten times a second and should not feed the garbage collector each time).
 * When there are more intervals than `maxPoints`, each bucket of consecutive
 * intervals keeps its minimum and maximum, in time order, so spikes survive and the
 * cost of drawing depends on the chart's width, not on the session's length.
 * A missing value, or a hole in time longer than a few intervals, breaks the line.
 */
export function seriesWindow(h: StreamHistory, series: number, i0: number, i1: number, maxPoints: number, out: XY[]): SeriesWindow {
  const col = h.series[series]!;
  const n = i1 - i0;
  const stats: SeriesWindow = { minPositive: NaN, max: NaN, count: 0 };
  let len = 0;
  const put = (x: number, y: number | null) => {
    const p = out[len];
    if (p) {
      p.x = x;
      p.y = y;
    } else out[len] = { x, y };
    len++;
    if (y === null) return;
    stats.count++;
    if (y > 0 && !(y >= stats.minPositive)) stats.minPositive = y;
    if (!(y <= stats.max)) stats.max = y;
  };
  let prevT = NaN;
  if (n <= maxPoints) {
    for (let i = i0; i < i1; i++) {
      const p = h.phys(i);
      const t = h.t[p]!;
      if (isHole(prevT, t, h.dt[p]!)) put((prevT + t) / 2, null);
      prevT = t;
      const v = col[p]!;
      put(t, Number.isNaN(v) ? null : v);
    }
  } else if (n > 0) {
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    const per = n / buckets;
    for (let b = 0; b < buckets; b++) {
      const s = i0 + Math.floor(b * per);
      const e = Math.min(i1, i0 + Math.floor((b + 1) * per));
      let lo = -1;
      let hi = -1;
      let loV = Infinity;
      let hiV = -Infinity;
      let holeX = NaN;
      for (let i = s; i < e; i++) {
        const p = h.phys(i);
        const t = h.t[p]!;
        if (Number.isNaN(holeX) && isHole(prevT, t, h.dt[p]!)) holeX = (prevT + t) / 2;
        prevT = t;
        const v = col[p]!;
        if (Number.isNaN(v)) continue;
        if (v < loV) {
          loV = v;
          lo = i;
        }
        if (v > hiV) {
          hiV = v;
          hi = i;
        }
      }
      if (lo < 0) {
        put(Number.isNaN(holeX) ? h.tAt(s) : Math.min(holeX, h.tAt(s)), null);
        continue;
      }
      if (!Number.isNaN(holeX) && holeX < h.tAt(Math.min(lo, hi))) {
        put(holeX, null);
        holeX = NaN;
      }
      const first = Math.min(lo, hi);
      const second = Math.max(lo, hi);
      put(h.tAt(first), first === lo ? loV : hiV);
      if (!Number.isNaN(holeX) && holeX < h.tAt(second)) {
        put(holeX, null);
        holeX = NaN;
      }
      if (second !== first) put(h.tAt(second), second === lo ? loV : hiV);
      if (!Number.isNaN(holeX)) put(holeX, null);
    }
  }
  out.length = len;
  return stats;
}

/** More than three intervals without data: a reconnect or a stopped perf, not a slow interval. */
function isHole(prevT: number, t: number, dt: number): boolean {
  return t - prevT > 3 * (dt > 0 ? dt : 1);
}
