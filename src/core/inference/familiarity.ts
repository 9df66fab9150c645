import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { logRate } from '../model/featureSpace.ts';
import type { StateFamiliarity } from '../model/model.ts';
import { BLOCK_ROWS, blockBound, blockSums, buildRowBlocks, type RowBlocks } from './rowBlocks.ts';
import { CAPPED_SLOP, PRUNE_SLACK } from './termOrder.ts';

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

/** Nearest known interval of each state, in a flat layout built once per engine. */
export class FamiliarityIndex {
  private readonly d: number;
  private readonly idle: RowBlocks;
  private readonly proc: RowBlocks;
  private readonly inv: Float64Array;
  private readonly x: Float64Array;
  private readonly sums = new Float64Array(BLOCK_ROWS);
  /** x with 0 for events not counted, and the scale's inverse with 0 for them: bounds then need no test per event. */
  private readonly xq: Float64Array;
  private readonly invq: Float64Array;
  /** Rows that were nearest last time: consecutive intervals are alike, so starting there makes the search's bound tight at once. */
  private lastIdle = 0;
  private lastProc = 0;

  constructor(private readonly f: StateFamiliarity) {
    const d = (this.d = f.events.length);
    this.inv = Float64Array.from(f.scale, (s) => 1 / s);
    this.idle = buildRowBlocks(f.idle, this.inv, MAX_TERM);
    this.proc = buildRowBlocks(f.processing, this.inv, MAX_TERM);
    this.x = new Float64Array(d);
    this.xq = new Float64Array(d);
    this.invq = new Float64Array(d);
  }

  measure(fp: Fingerprint): Familiarity {
    let n = 0;
    for (let k = 0; k < this.d; k++) {
      const r = fp.rates[this.f.events[k]!];
      const ok = r !== undefined && Number.isFinite(r);
      this.x[k] = ok ? logRate(r) : NaN;
      this.xq[k] = ok ? this.x[k]! : 0;
      this.invq[k] = ok ? this.inv[k]! : 0;
      if (ok) n++;
    }
    if (n < MIN_FAMILIAR_EVENTS * this.d) return { idle: Infinity, processing: Infinity, familiar: false, judged: false };
    const idleBest = this.nearest(this.idle, n, Infinity, this.lastIdle);
    this.lastIdle = this.found;
    // Only which state is nearer matters beyond the nearer distance: processing rows need not be followed past the idle one.
    const procBest = this.nearest(this.proc, n, idleBest, this.lastProc);
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
   */
  private nearest(blocks: RowBlocks, n: number, bound: number, start: number): number {
    const x = this.x;
    const inv = this.inv;
    const count = blocks.count;
    if (count === 0) return bound;
    const sums = this.sums;
    const slop = n * CAPPED_SLOP;
    const first = Math.floor(start / BLOCK_ROWS);
    let best = bound;
    let found = start;
    for (let q = 0; q < blocks.blockCount; q++) {
      const b = first + q < blocks.blockCount ? first + q : first + q - blocks.blockCount;
      if (blockBound(this.xq, this.invq, blocks, b, MAX_TERM) >= best * n * PRUNE_SLACK + slop) continue;
      blockSums(x, blocks, b, inv, MAX_TERM, sums);
      const rows = Math.min(BLOCK_ROWS, count - b * BLOCK_ROWS);
      for (let i = 0; i < rows; i++) {
        const s = sums[i]!;
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
