import { MAX_COUNT, NO, ScratchReading, YES_EXPECTED, readCsvBytes } from './csvFastPath.ts';
import type { Interval } from './interval.ts';
import { IntervalStep } from './intervalStep.ts';
import { IntervalTotals, addToBreakdown, newInterval } from './intervalTotals.ts';
import { type PerfLayout, readAnyLine } from './layoutDetection.ts';
import { LineSplitter, MAX_LINE_BYTES } from './lineSplitter.ts';
import type { ParseDiagnostic, Reading } from './reading.ts';
import { separatorProblem } from './separator.ts';

export type { PerfLayout } from './layoutDetection.ts';

export interface PerfStatParserOptions {
  /** CSV separator given to perf's `-x`; detected from the first data line when absent. */
  separator?: string;
  onInterval: (iv: Interval) => void;
  onDiagnostic?: (d: ParseDiagnostic) => void;
  /** Called with the text after `# started on` in perf's header. */
  onHeader?: (startedOn: string) => void;
  /** Reads every line with the general readers (to check the fast path against them). */
  generalOnly?: boolean;
  /**
   * For a consumer that reads only the slot values (`vnf-lens replay --format jsonl`): an
   * interval whose every event was counted, with nothing missing, gets its values by slot
   * alone, and its `counters` and `running` records stay empty (see IntervalTotals.finish).
   */
  slotValuesOnly?: boolean;
}


interface HeldLine {
  reading: Reading;
  slot: number;
  line: number;
  text: string;
}

/**
 * Streaming reader of `perf stat -I` output in any of perf's layouts (CSV with any
 * separator, `-j` JSON lines, human-readable). Feed it text or bytes split anywhere;
 * it emits one Interval per interval time, when the next interval starts, on
 * `flush()` (for live streams after a quiet moment) or on `end()`.
 *
 * One bad line costs that line, never the stream:
 * - a malformed line, a line over 1 MiB, a repeated (event, time) or a negative,
 *   non-finite or overflowing count is reported with its number and skipped;
 * - interval times move forward by about the interval: a line whose time is neither
 *   the current interval's nor plausibly the next one is held until the following
 *   line says whether the stream really moved there (a stall, a restart after a
 *   recorded gap, the first line) or the line was an outlier (then it is dropped,
 *   and the stream carries on as if it had not been there).
 */
export class PerfStatParser {
  private readonly splitter: LineSplitter;
  private lineNo = 0;
  private separator: string | undefined;
  private sepByte = -1;
  private cur: Interval | undefined;
  private readonly totals = new IntervalTotals();
  private prevT: number | undefined;
  private lastEmittedT: number | undefined;
  private nextDt: number | undefined;
  /** No time seen yet, or a recorded gap: the next time may be anything (once confirmed). */
  private fresh = true;
  private readonly step = new IntervalStep();
  private held: HeldLine[] = [];
  /** Slot of the line being added, when held as a candidate. */
  private pendingSlot = -1;
  private readonly opts: PerfStatParserOptions;
  /** Reused by the CSV fast path, so the common line allocates no Reading. */
  private readonly scratch = new ScratchReading();
  /** Bytes of the line being read, for diagnostics about it. */
  private lineBuf: Buffer | undefined;
  private lineStart = 0;
  private lineEnd = 0;
  /** Layout of the most recent data line. */
  layout: PerfLayout | undefined;
  /** Lines reported as unreadable or rejected. */
  badLines = 0;

  constructor(opts: PerfStatParserOptions) {
    this.opts = opts;
    if (opts.separator !== undefined) {
      const problem = separatorProblem(opts.separator);
      if (problem) throw new Error(problem);
      this.setSeparator(opts.separator);
    }
    this.splitter = new LineSplitter({
      line: (buf, start, end) => this.pushLine(buf, start, end),
      longLine: (n) => {
        this.lineNo = n;
        this.diag(`line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB; skipped`, '');
      },
    });
  }

  push(chunk: string | Uint8Array): void {
    this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  /**
   * One line, bytes [start, end) of `buf` without its line end, for callers that split
   * lines themselves (the recording reader). `lineNo` numbers it in diagnostics.
   */
  pushLine(buf: Buffer, start: number, end: number, lineNo?: number): void {
    this.lineNo = lineNo ?? this.lineNo + 1;
    if (end > start && buf[end - 1] === 13) end--;
    this.lineBuf = buf;
    this.lineStart = start;
    this.lineEnd = end;
    if (this.sepByte >= 0 && end > start && this.opts.generalOnly !== true) {
      const expectSlot = this.totals.expectedSlot();
      const schema = this.totals.schema;
      const r = this.scratch;
      const fast = readCsvBytes(buf, start, end, this.sepByte, r, schema.bytes[expectSlot]);
      if (fast !== NO) {
        if (fast === YES_EXPECTED) {
          r.event = schema.names[expectSlot]!;
          const cur = this.cur;
          // The common line: the next event of the interval being read, counted. add() in short.
          if (cur !== undefined && r.t === cur.t && r.status === 'counted' && this.held.length === 0) {
            this.pendingSlot = expectSlot;
            if (!this.totals.count(expectSlot, r.value!, r.running, false, r.event, r.unit)) this.diag(`${r.event} repeated at t=${r.t}; line skipped`, this.currentText());
            this.lineBuf = undefined;
            return;
          }
          this.add(r, expectSlot);
        } else this.add(r, -1);
        this.lineBuf = undefined;
        return;
      }
    }
    this.line(buf.toString('utf8', start, end));
    this.lineBuf = undefined;
  }

  /**
   * The data before the next interval is missing (a recorded gap): that interval's
   * length is `dt`, not the span back to the interval before the gap, and its time
   * may start again (perf restarted).
   */
  gap(dt: number): void {
    this.settleHeld();
    this.flush();
    this.nextDt = dt;
    this.fresh = true;
  }

  /** Emits the interval being assembled, e.g. when a live stream has gone quiet. */
  flush(): void {
    if (this.cur) this.emit();
  }

  /** End of input: reads a last line without newline and emits what is pending. */
  end(): void {
    this.splitter.end();
    this.settleHeld();
    this.flush();
  }

  /** Lines read so far (for progress and error messages). */
  get linesRead(): number {
    return this.lineNo;
  }

  private setSeparator(sep: string): void {
    this.separator = sep;
    const b = Buffer.from(sep);
    this.sepByte = b.length === 1 ? b[0]! : -1;
  }

  private line(line: string): void {
    const read = readAnyLine(line, this.separator);
    if (read.kind === 'comment') {
      if (read.startedOn !== undefined) this.opts.onHeader?.(read.startedOn);
      return;
    }
    if (read.kind === 'blank') return;
    if (read.separator !== undefined) this.setSeparator(read.separator);
    this.layout = read.layout;
    const result = read.result;
    if (result.kind === 'reading') this.add(result.reading, -1);
    else if (result.kind === 'error') this.diag(result.message, line);
  }

  private diag(message: string, text: string, line = this.lineNo): void {
    this.badLines++;
    this.opts.onDiagnostic?.({ line, message, text: text.length > 200 ? text.slice(0, 200) + '…' : text });
  }

  /** The current line's text for a diagnostic (the fast path never cut it out). */
  private currentText(): string {
    const b = this.lineBuf;
    if (!b) return '';
    return b.toString('utf8', this.lineStart, Math.min(this.lineEnd, this.lineStart + 240));
  }

  /** `knownSlot` is the event's schema slot when the caller already knows it, else -1. */
  private add(r: Reading, knownSlot: number): void {
    if (!(Math.abs(r.t) < Infinity)) {
      this.diag(`interval time ${r.t} is not a finite number; line skipped`, this.currentText());
      return;
    }
    this.pendingSlot = knownSlot;
    if (r.status === 'counted' && !(r.value! >= 0 && r.value! < MAX_COUNT)) {
      const what = r.value !== r.value || !Number.isFinite(r.value) ? 'not a finite number' : r.value! < 0 ? 'negative' : 'beyond 64 bits';
      this.diag(`count of ${r.event} is ${what} (${r.value}); left out`, this.currentText());
      return;
    }
    if (this.held.length > 0 && !this.resolveHeld(r)) return;
    const cur = this.cur;
    if (cur && r.t === cur.t) {
      this.apply(r, knownSlot);
      return;
    }
    const last = cur ? cur.t : this.lastEmittedT;
    if (last !== undefined && !this.fresh) {
      if (r.t <= last) {
        this.diag(cur ? `interval time ${r.t} goes back from ${last}; line skipped` : `line for interval ${r.t} arrived after that interval was emitted; skipped`, this.currentText());
        return;
      }
      if (this.step.plausibleNext(last, r.t)) {
        this.start(r.t);
        this.apply(r, knownSlot);
        return;
      }
    }
    // A time that is not the expected one: keep the line until the next says which it was.
    this.hold(r, knownSlot);
  }

  private hold(r: Reading, slot: number): void {
    this.held.push({ reading: { ...r }, slot, line: this.lineNo, text: this.currentText() });
  }

  /**
   * Decides on the held lines given the line after them (`next`). A held line is
   * confirmed when the next one shares its time or follows it plausibly, and dropped
   * when the next one carries on the current interval. At the start of a stream
   * nothing is current yet: two disagreeing lines are both held, and the third
   * says which of them the stream goes on from.
   * Returns false when `next` itself was taken (held as the second candidate).
   */
  private resolveHeld(next: Reading): boolean {
    const fits = (h: HeldLine) => next.t === h.reading.t || (next.t > h.reading.t && this.step.plausibleNext(h.reading.t, next.t));
    if (this.fresh && this.cur === undefined) {
      const [h1, h2] = this.held;
      if (h2 === undefined) {
        if (fits(h1!)) this.confirm(h1!);
        else {
          this.hold(next, this.pendingSlot);
          return false;
        }
      } else if (fits(h2)) {
        this.reject(h1!);
        this.confirm(h2);
      } else if (fits(h1!)) {
        this.reject(h2);
        this.confirm(h1!);
      } else {
        this.reject(h1!);
        this.held = [h2];
        this.hold(next, this.pendingSlot);
        return false;
      }
      this.held = [];
      return true;
    }
    const h = this.held[0]!;
    this.held = [];
    const last = this.cur ? this.cur.t : this.lastEmittedT;
    const carriesOn = last !== undefined && (next.t === last || this.step.plausibleNext(last, next.t));
    if (!carriesOn && fits(h) && (last === undefined || h.reading.t > last)) this.confirm(h);
    else this.reject(h);
    return true;
  }

  /** At a gap or the end nothing follows: the first line of a stream is taken as it is, a jump is not. */
  private settleHeld(): void {
    const held = this.held;
    this.held = [];
    if (held.length === 0) return;
    if (this.fresh && this.cur === undefined) {
      this.confirm(held[0]!);
      for (const h of held.slice(1)) this.reject(h);
    } else for (const h of held) this.reject(h);
  }

  private confirm(h: HeldLine): void {
    this.start(h.reading.t);
    this.apply(h.reading, h.slot);
  }

  private reject(h: HeldLine): void {
    const ht = h.reading.t;
    const last = this.cur ? this.cur.t : this.lastEmittedT;
    const how =
      last === undefined || this.fresh
        ? 'does not fit the lines around it'
        : ht <= last
          ? `goes back from ${last}`
          : `jumps from ${last}${this.step.value !== undefined ? ` (interval ${round(this.step.value)} s)` : ''}`;
    this.diag(`interval time ${ht} ${how}; line skipped`, h.text, h.line);
  }

  /** Starts the interval at time t, emitting the current one. */
  private start(t: number): void {
    if (this.cur) this.emit();
    const dt = this.prevT === undefined || this.fresh ? t : t - this.prevT;
    if (!this.fresh && this.prevT !== undefined) this.step.learn(dt);
    this.cur = newInterval(t, dt);
    if (this.nextDt !== undefined) {
      this.cur.dt = this.nextDt;
      this.nextDt = undefined;
    }
    this.fresh = false;
    this.totals.reset();
  }

  private apply(r: Reading, knownSlot: number): void {
    const iv = this.cur!;
    if (r.prefix !== undefined && !addToBreakdown(iv, r)) {
      this.diag(`${r.event} of ${r.prefix} repeated at t=${r.t}; line skipped`, this.currentText());
      return;
    }
    switch (r.status) {
      case 'counted': {
        const t = this.totals;
        const slot = knownSlot >= 0 ? knownSlot : t.slotFor(r.event);
        if (!t.count(slot, r.value!, r.running, r.prefix !== undefined, r.event, r.unit)) {
          this.diag(`${r.event} repeated at t=${r.t}; line skipped`, this.currentText());
          return;
        }
        break;
      }
      case 'not-counted':
        if (!iv.notCounted.includes(r.event)) iv.notCounted.push(r.event);
        break;
      case 'not-supported':
        if (!iv.unsupported.includes(r.event)) iv.unsupported.push(r.event);
        break;
    }
  }

  private emit(): void {
    const iv = this.cur!;
    this.cur = undefined;
    this.totals.finish(iv, this.opts.slotValuesOnly === true);
    this.prevT = iv.t;
    this.lastEmittedT = iv.t;
    this.opts.onInterval(iv);
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
