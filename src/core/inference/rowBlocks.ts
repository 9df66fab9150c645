import { cappedTerm } from './termOrder.ts';

/**
 * Calibration rows laid out for nearest-row searches: chained so that each row sits next
 * to a near one, cut into small blocks, each with its per-event range. The capped
 * squared scaled difference of a point to a block's range is at most that to any of
 * its rows, so a search skips a whole block once that bound passes its best so far.
 */
export interface RowBlocks {
  /** Rows in chain order, flat. */
  rows: Float64Array;
  /**
   * Per event and block, at k · blockCount + b: smallest / largest value of the block's
   * rows (NaN values left out); event-major, so one pass per event bounds every block.
   */
  lo: Float64Array;
  hi: Float64Array;
  count: number;
  blockCount: number;
}

export const BLOCK_ROWS = 8;

export function buildRowBlocks(src: readonly (readonly number[])[], inv: Float64Array, maxTerm: number): RowBlocks {
  const d = inv.length;
  const count = src.length;
  const index = chainOrder(src, inv, maxTerm);
  const rows = new Float64Array(count * d);
  index.forEach((i, r) => rows.set(src[i]!, r * d));
  const blockCount = Math.ceil(count / BLOCK_ROWS);
  const lo = new Float64Array(blockCount * d).fill(Infinity);
  const hi = new Float64Array(blockCount * d).fill(-Infinity);
  for (let r = 0; r < count; r++) {
    const b = Math.floor(r / BLOCK_ROWS);
    for (let k = 0; k < d; k++) {
      const v = rows[r * d + k]!;
      const at = k * blockCount + b;
      if (v < lo[at]!) lo[at] = v;
      if (v > hi[at]!) hi[at] = v;
    }
  }
  return { rows, lo, hi, count, blockCount };
}

/** Greedy chain: start at the first row, always step to the nearest row not yet taken. */
function chainOrder(src: readonly (readonly number[])[], inv: Float64Array, maxTerm: number): Int32Array {
  const n = src.length;
  const out = new Int32Array(n);
  const taken = new Uint8Array(n);
  let cur = 0;
  for (let r = 0; r < n; r++) {
    out[r] = cur;
    taken[cur] = 1;
    let next = -1;
    let best = Infinity;
    const a = src[cur]!;
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      const b = src[j]!;
      let s = 0;
      for (let k = 0; k < inv.length && s < best; k++) {
        const e = (a[k]! - b[k]!) * inv[k]!;
        const e2 = e * e;
        s += e2 < maxTerm ? e2 : maxTerm;
      }
      if (s < best || next < 0) {
        best = s;
        next = j;
      }
    }
    cur = next;
  }
  return out;
}

/**
 * Into `out[b]`, for every block at once, a lower bound of the capped squared scaled
 * difference of `x` (counted events only) to block b's rows: the difference to its
 * ranges, each term capped by cappedTerm (so compare it with CAPPED_SLOP per event of room).
 */
export function allBlockBounds(x: Float64Array, blocks: RowBlocks, inv: Float64Array, maxTerm: number, out: Float64Array): void {
  const d = inv.length;
  const count = blocks.blockCount;
  const lo = blocks.lo;
  const hi = blocks.hi;
  out.fill(0, 0, count);
  for (let k = 0; k < d; k++) {
    const v = x[k]!;
    if (v !== v) continue;
    const s = inv[k]!;
    for (let b = 0, at = k * count; b < count; b++, at++) {
      // The distance of v outside [lo, hi], exactly, without a branch: max(y, 0) is (y + |y|) / 2.
      const below = lo[at]! - v;
      const above = v - hi[at]!;
      out[b] = out[b]! + cappedTerm((below + Math.abs(below) + above + Math.abs(above)) * 0.5 * s, maxTerm);
    }
  }
}
