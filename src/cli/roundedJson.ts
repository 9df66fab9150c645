import type { ByteWriter } from '../core/perf/byteWriter.ts';
import { DIGIT_PAIRS, keyLayout, type KeyLayout } from '../core/perf/jsonKeys.ts';

// Inference JSON rounds its scores to 4 decimals; most lie in [-1, 1] and are written
// here straight into the output buffer, exactly as JSON.stringify writes them.

const NULL = Buffer.from('null');
const EMPTY = Buffer.from('{}');

/** A number rounded to 4 decimals as JSON (null stays null). */
export function writeRounded4(w: ByteWriter, x: number | null): void {
  if (x === null) {
    w.bytes(NULL);
    return;
  }
  const k = Math.round(x * 1e4);
  if (!(k >= -1e4 && k <= 1e4)) {
    w.fixed(r4(x), 4);
    return;
  }
  w.commit(writeR4(w.reserve(R4_WIDTH), w.length, k));
}

/** Room for a rounded number of [-1, 1]: "-0.1234" is the longest. */
const R4_WIDTH = 8;

/**
 * Similarities, confidences and margins lie in [-1, 1]: writes k / 1e4 (|k| ≤ 1e4) at
 * `p` as JSON.stringify does ("-0.25", "0.1234", "1", "0") by integer arithmetic, no
 * table of texts that would cost a cache miss per number; returns where it ends. May
 * store bytes up to p + 7 beyond that end.
 */
function writeR4(out: DataView, p: number, k: number): number {
  if (k < 0) {
    out.setUint8(p++, 45);
    k = -k;
  }
  if (k === 0 || k === 1e4) {
    out.setUint8(p, k === 0 ? 48 : 49);
    return p + 1;
  }
  const hi = (k / 100) | 0;
  const lo = k - hi * 100;
  out.setUint16(p, 0x2e30, true); // "0."
  out.setUint16(p + 2, DIGIT_PAIRS[hi]!, true);
  out.setUint16(p + 4, DIGIT_PAIRS[lo]!, true);
  // Without trailing zeros.
  return p + (lo !== 0 ? (lo % 10 !== 0 ? 6 : 5) : hi % 10 !== 0 ? 4 : 3);
}

/**
 * The similarities object, `{"label":0.1234,...}`, in one loop over the buffer: every
 * line repeats the same labels, so their bytes are laid out once. Bytes are copied four
 * at a time; the few a copy writes past the end of a key or number are overwritten by
 * what follows it.
 */
export function writeSimilarities(w: ByteWriter, labels: readonly string[], values: ArrayLike<number>): void {
  const n = labels.length;
  if (n === 0) {
    w.bytes(EMPTY);
    return;
  }
  const keys = cachedKeys(labels);
  // Room for every key and the longest rounded text of every value, the closing brace,
  // and what a last copy may write past its end.
  let out = w.reserve(keys.length + n * R4_WIDTH + 4);
  let p = w.length;
  let from = 0;
  for (let i = 0; i < n; i++) {
    const to = keys.ends[i]!;
    for (let j = from, q = p; j < to; j += 4, q += 4) out.setInt32(q, keys.view.getInt32(j, true), true);
    p += to - from;
    from = to;
    const x = values[i]!;
    const k = Math.round(x * 1e4);
    if (k >= -1e4 && k <= 1e4) p = writeR4(out, p, k);
    else {
      // Outside [-1, 1] (or not finite): the general writer, then room for the rest again.
      w.commit(p);
      w.fixed(r4(x), 4);
      out = w.reserve(keys.length - to + (n - 1 - i) * R4_WIDTH + 4);
      p = w.length;
    }
  }
  out.setUint8(p++, 125);
  w.commit(p);
}

/** The key layout of the last labels seen: inference writes the same labels on every line. */
let lastKeys: { labels: readonly string[]; keys: KeyLayout } | undefined;
function cachedKeys(labels: readonly string[]): KeyLayout {
  if (lastKeys !== undefined && (lastKeys.labels === labels || sameLabels(lastKeys.labels, labels))) return lastKeys.keys;
  return (lastKeys = { labels, keys: keyLayout(labels) }).keys;
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** x rounded to 4 decimals: the numbers the writers above stand for. */
export function r4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
