import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { logRateOf, type EventLogs } from '../model/featureSpace.ts';
import type { StateFamiliarity } from '../model/model.ts';
import { BLOCK_ROWS, blockBound, blockSums, buildRowBlocks, type RowBlocks } from './rowBlocks.ts';
import { CAPPED_SLOP, PRUNE_SLACK } from './termOrder.ts';
import { createKernels, type Kernels } from './kernels.ts';

/** Each event's squared scaled difference is capped: one odd event cannot make an interval unfamiliar alone. */
const MAX_TERM = 16;
/** Share of the familiarity events an interval must have counted to be judged at all. */
export const MIN_FAMILIAR_EVENTS = 0.6;

export interface Familiarity {
  /**
   * Distance to the nearest known idle / processing interval (RMS over counted events, in spreads).
   * Only the nearer one is exact: the farther state's search stops at the nearer distance (it is reported as that bound).
   */
  idle: number;
  processing: number;
  /** Nearest of the two is within the model's reach. */
  familiar: boolean;
  /** Too few of the events were counted to tell. */
  judged: boolean;
}

/** Where one state's rows sit in the kernels' memory (byte offsets). */
interface KernelRows {
  /** Block ranges, two blocks interleaved per event (see rangeBounds in kernels.wat). */
  lo: number;
  hi: number;
  /** The blocks' rows, as RowBlocks.cols. */
  cols: number;
  pairs: number;
}

/** The kernels' instance and where everything sits in its memory. */
interface KernelLayout {
  k: Kernels;
  idle: KernelRows;
  proc: KernelRows;
  /** x with NaN for events not counted; with 0 for them; the scale's inverse; with 0 for them. */
  x: number;
  xq: number;
  inv: number;
  invq: number;
  bounds: number;
  sums: number;
}

/**
 * The calibration rows of one model laid out for the searches, with scratch space for the
 * interval being measured: built once per model and shared by every stream's index
 * (measure() runs to its end before another starts, so the scratch is never shared at once).
 */
interface Prepared {
  d: number;
  idle: RowBlocks;
  proc: RowBlocks;
  inv: Float64Array;
  /** x with NaN for events not counted; with 0 for them, and the scale's inverse with 0 for them: bounds then need no test per event. */
  x: Float64Array;
  xq: Float64Array;
  invq: Float64Array;
  sums: Float64Array;
  kl: KernelLayout | undefined;
}

const prepared = new WeakMap<StateFamiliarity, Prepared>();

function prepare(f: StateFamiliarity): Prepared {
  let p = prepared.get(f);
  if (!p) {
    const d = f.events.length;
    const inv = Float64Array.from(f.scale, (s) => 1 / s);
    const idle = buildRowBlocks(f.idle, inv, MAX_TERM);
    const proc = buildRowBlocks(f.processing, inv, MAX_TERM);
    p = { d, idle, proc, inv, x: new Float64Array(d), xq: new Float64Array(d), invq: new Float64Array(d), sums: new Float64Array(BLOCK_ROWS), kl: layKernels(d, inv, idle, proc) };
    prepared.set(f, p);
  }
  return p;
}

function layKernels(d: number, inv: Float64Array, idleBlocks: RowBlocks, procBlocks: RowBlocks): KernelLayout | undefined {
  const k = createKernels();
  if (!k) return undefined;
  const place = (blocks: RowBlocks): KernelRows => {
    const pairs = Math.ceil(blocks.blockCount / 2);
    const lo = k.alloc(pairs * d * 2);
    const hi = k.alloc(pairs * d * 2);
    const cols = k.alloc(blocks.cols.length);
    const f64 = k.f64;
    // Two blocks per event side by side; an odd last block's partner is [0, 0], never read.
    for (let b = 0; b < blocks.blockCount; b++) {
      const p = b >> 1;
      for (let e = 0; e < d; e++) {
        f64[lo / 8 + (p * d + e) * 2 + (b & 1)] = blocks.lo[b * d + e]!;
        f64[hi / 8 + (p * d + e) * 2 + (b & 1)] = blocks.hi[b * d + e]!;
      }
    }
    f64.set(blocks.cols, cols / 8);
    return { lo, hi, cols, pairs };
  };
  const idle = place(idleBlocks);
  const proc = place(procBlocks);
  const kl = { k, idle, proc, x: k.alloc(d), xq: k.alloc(d), inv: k.alloc(d), invq: k.alloc(d), bounds: k.alloc(2 * Math.max(idle.pairs, proc.pairs)), sums: k.alloc(BLOCK_ROWS) };
  k.f64.set(inv, kl.inv / 8);
  return kl;
}

/** Nearest known interval of each state, for one stream; the rows' layout is built once per model (prepare). */
export class FamiliarityIndex {
  private readonly d: number;
  private readonly idle: RowBlocks;
  private readonly proc: RowBlocks;
  private readonly inv: Float64Array;
  private readonly x: Float64Array;
  private readonly sums: Float64Array;
  private readonly xq: Float64Array;
  private readonly invq: Float64Array;
  private readonly kl: KernelLayout | undefined;
  /** Rows that were nearest last time: consecutive intervals are alike, so starting there makes the search's bound tight at once. */
  private lastIdle = 0;
  private lastProc = 0;

  constructor(private readonly f: StateFamiliarity) {
    ({ d: this.d, idle: this.idle, proc: this.proc, inv: this.inv, x: this.x, xq: this.xq, invq: this.invq, sums: this.sums, kl: this.kl } = prepare(f));
  }

  /** `logs`, when given, holds this interval's log rates already looked up (EventLogs.load). */
  measure(fp: Fingerprint, logs?: EventLogs): Familiarity {
    let n = 0;
    const events = this.f.events;
    const pos = logs?.positions(events);
    for (let k = 0; k < this.d; k++) {
      const x = logs ? logs.logOf(fp, events, pos!, k) : logRateOf(fp, events[k]!);
      const ok = x === x;
      this.x[k] = x;
      this.xq[k] = ok ? x : 0;
      this.invq[k] = ok ? this.inv[k]! : 0;
      if (ok) n++;
    }
    if (n < MIN_FAMILIAR_EVENTS * this.d) return { idle: Infinity, processing: Infinity, familiar: false, judged: false };
    const kl = this.kl;
    if (kl) {
      const f64 = kl.k.f64;
      f64.set(this.x, kl.x / 8);
      f64.set(this.xq, kl.xq / 8);
      f64.set(this.invq, kl.invq / 8);
    }
    const idleBest = this.nearest(this.idle, kl?.idle, n, Infinity, this.lastIdle);
    this.lastIdle = this.found;
    // Only which state is nearer matters beyond the nearer distance: processing rows need not be followed past the idle one.
    const procBest = this.nearest(this.proc, kl?.proc, n, idleBest, this.lastProc);
    if (procBest < idleBest) this.lastProc = this.found;
    const idle = Math.sqrt(idleBest);
    const processing = Math.sqrt(Math.min(procBest, idleBest));
    return { idle, processing, familiar: Math.min(idle, processing) <= this.f.maxDistance, judged: true };
  }

  /** Row index of the last search's winner. */
  private found = 0;

  /**
   * Smallest mean capped squared scaled difference to the rows of `blocks` below `bound`
   * (`bound` when none is), scanning from the block of row `start` round; sets `found` to its row.
   * With the kernels (`at`: where the rows sit in their memory), every block's bound is taken
   * at once and a block's rows are summed there; otherwise by the TypeScript loops.
   */
  private nearest(blocks: RowBlocks, at: KernelRows | undefined, n: number, bound: number, start: number): number {
    const count = blocks.count;
    if (count === 0) return bound;
    const kl = at ? this.kl : undefined;
    if (kl) kl.k.rangeBounds(at!.lo, at!.hi, kl.xq, kl.invq, kl.bounds, at!.pairs, this.d, MAX_TERM);
    const slop = n * CAPPED_SLOP;
    const first = Math.floor(start / BLOCK_ROWS);
    let best = bound;
    let found = start;
    for (let q = 0; q < blocks.blockCount; q++) {
      const b = first + q < blocks.blockCount ? first + q : first + q - blocks.blockCount;
      const lower = kl ? kl.k.f64[kl.bounds / 8 + b]! : blockBound(this.xq, this.invq, blocks, b, MAX_TERM);
      if (lower >= best * n * PRUNE_SLACK + slop) continue;
      let sums: Float64Array<ArrayBufferLike> = this.sums;
      let from = 0;
      if (kl) {
        kl.k.rowSums8(at!.cols + b * this.d * BLOCK_ROWS * 8, kl.x, kl.inv, kl.sums, this.d, MAX_TERM);
        sums = kl.k.f64;
        from = kl.sums / 8;
      } else blockSums(this.x, blocks, b, this.inv, MAX_TERM, sums);
      const rows = Math.min(BLOCK_ROWS, count - b * BLOCK_ROWS);
      for (let i = 0; i < rows; i++) {
        const s = sums[from + i]!;
        if (s < best * n) {
          best = s / n;
          found = b * BLOCK_ROWS + i;
        }
      }
    }
    this.found = found;
    return best;
  }
}
