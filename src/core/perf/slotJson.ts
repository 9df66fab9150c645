import type { ByteWriter } from './byteWriter.ts';
import { DIGIT_PAIRS, type KeyLayout } from './jsonKeys.ts';

// An interval's counters and running objects, written from its slot values in one loop
// over the output buffer: every line repeats the same keys, so their bytes are laid out
// once per schema, and counts and percentages are written by integer arithmetic. The
// text is what JSON.stringify writes (checked by test/unit/perf/intervalJson.test.ts).

/** Longest text a count or a percentage takes here: 2^53 - 1 has 16 digits. */
const NUMBER_WIDTH = 16;
/**
 * `{"name":value,…}` for values[0..n): counts (whole numbers) as integers, others with
 * perf's 6 decimals at most (`fixed`). Keys are copied four bytes at a time; the bytes
 * a copy writes past a key's end are overwritten by what follows it.
 */
export function writeCounts(w: ByteWriter, keys: KeyLayout, values: ArrayLike<number>, n: number): void {
  let out = w.reserve(keys.length + n * NUMBER_WIDTH + 4);
  let p = w.length;
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = keys.ends[i]!;
    for (let j = from, q = p; j < to; j += 4, q += 4) out.setInt32(q, keys.view.getInt32(j, true), true);
    p += to - from;
    from = to;
    const x = values[i]!;
    if (x >= 0 && x < 1e9 && (x | 0) === x) p = writeSmall(out, p, x);
    else if (x >= 1e9 && x <= 9007199254740991 && Math.floor(x) === x) {
      const hi = Math.floor(x / 1e9);
      p = writeNine(out, writeSmall(out, p, hi), x - hi * 1e9);
    } else {
      // Not a count (task-clock's msec, or a value to leave to the general writer).
      w.commit(p);
      if (Math.floor(x) === x) w.num(x);
      else w.fixed(x, 6);
      out = w.reserve(keys.length - to + (n - 1 - i) * NUMBER_WIDTH + 4);
      p = w.length;
    }
  }
  out.setUint8(p++, 125);
  w.commit(p);
}

/**
 * `{"name":pct,…}` for percentages counted, as perf prints them (two decimals at most):
 * k / 100 written as its decimal without trailing zeros, which is JSON.stringify's text
 * of the double nearest to it.
 */
export function writePercents(w: ByteWriter, keys: KeyLayout, values: ArrayLike<number>, n: number): void {
  let out = w.reserve(keys.length + n * NUMBER_WIDTH + 4);
  let p = w.length;
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = keys.ends[i]!;
    for (let j = from, q = p; j < to; j += 4, q += 4) out.setInt32(q, keys.view.getInt32(j, true), true);
    p += to - from;
    from = to;
    const x = values[i]!;
    const k = Math.round(x * 100);
    if (k >= 0 && k <= 10000 && k / 100 === x) {
      const int = (k / 100) | 0;
      const frac = k - int * 100;
      p = writeSmall(out, p, int);
      if (frac !== 0) {
        out.setUint8(p, 46);
        out.setUint16(p + 1, DIGIT_PAIRS[frac]!, true);
        p += frac % 10 === 0 ? 2 : 3;
      }
    } else {
      w.commit(p);
      w.num(x);
      out = w.reserve(keys.length - to + (n - 1 - i) * NUMBER_WIDTH + 4);
      p = w.length;
    }
  }
  out.setUint8(p++, 125);
  w.commit(p);
}

/** 0 <= v < 1e9 at p; returns where it ends. */
function writeSmall(out: DataView, p: number, v: number): number {
  const digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : 9;
  let i = p + digits;
  while (v >= 100) {
    const q = (v / 100) | 0;
    i -= 2;
    out.setUint16(i, DIGIT_PAIRS[v - q * 100]!, true);
    v = q;
  }
  if (v >= 10) out.setUint16(i - 2, DIGIT_PAIRS[v]!, true);
  else out.setUint8(i - 1, 48 + v);
  return p + digits;
}

/** 0 <= v < 1e9 as exactly nine digits (the low part of a larger count). */
function writeNine(out: DataView, p: number, v: number): number {
  let i = p + 9;
  for (let k = 0; k < 4; k++) {
    const q = (v / 100) | 0;
    i -= 2;
    out.setUint16(i, DIGIT_PAIRS[v - q * 100]!, true);
    v = q;
  }
  out.setUint8(p, 48 + v);
  return p + 9;
}
