import type { StreamHistory } from './streamHistory.ts';

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
 * When there are more intervals than `maxPoints`, each bucket of time keeps its
 * minimum and maximum, in time order, so spikes survive and the cost of drawing
 * depends on the chart's width, not on the session's length. A missing value, a
 * hole in time longer than a few intervals, or an empty bucket breaks the line.
 */
export function seriesWindow(h: StreamHistory, series: number, i0: number, i1: number, maxPoints: number, out: XY[], cache: BucketCache): SeriesWindow {
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
    // Buckets aligned to multiples of their width: as the window slides, finished
    // buckets stay the same and come from the cache; only the newest is rescanned.
    const start = h.tAt(i0);
    const end = h.tAt(i1 - 1);
    const bw = niceWidth((end - start) / Math.max(1, Math.floor(maxPoints / 2)));
    const c = cache.forWidth(bw);
    const last = h.lastT;
    const first = h.firstT;
    const b0 = Math.floor(start / bw);
    const b1 = Math.floor(end / bw);
    c.prune(b0);
    for (let b = b0; b <= b1; b++) {
      // The first and last buckets are cut to the window (the extremes drawn are the
      // window's) and always rescanned; the ones between are whole and may be cached.
      const inner = b > b0 && b < b1;
      let r = inner ? c.get(b) : undefined;
      if (!r) {
        r = bucket(h, col, Math.max(h.lowerBound(b * bw), i0), Math.min(h.lowerBound((b + 1) * bw), i1));
        // Final once the stream is past the bucket's end and nothing of it has left the ring.
        if (inner && (b + 1) * bw <= last && b * bw >= first) c.set(b, r);
      }
      if (Number.isNaN(r.aT)) put(b * bw, null);
      else {
        put(r.aT, r.aV);
        if (!Number.isNaN(r.bT)) put(r.bT, r.bV);
      }
    }
  }
  out.length = len;
  return stats;
}

/** More than three intervals without data: a reconnect or a stopped perf, not a slow interval. */
function isHole(prevT: number, t: number, dt: number): boolean {
  return t - prevT > 3 * (dt > 0 ? dt : 1);
}

/** Minimum and maximum of one time bucket, in time order (a = earlier); NaN times when empty. */
interface Bucket {
  aT: number;
  aV: number;
  bT: number;
  bV: number;
}

const EMPTY: Bucket = { aT: NaN, aV: NaN, bT: NaN, bV: NaN };

/** Extremes of the intervals with logical indices [s, e). */
function bucket(h: StreamHistory, col: Float32Array, s: number, e: number): Bucket {
  let lo = -1;
  let hi = -1;
  let loV = Infinity;
  let hiV = -Infinity;
  for (let i = s; i < e; i++) {
    const v = col[h.phys(i)]!;
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
  if (lo < 0) return EMPTY;
  if (lo === hi) return { aT: h.tAt(lo), aV: loV, bT: NaN, bV: NaN };
  return lo < hi ? { aT: h.tAt(lo), aV: loV, bT: h.tAt(hi), bV: hiV } : { aT: h.tAt(hi), aV: hiV, bT: h.tAt(lo), bV: loV };
}

/** Bucket widths of 1, 2 or 5 times a power of ten: the same width while the window length stays. */
function niceWidth(w: number): number {
  const p = 10 ** Math.floor(Math.log10(w));
  for (const m of [1, 2, 5]) if (m * p >= w) return m * p;
  return 10 * p;
}

/** Finished buckets of one series of one stream, by bucket index. */
export class BucketCache {
  private width = NaN;
  private readonly buckets = new Map<number, Bucket>();
  private lowest = Infinity;

  forWidth(w: number): this {
    if (w !== this.width) {
      this.width = w;
      this.buckets.clear();
      this.lowest = Infinity;
    }
    return this;
  }

  get(b: number): Bucket | undefined {
    return this.buckets.get(b);
  }

  set(b: number, r: Bucket): void {
    this.buckets.set(b, r);
    if (b < this.lowest) this.lowest = b;
  }

  /** Forgets buckets before `b0`: the window has left them (or has been scrolled away from them). */
  prune(b0: number): void {
    if (this.buckets.size > 16_384) this.buckets.clear();
    if (this.lowest >= b0) return;
    if (b0 - this.lowest > this.buckets.size) {
      for (const k of this.buckets.keys()) if (k < b0) this.buckets.delete(k);
    } else for (let b = this.lowest; b < b0; b++) this.buckets.delete(b);
    this.lowest = b0;
  }
}
