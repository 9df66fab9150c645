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
  const c1 = timeField(b, start, end, sep);
  if (c1 < 0) return NO;
  const t = parsed[0]!;
  let c2: number;
  let value = NaN;
  let status: ReadingStatus = 'counted';
  if (b[c1 + 1] === 60 /* < */) {
    c2 = indexIn(b, sep, c1 + 1, end);
    if (c2 < 0) return NO;
    if (same(b, c1 + 1, c2, NOT_COUNTED)) status = 'not-counted';
    else if (same(b, c1 + 1, c2, NOT_SUPPORTED)) status = 'not-supported';
    else return NO;
  } else {
    c2 = numberField(b, c1 + 1, end, sep);
    value = parsed[0]!;
    // Not a number (an aggregation prefix: CPU0, S0-D0-C0, comm-pid), or a value the parser must flag.
    if (c2 === end || !(value >= 0 && value < MAX_COUNT)) return NO;
  }
  const c3 = indexIn(b, sep, c2 + 1, end);
  if (c3 < 0) return NO;
  // Not a unit: a prefix's CPU count, or a value (the general reader finds which).
  if (c3 > c2 + 1 && (startsNumber(b[c2 + 1]!) || b[c2 + 1] === 60 /* < */)) return NO;
  const e = c3 + 1;
  if (e === end || b[e] === sep || startsNumber(b[e]!)) return NO;
  let result = YES_EXPECTED;
  let c4 = expect === undefined ? -1 : nameEnd(b, e, end, sep, expect);
  if (c4 < 0) {
    c4 = readName(b, e, end, sep, into);
    if (c4 < 0) return NO;
    result = YES;
  }
  into.t = t;
  into.value = value;
  into.status = status;
  into.unit = c3 === c2 + 1 ? '' : unitText(b, c2 + 1, c3);
  into.running = 100;
  if (c4 < end && !readTail(b, c4 + 1, end, sep, into)) return NO;
  return result;
}

/**
 * The end (a separator) of the interval time after the line's leading blanks, the time
 * in `parsed[0]`; -1 when there is none. An interval's lines share their time, so when
 * a line starts as the last one did (blanks, time, separator), the number is the same
 * and is not parsed again.
 */
function timeField(b: Buffer, start: number, end: number, sep: number): number {
  const n = lastHeadLength;
  if (n > 0 && end - start >= n && lastHead[n - 1] === sep) {
    let k = 0;
    while (k < n && b[start + k] === lastHead[k]) k++;
    if (k === n) {
      parsed[0] = lastTime;
      return start + n - 1;
    }
  }
  return readTime(b, start, end, sep);
}

/** timeField for a line that starts differently: read, and kept for the lines after it. Apart, so the common path stays small. */
function readTime(b: Buffer, start: number, end: number, sep: number): number {
  let i = start;
  while (i < end && b[i] === 32) i++;
  const c = numberField(b, i, end, sep);
  const t = parsed[0]!;
  if (c === end || !(t < Infinity)) return -1; // no separator; NaN or infinite: the general reader words the error
  if (c + 1 - start <= lastHead.length) {
    // A few bytes: a loop costs less than Buffer.copy's call.
    for (let k = start; k <= c; k++) lastHead[k - start] = b[k]!;
    lastHeadLength = c + 1 - start;
    lastTime = t;
  }
  return c;
}

/**
 * The end of the event name `expect` when b[e, …) is it, whole (up to the separator
 * or the line end), else -1: the name is compared in place, never decoded.
 */
function nameEnd(b: Buffer, e: number, end: number, sep: number, expect: Buffer): number {
  const n = expect.length;
  if (e + n > end) return -1;
  let slashes = 0;
  for (let k = 0; k < n; k++) {
    const c = b[e + k];
    // A name holding the separator is a PMU term the general reader must rejoin.
    if (c !== expect[k] || c === sep) return -1;
    if (c === 47 /* / */) slashes++;
  }
  // An odd number of slashes: a PMU term cut short, which the general reader rejoins with the fields after it.
  if ((slashes & 1) === 1) return -1;
  const after = e + n;
  return after === end || b[after] === sep ? after : -1;
}

/** The end of the event name at `e`, decoded into `into.event`; -1 for a name this path leaves alone. */
function readName(b: Buffer, e: number, end: number, sep: number, into: ScratchReading): number {
  const c = nextSep(b, sep, e, end);
  if (indexIn(b, 47 /* / */, e, c) >= 0) return -1; // PMU terms may hold the separator
  into.event = b.toString('utf8', e, c);
  return c;
}

/**
 * The fields after the event name, from `f`: an optional `-r` variance (`x.yy%`), the
 * run time and the percentage counted (into `into.running` when it is one). False
 * when they are not that (a cgroup column, say): the general reader takes the line.
 */
function readTail(b: Buffer, f: number, end: number, sep: number, into: ScratchReading): boolean {
  if (f >= end) return true;
  let k = digitsEnd(b, f, end);
  if (k < end && b[k] !== sep) {
    // Not a run time: the variance, checked and not kept (the parser has no use for it).
    const g = varianceEnd(b, f, k, end, sep);
    if (g < 0) return false;
    f = g + 1;
    if (f >= end) return true;
    k = digitsEnd(b, f, end);
    if (k < end && b[k] !== sep) return false; // run time: digits only, else a cgroup or something unusual
  }
  if (k === f) return false; // no run time: the general reader decides what the fields are
  numberField(b, k + 1, end, sep);
  const pct = parsed[0]!;
  if (pct !== pct) return false;
  if (pct >= 0 && pct <= 100) into.running = pct;
  return true;
}

/**
 * The end of the `-r` variance field (`x.yy%`) starting at `f`, whose leading digits end
 * at `k`; -1 when it is not one. Its number is not kept, so the common form is only checked.
 */
function varianceEnd(b: Buffer, f: number, k: number, end: number, sep: number): number {
  const point = k;
  if (b[k] === 46 /* . */) k = digitsEnd(b, k + 1, end);
  const digits = k - f - (k > point ? 1 : 0);
  if (digits > 0 && b[k] === 37 /* % */ && (k + 1 === end || b[k + 1] === sep)) return k + 1;
  // Another form (a sign, an exponent): the whole field, checked by decimal().
  const g = nextSep(b, sep, f, end);
  return g > f && b[g - 1] === 37 && !Number.isNaN(decimal(b, f, g - 1)) ? g : -1;
}

function digitsEnd(b: Buffer, from: number, end: number): number {
  let k = from;
  while (k < end && isDigit(b[k]!)) k++;
  return k;
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

/** The start of the last line read up to its time's separator (and the time), for the next line of the same interval. */
const lastHead = Buffer.alloc(64);
let lastHeadLength = 0;
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

/** A byte a number may start with: a field starting so is no unit or event name to this path. */
function startsNumber(c: number): boolean {
  return isDigit(c) || c === 45 /* - */ || c === 43 /* + */ || c === 46 /* . */;
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
  const k = scanNumber(b, from, to);
  if (k === to) return parsed[0]!;
  // Stopped early: an exponent or a sign goes to the general reading; anything else is not a number.
  const c = b[k];
  return c === 101 || c === 69 || c === 43 ? slowNumber(b, from, to) : NaN;
}

/**
 * The number the last numberField, scanNumber or timeField read. They return positions
 * and leave the number here: a double returned from a call V8 does not inline is boxed,
 * an allocation per field; a typed array holds it as it is.
 */
const parsed = new Float64Array(1);

/**
 * The end of the field starting at `from` (its separator, or the line end), its number
 * read in the same pass into `parsed[0]`: NaN, as decimal() gives it, for a field not a number.
 * The separator is never a digit, `.`, `-` or `+` (separatorProblem), so the first
 * other byte ends the plain form; anything else is left to decimal().
 */
function numberField(b: Buffer, from: number, end: number, sep: number): number {
  const k = scanNumber(b, from, end);
  if (k < end && b[k] !== sep) {
    // An exponent, a second dot, text: the whole field goes through decimal().
    const fieldEnd = nextSep(b, sep, k, end);
    parsed[0] = decimal(b, from, fieldEnd);
    return fieldEnd;
  }
  return k;
}

/**
 * Where the plain number `[-]digits[.digits]` at the start of b[from, end) stops; the
 * number, with decimal()'s arithmetic, in `parsed[0]` (NaN when there are no digits).
 */
function scanNumber(b: Buffer, from: number, end: number): number {
  let k = from;
  let neg = false;
  if (k < end && b[k] === 45) {
    neg = true;
    k++;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; k < end; k++) {
    const c = b[k]!;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
    } else if (c === 46 && frac < 0) frac = k;
    else break;
  }
  if (digits === 0) parsed[0] = NaN;
  else if (digits > 15) parsed[0] = slowNumber(b, from, k);
  else {
    const scale = frac < 0 ? 0 : k - frac - 1;
    const v = scale === 0 ? mant : mant / POW10[scale]!;
    parsed[0] = neg ? -v : v;
  }
  return k;
}

function slowNumber(b: Buffer, from: number, to: number): number {
  const s = b.toString('latin1', from, to);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}
