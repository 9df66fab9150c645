import type { Reading, ReadingStatus } from './reading.ts';

/**
 * The fast path's reused Reading. A class of its own keeps its number fields unboxed
 * doubles (a `null` value, as general readings carry, would make V8 box every number
 * stored); a value not counted is NaN here, and nothing reads it.
 */
export class ScratchReading implements Reading {
  t = 0.5;
  value: number | null = 0.5;
  status: ReadingStatus = 'counted';
  unit = '';
  event = '';
  running = 0.5;
}

/**
 * The common CSV line — `time,value,unit,event[,variance%],run,pct[,metric,unit]`, no
 * aggregation prefix, no cgroup, a plain event name, a finite non-negative value —
 * read from the bytes in place in one pass, into a reused Reading. Returns NO for
 * anything else, and the general reader (readCsvLine) takes the line; both agree on
 * every line the fast path accepts (checked by the parser's tests on every reference file).
 *
 * `expect` is the UTF-8 name of the event perf printed after the previous one last
 * time: when it comes again, the name is not decoded (YES_EXPECTED, `into.event` unset).
 * Returns NO (not a fast-path line), YES, or YES_EXPECTED.
 */
export const NO = 0;
export const YES = 1;
export const YES_EXPECTED = 2;

const NOT_COUNTED = Buffer.from('<not counted>');
const NOT_SUPPORTED = Buffer.from('<not supported>');
/** perf's counters are 64-bit: a larger value is a corrupted line. */
export const MAX_COUNT = 2 ** 64;

export function readCsvBytes(b: Buffer, start: number, end: number, sep: number, into: ScratchReading, expect: Buffer | undefined): number {
  let i = start;
  while (i < end && b[i] === 32) i++;
  // An interval's lines share its time: when the text is the last one's, so is the number.
  let c1 = i;
  const n = lastTimeLength;
  while (c1 - i < n && c1 < end && b[c1] === lastTimeText[c1 - i]) c1++;
  let t: number;
  if (c1 - i === n && c1 < end && b[c1] === sep) t = lastTime;
  else {
    c1 = indexIn(b, sep, i, end);
    if (c1 < 0) return NO;
    t = decimal(b, i, c1);
    if (!(t < Infinity)) return NO; // NaN or infinite: the general reader words the error
    if (c1 - i <= lastTimeText.length) {
      b.copy(lastTimeText, 0, i, c1);
      lastTimeLength = c1 - i;
      lastTime = t;
    }
  }
  const c2 = indexIn(b, sep, c1 + 1, end);
  if (c2 < 0 || c2 === c1 + 1) return NO;
  let value = NaN;
  let status: ReadingStatus = 'counted';
  if (b[c1 + 1] === 60 /* < */) {
    if (same(b, c1 + 1, c2, NOT_COUNTED)) status = 'not-counted';
    else if (same(b, c1 + 1, c2, NOT_SUPPORTED)) status = 'not-supported';
    else return NO;
  } else {
    value = decimal(b, c1 + 1, c2);
    // Not a number (an aggregation prefix: CPU0, S0-D0-C0, comm-pid), or a value the parser must flag.
    if (!(value >= 0 && value < MAX_COUNT)) return NO;
  }
  const c3 = indexIn(b, sep, c2 + 1, end);
  if (c3 < 0) return NO;
  if (c3 > c2 + 1 && isDigit(b[c2 + 1]!)) return NO; // not a unit: a prefix's CPU count
  let c4 = indexIn(b, sep, c3 + 1, end);
  if (c4 < 0) c4 = end;
  if (c4 === c3 + 1 || isDigit(b[c3 + 1]!)) return NO;
  let result = YES_EXPECTED;
  if (expect === undefined || !same(b, c3 + 1, c4, expect)) {
    if (indexIn(b, 47 /* / */, c3 + 1, c4) >= 0) return NO; // PMU terms may hold the separator
    into.event = b.toString('utf8', c3 + 1, c4);
    result = YES;
  }
  into.t = t;
  into.value = value;
  into.status = status;
  into.unit = c3 === c2 + 1 ? '' : unitText(b, c2 + 1, c3);
  into.running = 100;
  if (c4 === end) return result;
  // Optional `-r` variance, then run time and percentage counted.
  let f = c4 + 1;
  let g = nextSep(b, sep, f, end);
  if (g > f && b[g - 1] === 37 /* % */) {
    // Checked, not kept: the parser has no use for perf's -r variance.
    const variance = decimal(b, f, g - 1);
    if (variance !== variance) return NO;
    f = g + 1;
    g = nextSep(b, sep, f, end);
  }
  if (f >= end) return result;
  for (let k = f; k < g; k++) if (!isDigit(b[k]!)) return NO; // run time; else a cgroup or something unusual
  f = g + 1;
  g = nextSep(b, sep, f, end);
  const pct = decimal(b, f, g);
  if (pct !== pct) return NO;
  if (pct >= 0 && pct <= 100) into.running = pct;
  return result;
}

/** First `c` in b[from, end), or -1; fields are short, so a loop beats the native search's call. */
function indexIn(b: Buffer, c: number, from: number, end: number): number {
  for (let k = from; k < end; k++) if (b[k] === c) return k;
  return -1;
}

function nextSep(b: Buffer, sep: number, from: number, end: number): number {
  const k = indexIn(b, sep, from, end);
  return k < 0 ? end : k;
}

function same(b: Buffer, from: number, to: number, w: Uint8Array): boolean {
  if (to - from !== w.length) return false;
  for (let k = 0; k < w.length; k++) if (b[from + k] !== w[k]) return false;
  return true;
}

/** The time text of the last line read (and its value), for the next line of the same interval. */
const lastTimeText = Buffer.alloc(64);
let lastTimeLength = -1;
let lastTime = NaN;

let lastUnitBytes = Buffer.alloc(0);
let lastUnit = '';
/** Units repeat (`msec`): the last one's text is reused. */
function unitText(b: Buffer, from: number, to: number): string {
  if (!same(b, from, to, lastUnitBytes)) {
    lastUnit = b.toString('utf8', from, to);
    lastUnitBytes = Buffer.from(b.subarray(from, to));
  }
  return lastUnit;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * b[from, to) as a number, or NaN unless it is `[-]digits[.digits]`. Up to 15
 * significant digits the result is exact: both the digit string and the power of ten
 * are exact doubles, and one IEEE division rounds correctly, as Number() does.
 * Longer numbers and exponents go through Number().
 */
function decimal(b: Buffer, from: number, to: number): number {
  if (to <= from) return NaN;
  let k = from;
  let neg = false;
  if (b[k] === 45) {
    neg = true;
    k++;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; k < to; k++) {
    const c = b[k]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
    } else if (c === 46 && frac < 0) frac = k;
    else if (c === 101 || c === 69 || c === 43) return slowNumber(b, from, to);
    else return NaN;
  }
  if (digits === 0) return NaN;
  if (digits > 15) return slowNumber(b, from, to);
  const scale = frac < 0 ? 0 : to - frac - 1;
  const v = scale === 0 ? mant : mant / POW10[scale]!;
  return neg ? -v : v;
}

function slowNumber(b: Buffer, from: number, to: number): number {
  const s = b.toString('latin1', from, to);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}
