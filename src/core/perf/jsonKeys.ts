// Pieces the byte-level JSON writers share (slotJson for intervals, roundedJson for
// inference): every line of their output repeats the same keys, so the keys' bytes are
// laid out once and copied, and digits are written two at a time.

/** "00" to "99" as 16-bit little-endian words. */
export const DIGIT_PAIRS = Uint16Array.from({ length: 100 }, (_, i) => (48 + ((i / 10) | 0)) | ((48 + (i % 10)) << 8));

/** `{"a":` then `,"b":` … as UTF-8 side by side, and where each ends. */
export interface KeyLayout {
  /** The bytes, and room for a four-byte read at any of them. */
  view: DataView;
  length: number;
  ends: Uint32Array;
}

export function keyLayout(names: readonly string[]): KeyLayout {
  const parts = names.map((k, i) => Buffer.from((i === 0 ? '{' : ',') + JSON.stringify(k) + ':'));
  const ends = new Uint32Array(parts.length);
  let end = 0;
  parts.forEach((b, i) => (ends[i] = end += b.length));
  const bytes = new Uint8Array(end + 4);
  bytes.set(Buffer.concat(parts));
  return { view: new DataView(bytes.buffer), length: end, ends };
}
