/** Longest line any reader accepts: perf's lines are a few hundred bytes; a directive a few KiB. */
export const MAX_LINE_BYTES = 1 << 20;

export interface LineSink {
  /** One line, bytes [start, end) of `buf`, without its terminator; `buf` is only valid during the call. */
  line(buf: Buffer, start: number, end: number): void;
  /** A line passed `MAX_LINE_BYTES`: it is dropped up to its end. Called once per such line, when the cap is passed. */
  longLine(lineNo: number): void;
}

/**
 * Cuts a byte stream into lines without joining chunks into strings: lines inside a
 * chunk are handed over in place, and only a line split across chunks is copied (at
 * most the cap). Lines end with LF (CRLF's CR is stripped); a stream whose first line
 * ends with a lone CR is read with CR, LF or CRLF as line ends (old Mac text).
 */
export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private carryLen = 0;
  /** Inside a line longer than the cap: its bytes are dropped until its end. */
  private skipping = false;
  private anyCr = false;
  private universal = false;
  /** Lines handed over or dropped so far. */
  lines = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly cap = MAX_LINE_BYTES,
  ) {}

  push(buf: Buffer): void {
    if (this.universal) return this.pushUniversal(buf);
    const n = buf.length;
    let pos = 0;
    if (this.carryLen > 0 || this.skipping) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (this.lines === 0 && this.lonelyCr(buf)) return this.switchToUniversal(buf);
        this.keep(buf, 0, n);
        return;
      }
      this.keep(buf, 0, nl);
      this.endCarried();
      pos = nl + 1;
    }
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      this.lines++;
      const end = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
      if (end - pos > this.cap) this.sink.longLine(this.lines);
      else this.sink.line(buf, pos, end);
      pos = nl + 1;
    }
    if (pos < n) {
      if (this.lines === 0 && this.lonelyCr(buf)) return this.switchToUniversal(buf.subarray(pos));
      this.keep(buf, pos, n);
    }
  }

  /** End of input: the last line may lack its terminator. */
  end(): void {
    if (this.carryLen > 0 || this.skipping) this.endCarried();
  }

  /** A CR that is not the chunk's last byte, before any LF: lines end with CR. */
  private lonelyCr(buf: Buffer): boolean {
    const cr = buf.indexOf(13);
    if (cr >= 0) this.anyCr = true;
    return cr >= 0 && cr < buf.length - 1;
  }

  private switchToUniversal(rest: Buffer): void {
    this.universal = true;
    this.pushUniversal(rest);
  }

  private pushUniversal(buf: Buffer): void {
    let pos = 0;
    const n = buf.length;
    // A CRLF split across chunks: the LF ends nothing.
    if (this.anyCr && this.lastWasCr && n > 0 && buf[0] === 10) pos = 1;
    this.lastWasCr = false;
    for (let i = pos; i < n; i++) {
      const c = buf[i]!;
      if (c !== 10 && c !== 13) continue;
      if (this.carryLen > 0 || this.skipping) {
        this.keep(buf, pos, i);
        this.endCarried();
      } else {
        this.lines++;
        if (i - pos > this.cap) this.sink.longLine(this.lines);
        else this.sink.line(buf, pos, i);
      }
      if (c === 13) {
        if (i + 1 < n && buf[i + 1] === 10) i++;
        else if (i + 1 === n) this.lastWasCr = true;
      }
      pos = i + 1;
    }
    if (pos < n) this.keep(buf, pos, n);
  }

  private lastWasCr = false;

  /** Adds bytes of an unfinished line to the carry, or drops them once the line is too long. */
  private keep(buf: Buffer, from: number, to: number): void {
    if (this.skipping) return;
    const len = to - from;
    if (this.carryLen + len > this.cap) {
      this.skipping = true;
      this.carryLen = 0;
      this.carry = Buffer.alloc(0);
      this.sink.longLine(this.lines + 1);
      return;
    }
    if (this.carryLen + len > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.cap, Math.max(256, (this.carryLen + len) * 2)));
      this.carry.copy(grown, 0, 0, this.carryLen);
      this.carry = grown;
    }
    buf.copy(this.carry, this.carryLen, from, to);
    this.carryLen += len;
  }

  private endCarried(): void {
    this.lines++;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    let end = this.carryLen;
    if (end > 0 && this.carry[end - 1] === 13) end--;
    this.carryLen = 0;
    this.sink.line(this.carry, 0, end);
  }
}
