import { cappedTerm } from './termOrder.ts';

/**
 * Calibration rows laid out for nearest-row searches: chained so that each row sits next
 * to a near one, cut into blocks of BLOCK_ROWS, each with its per-event range. The capped
 * squared scaled difference of a point to a block's range is at most that to any of its
 * rows, so a search skips a whole block once that bound passes its best so far; the rows
 * of a block it does not skip are summed together (blockSums), one event at a time.
 */
export interface RowBlocks {
  /** Rows in chain order, flat (row r at r · d). */
  rows: Float64Array;
  /**
   * The same values block by block, event-major within a block: row i of block b, event k
   * at (b · d + k) · BLOCK_ROWS + i. A missing value is +Infinity (its term is then the
   * cap, as for NaN in the exact sum); the last block is padded with +Infinity.
   */
  cols: Float64Array;
  /** Per block and event, at b · d + k: smallest / largest value of the block's rows (NaN values left out). */
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
  const cols = new Float64Array(blockCount * d * BLOCK_ROWS).fill(Infinity);
  const lo = new Float64Array(blockCount * d).fill(Infinity);
  const hi = new Float64Array(blockCount * d).fill(-Infinity);
  for (let r = 0; r < count; r++) {
    const b = Math.floor(r / BLOCK_ROWS);
    const i = r - b * BLOCK_ROWS;
    for (let k = 0; k < d; k++) {
      const v = rows[r * d + k]!;
      // A scale too small to invert makes every term of its event the cap, as +Infinity does.
      if (v === v && Number.isFinite(inv[k]!)) cols[(b * d + k) * BLOCK_ROWS + i] = v;
      const at = b * d + k;
      if (v < lo[at]!) lo[at] = v;
      if (v > hi[at]!) hi[at] = v;
    }
  }
  // A block with no value of an event: any range is a valid bound (its rows' terms are the cap); a finite one keeps the bound finite.
  for (let at = 0; at < lo.length; at++) if (!(lo[at]! <= hi[at]!)) lo[at] = hi[at] = 0;
  return { rows, cols, lo, hi, count, blockCount };
}

/**
 * Greedy chain: start at the first row, always step to the nearest row not yet taken.
 * Rows are read from one flat copy (a nested array costs a lookup per row): the same
 * sums in the same order, so the same chain.
 */
function chainOrder(src: readonly (readonly number[])[], inv: Float64Array, maxTerm: number): Int32Array {
  const n = src.length;
  const d = inv.length;
  const flat = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) flat[i * d + k] = src[i]![k]!;
  const out = new Int32Array(n);
  const taken = new Uint8Array(n);
  let cur = 0;
  for (let r = 0; r < n; r++) {
    out[r] = cur;
    taken[cur] = 1;
    let next = -1;
    let best = Infinity;
    const a = cur * d;
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      const b = j * d;
      let s = 0;
      for (let k = 0; k < d && s < best; k++) {
        const e = (flat[a + k]! - flat[b + k]!) * inv[k]!;
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
 * Into out[0 … BLOCK_ROWS), the exact capped squared scaled difference of `x` to each row
 * of block b: per row, the terms of the counted events added in event order, min(e², cap)
 * each — the same numbers as summing row by row. Eight rows at once: eight independent
 * sums keep the processor busy where one sum waits on each addition.
 */
export function blockSums(x: Float64Array, blocks: RowBlocks, b: number, inv: Float64Array, maxTerm: number, out: Float64Array): void {
  const d = inv.length;
  const cols = blocks.cols;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  for (let k = 0, at = b * d * BLOCK_ROWS; k < d; k++, at += BLOCK_ROWS) {
    const v = x[k]!;
    if (v !== v) continue;
    const s = inv[k]!;
    // A missing row value is +Infinity: e² is then +Infinity and its term the cap, as in the row-by-row sum.
    const e0 = (v - cols[at]!) * s;
    const e1 = (v - cols[at + 1]!) * s;
    const e2 = (v - cols[at + 2]!) * s;
    const e3 = (v - cols[at + 3]!) * s;
    const e4 = (v - cols[at + 4]!) * s;
    const e5 = (v - cols[at + 5]!) * s;
    const e6 = (v - cols[at + 6]!) * s;
    const e7 = (v - cols[at + 7]!) * s;
    s0 += Math.min(e0 * e0, maxTerm);
    s1 += Math.min(e1 * e1, maxTerm);
    s2 += Math.min(e2 * e2, maxTerm);
    s3 += Math.min(e3 * e3, maxTerm);
    s4 += Math.min(e4 * e4, maxTerm);
    s5 += Math.min(e5 * e5, maxTerm);
    s6 += Math.min(e6 * e6, maxTerm);
    s7 += Math.min(e7 * e7, maxTerm);
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
  out[4] = s4;
  out[5] = s5;
  out[6] = s6;
  out[7] = s7;
}

/**
 * A lower bound of the capped squared scaled difference of `xq` to each row of block b:
 * that to the block's ranges, over every event at once, without a branch. `invq` is the
 * scale's inverse for counted events and 0 for the others (so their terms are 0). Each
 * term capped by cappedTerm (compare with CAPPED_SLOP per event of room).
 */
export function blockBound(xq: Float64Array, invq: Float64Array, blocks: RowBlocks, b: number, maxTerm: number): number {
  const d = invq.length;
  const lo = blocks.lo;
  const hi = blocks.hi;
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (let at = b * d; k + 1 < d; k += 2, at += 2) {
    const v0 = xq[k]!;
    const v1 = xq[k + 1]!;
    const below0 = lo[at]! - v0;
    const above0 = v0 - hi[at]!;
    const below1 = lo[at + 1]! - v1;
    const above1 = v1 - hi[at + 1]!;
    s0 += cappedTerm((below0 + Math.abs(below0) + above0 + Math.abs(above0)) * 0.5 * invq[k]!, maxTerm);
    s1 += cappedTerm((below1 + Math.abs(below1) + above1 + Math.abs(above1)) * 0.5 * invq[k + 1]!, maxTerm);
  }
  if (k < d) {
    const v = xq[k]!;
    const below = lo[b * d + k]! - v;
    const above = v - hi[b * d + k]!;
    s0 += cappedTerm((below + Math.abs(below) + above + Math.abs(above)) * 0.5 * invq[k]!, maxTerm);
  }
  return s0 + s1;
}
