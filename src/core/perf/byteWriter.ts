/**
 * Text built straight into large Buffers, handed on whole (to stdout, a file, a
 * socket) when full: no per-line strings, no joins, no second encoding pass.
 * Numbers are written as JSON.stringify would write them.
 */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(
    private readonly onFull: (chunk: Buffer) => void,
    private readonly size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.pos;
  }

  /** Hands on what is written so far (a fresh Buffer is used from here on). */
  flush(): void {
    if (this.pos === 0) return;
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    this.onFull(out);
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
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

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    if (n > 64) this.buf.set(b, this.pos);
    else for (let i = 0; i < n; i++) this.buf[this.pos + i] = b[i]!;
    this.pos += n;
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
   * A JSON number that usually has at most `decimals` (≤ 4) decimals, e.g. a
   * percentage or a rounded score: written without the general float-to-text search.
   */
  fixed(x: number, decimals: 2 | 4): void {
    const scale = decimals === 2 ? 100 : 1e4;
    const k = Math.round(x * scale);
    // k/scale === x: x is the double nearest to that decimal, whose shortest text it is.
    if (k / scale === x && k !== 0 && k > -1125899906842624 && k < 1125899906842624) {
      if (k < 0) this.byte(45);
      const a = k < 0 ? -k : k;
      const int = Math.floor(a / scale);
      let frac = a - int * scale;
      this.uint(int);
      if (frac === 0) return;
      let digits = decimals;
      while (frac % 10 === 0) {
        frac /= 10;
        digits--;
      }
      this.room(digits + 1);
      this.buf[this.pos] = 46;
      for (let i = digits; i >= 1; i--) {
        this.buf[this.pos + i] = 48 + (frac % 10);
        frac = Math.floor(frac / 10);
      }
      this.pos += digits + 1;
    } else this.num(x);
  }

  /** A non-negative safe integer. */
  private uint(x: number): void {
    let digits = 1;
    for (let p = 10; p <= x && digits < 16; p *= 10) digits++;
    if (digits === 16) {
      this.ascii(String(x));
      return;
    }
    this.room(digits);
    let v = x;
    for (let i = this.pos + digits - 1; i >= this.pos; i--) {
      this.buf[i] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.pos += digits;
  }
}

/** `JSON.stringify(x)` for a number. */
export function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}
