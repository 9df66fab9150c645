import type { Reading } from './reading.ts';

/**
 * The common CSV line — `time,value,unit,event[,variance%],run,pct[,metric,unit]`, no
 * aggregation prefix, no cgroup, a plain event name — read by scanning the chunk in
 * place, without splitting it into field strings, into a reused Reading. Returns false
 * for anything else, and the general reader (readCsvLine) takes it; both agree on every
 * line the fast path accepts (checked by the parser's tests).
 *
 * `sameT` is the text of the interval time seen last: a line starting with it reuses
 * `lastT` instead of parsing the time again (an interval's lines share one time).
 * `expectEvent` is the event perf printed after the previous one last time: when it
 * comes again, its name is reused rather than cut out of the text.
 * Returns NO (not a fast-path line), YES, or YES_EXPECTED (the event was `expectEvent`).
 */
export const NO = 0;
export const YES = 1;
export const YES_EXPECTED = 2;

export function readCsvLineFast(text: string, start: number, end: number, sep: string, into: Reading, sameT: string, lastT: number, expectEvent: string): number {
  let c1: number;
  let t: number;
  // `sameT` holds the time field with its padding and the separator after it.
  if (text.startsWith(sameT, start)) {
    c1 = start + sameT.length - 1;
    t = lastT;
  } else {
    let i = start;
    while (i < end && text.charCodeAt(i) === 32) i++;
    c1 = text.indexOf(sep, i);
    if (c1 < 0 || c1 >= end) return NO;
    t = decimal(text, i, c1);
    if (t !== t) return NO;
  }
  const c2 = text.indexOf(sep, c1 + 1);
  if (c2 < 0 || c2 >= end || c2 === c1 + 1) return NO;
  let value: number | null = null;
  let status: Reading['status'] = 'counted';
  if (text.charCodeAt(c1 + 1) === 60 /* < */) {
    const s = text.slice(c1 + 1, c2);
    if (s === '<not counted>') status = 'not-counted';
    else if (s === '<not supported>') status = 'not-supported';
    else return NO;
  } else {
    value = decimal(text, c1 + 1, c2);
    if (value !== value) return NO; // not a number: an aggregation prefix (CPU0, S0-D0-C0, comm-pid)
  }
  const c3 = text.indexOf(sep, c2 + 1);
  if (c3 < 0 || c3 >= end) return NO;
  if (c3 > c2 + 1 && isDigit(text.charCodeAt(c2 + 1))) return NO; // not a unit: a prefix's CPU count
  let c4 = text.indexOf(sep, c3 + 1);
  if (c4 < 0 || c4 > end) c4 = end;
  if (c4 === c3 + 1 || isDigit(text.charCodeAt(c3 + 1))) return NO;
  let result = YES_EXPECTED;
  let event = expectEvent;
  if (c4 - c3 - 1 !== expectEvent.length || !text.startsWith(expectEvent, c3 + 1)) {
    event = text.slice(c3 + 1, c4);
    if (event.indexOf('/') >= 0) return NO; // PMU terms may hold the separator
    result = YES;
  }
  into.t = t;
  into.value = value;
  into.status = status;
  into.unit = c3 === c2 + 1 ? '' : text.slice(c2 + 1, c3);
  into.event = event;
  into.running = 100;
  into.variance = undefined;
  if (c4 === end) return result;
  // Optional `-r` variance, then run time and percentage counted.
  let f = c4 + 1;
  let g = nextSep(text, f, end, sep);
  if (g > f && text.charCodeAt(g - 1) === 37 /* % */) {
    const variance = decimal(text, f, g - 1);
    if (variance !== variance) return NO;
    into.variance = variance;
    f = g + 1;
    g = nextSep(text, f, end, sep);
  }
  if (f >= end) return result;
  for (let k = f; k < g; k++) if (!isDigit(text.charCodeAt(k))) return NO; // run time; else a cgroup or something unusual
  f = g + 1;
  g = nextSep(text, f, end, sep);
  const pct = decimal(text, f, g);
  if (pct !== pct) return NO;
  if (pct >= 0 && pct <= 100) into.running = pct;
  return result;
}

function nextSep(text: string, from: number, end: number, sep: string): number {
  if (from >= end) return end;
  const k = text.indexOf(sep, from);
  return k < 0 || k > end ? end : k;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * text[from, to) as a number, or NaN unless it is `[-]digits[.digits]`. Up to 15
 * significant digits the result is exact: both the digit string and the power of ten
 * are exact doubles, and one IEEE division rounds correctly, as Number() does.
 * Longer numbers and exponents go through Number().
 */
function decimal(text: string, from: number, to: number): number {
  if (to <= from) return NaN;
  let k = from;
  let neg = false;
  if (text.charCodeAt(k) === 45) {
    neg = true;
    k++;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
    } else if (c === 46 && frac < 0) frac = k;
    else if (c === 101 || c === 69 || c === 43) return slowNumber(text, from, to);
    else return NaN;
  }
  if (digits === 0) return NaN;
  if (digits > 15) return slowNumber(text, from, to);
  const scale = frac < 0 ? 0 : to - frac - 1;
  const v = scale === 0 ? mant : mant / POW10[scale]!;
  return neg ? -v : v;
}

function slowNumber(text: string, from: number, to: number): number {
  const s = text.slice(from, to);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}
