/**
 * Text built straight into large Buffers, handed on whole (to stdout, a file, a
 * socket) when full: no per-line strings, no joins, no second encoding pass.
 * Numbers are written as JSON.stringify would write them.
 */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;
  /** `buf` as a DataView, made when first asked for. */
  private view: DataView | undefined;
  private viewOf: Buffer | undefined;

  /**
   * `onFull` gets the bytes written and the whole block they are in; `nextBlock` may
   * give back a block whose bytes were handed on and are done with (no page faults for
   * fresh memory on every block), else a new one is made. `firstSize`, when smaller,
   * is the first block's size (see ByteOutput).
   */
  constructor(
    private readonly onFull: (chunk: Buffer, block: Buffer) => void,
    private readonly size = 1 << 20,
    private readonly nextBlock: () => Buffer | undefined = () => undefined,
    firstSize = size,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(firstSize, size));
  }

  get length(): number {
    return this.pos;
  }

  /** Hands on what is written so far (a fresh Buffer is used from here on). */
  flush(): void {
    if (this.pos === 0) return;
    const block = this.buf;
    const out = block.subarray(0, this.pos);
    this.buf = this.nextBlock() ?? Buffer.allocUnsafe(this.size);
    this.pos = 0;
    this.onFull(out, block);
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /**
   * Room for `n` more bytes, for a hot loop that stores them itself, several at a time
   * (DataView stores need not be aligned): store from `length` on, then `commit`.
   */
  reserve(n: number): DataView {
    this.room(n);
    if (this.viewOf !== this.buf) {
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
      this.viewOf = this.buf;
    }
    return this.view!;
  }

  /** Ends what was stored through `reserve()` at `end`. */
  commit(end: number): void {
    this.pos = end;
  }

  /** Text known to be ASCII (keys, numbers, literals). */
  ascii(s: string): void {
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** `JSON.stringify(s)` of a string, as UTF-8: plain ASCII (labels, states, reasons) is copied as it is. */
  jsonString(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      // Controls, quotes and backslashes need escapes, the rest of Unicode UTF-8.
      if (c < 32 || c === 34 || c === 92 || c > 126) {
        this.text(JSON.stringify(s));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 34;
    this.pos = p;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    // Locals: the copy loop then need not reload the fields on every byte.
    const buf = this.buf;
    const at = this.pos;
    if (n > 64) buf.set(b, at);
    else for (let i = 0; i < n; i++) buf[at + i] = b[i]!;
    this.pos = at + n;
  }

  /** `n` bytes of `src` from `from` (a short text out of a table). */
  bytesOf(src: Uint8Array, from: number, n: number): void {
    this.room(n);
    const buf = this.buf;
    const at = this.pos;
    for (let i = 0; i < n; i++) buf[at + i] = src[from + i]!;
    this.pos = at + n;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A JSON number: `null` unless finite. */
  num(x: number): void {
    if (x >= 0 && x <= 9007199254740991 && Math.floor(x) === x) this.uint(x);
    else this.ascii(jsonNumber(x));
  }

  /**
   * A JSON number that usually has at most `decimals` (≤ 9) decimals, e.g. a printed
   * time, a percentage or a rounded score: written without the general float-to-text
   * search when it has, as JSON.stringify would otherwise.
   */
  fixed(x: number, decimals: number): void {
    const scale = POW10[decimals]!;
    const k = Math.round(x * scale);
    // k/scale === x: x is the double nearest to that decimal, and below 2^50 / scale
    // doubles are closer together than 1/scale, so that decimal is x's shortest text.
    // Below 1e-6 JavaScript writes an exponent.
    if (k / scale !== x || !(k >= 1e-6 * scale || k <= -1e-6 * scale) || !(k > -1125899906842624 && k < 1125899906842624)) {
      this.num(x);
      return;
    }
    if (k < 0) this.byte(45);
    const a = k < 0 ? -k : k;
    const int = Math.floor(a / scale);
    this.uint(int);
    // Below 1e9: 32-bit integer arithmetic from here.
    let frac = (a - int * scale) | 0;
    if (frac === 0) return;
    let digits = decimals;
    for (let q = (frac / 10) | 0; frac === q * 10; q = (frac / 10) | 0) {
      frac = q;
      digits--;
    }
    this.room(digits + 1);
    const buf = this.buf;
    const at = this.pos;
    buf[at] = 46;
    for (let i = digits; i >= 1; i--) {
      const q = (frac / 10) | 0;
      buf[at + i] = 48 + frac - q * 10;
      frac = q;
    }
    this.pos = at + digits + 1;
  }

  /**
   * A percentage as perf prints it (two decimals at most) from a table of their
   * texts: the same few thousand values repeat on every line.
   */
  percent(x: number): void {
    const k = Math.round(x * 100);
    if (k >= 0 && k <= 10000 && k / 100 === x) this.bytes((PCT[k] ??= Buffer.from(JSON.stringify(x))));
    else this.num(x);
  }

  /** A non-negative safe integer. */
  private uint(x: number): void {
    if (x < 1e9) {
      this.small(x | 0);
      return;
    }
    // Two parts below 1e9, each written with 32-bit integer arithmetic.
    const hi = Math.floor(x / 1e9);
    this.uint(hi);
    const lo = (x - hi * 1e9) | 0;
    this.room(9);
    const buf = this.buf;
    let v = lo;
    for (let i = this.pos + 8; i >= this.pos; i--) {
      const q = (v / 10) | 0;
      buf[i] = 48 + v - q * 10;
      v = q;
    }
    this.pos += 9;
  }

  /** 0 <= v < 1e9. */
  private small(v: number): void {
    const digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : 9;
    this.room(digits);
    const buf = this.buf;
    for (let i = this.pos + digits - 1; i >= this.pos; i--) {
      const q = (v / 10) | 0;
      buf[i] = 48 + v - q * 10;
      v = q;
    }
    this.pos += digits;
  }
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const PCT: (Buffer | undefined)[] = new Array<Buffer | undefined>(10001);

/** `JSON.stringify(x)` for a number. */
export function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}
