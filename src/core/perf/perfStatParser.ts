import { NO, YES_EXPECTED, readCsvLineFast } from './csvFastPath.ts';
import { readCsvLine } from './csvLine.ts';
import { readHumanLine } from './humanLine.ts';
import { EventSchema, SLOT_DATA, type SlotData } from './eventSchema.ts';
import type { Interval } from './interval.ts';
import { readJsonLine } from './jsonLine.ts';
import type { LineResult, ParseDiagnostic, Reading } from './reading.ts';

export type PerfLayout = 'csv' | 'json' | 'human';

export interface PerfStatParserOptions {
  /** CSV separator given to perf's `-x`; detected from the first data line when absent. */
  separator?: string;
  onInterval: (iv: Interval) => void;
  onDiagnostic?: (d: ParseDiagnostic) => void;
  /** Called with the text after `# started on` in perf's header. */
  onHeader?: (startedOn: string) => void;
}

const TIME_PREFIX = /^\s*\d+\.\d+/;

/**
 * Streaming reader of `perf stat -I` output in any of perf's layouts (CSV with any
 * separator, `-j` JSON lines, human-readable). Feed it text chunks split anywhere;
 * it emits one Interval per interval time, when the next interval starts, on
 * `flush()` (for live streams after a quiet moment) or on `end()`.
 * A malformed line is reported with its number and skipped; it never ends the stream.
 */
export class PerfStatParser {
  private rest = '';
  private lineNo = 0;
  private separator: string | undefined;
  private cur: Interval | undefined;
  private readonly schema = new EventSchema();
  /** The current interval's totals by schema slot: value, running %, lines summed, counted flag. */
  private vals = new Float64Array(64);
  private runs = new Float64Array(64);
  private lines = new Uint16Array(64);
  private present = new Uint8Array(64);
  private presentCount = 0;
  /** Slot of the last counted line: perf prints events in the same order every interval. */
  private lastSlot = -1;
  private units: Record<string, string> = {};
  private prevT: number | undefined;
  private lastEmittedT: number | undefined;
  private nextDt: number | undefined;
  private readonly opts: PerfStatParserOptions;
  /** Reused by the CSV fast path, so the common line allocates no Reading. */
  private readonly scratch: Reading = { t: 0, value: null, status: 'counted', unit: '', event: '', running: 100 };
  private lastTText = '\u0000';
  private lastT = NaN;
  /** Layout of the most recent data line. */
  layout: PerfLayout | undefined;

  constructor(opts: PerfStatParserOptions) {
    this.opts = opts;
    this.separator = opts.separator;
  }

  push(chunk: string): void {
    const text = this.rest.length > 0 ? this.rest + chunk : chunk;
    let start = 0;
    for (;;) {
      const sep = this.separator;
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      // Most lines of a CSV stream take the fast path; everything else the general readers.
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const expectSlot = this.lastSlot + 1 < this.schema.size ? this.lastSlot + 1 : 0;
      const fast = sep !== undefined && end > start ? readCsvLineFast(text, start, end, sep, this.scratch, this.lastTText, this.lastT, this.schema.names[expectSlot] ?? '\u0000') : NO;
      if (fast !== NO) {
        this.lineNo++;
        if (this.scratch.t !== this.lastT) this.rememberTime(text, start, sep!);
        this.add(this.scratch, fast === YES_EXPECTED ? expectSlot : -1);
      } else this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = start === 0 ? text : text.slice(start);
  }

  /** Keeps the time's text so the following lines of the interval need not parse it. */
  private rememberTime(text: string, start: number, sep: string): void {
    this.lastTText = text.slice(start, text.indexOf(sep, start) + 1);
    this.lastT = this.scratch.t;
  }

  /**
   * The data before the next interval is missing (a recorded gap): that interval's
   * length is `dt`, not the span back to the interval before the gap.
   */
  gap(dt: number): void {
    this.flush();
    this.nextDt = dt;
  }

  /** Emits the interval being assembled, e.g. when a live stream has gone quiet. */
  flush(): void {
    if (this.cur) this.emit();
  }

  /** End of input: reads a last line without newline and emits what is pending. */
  end(): void {
    if (this.rest.length > 0) {
      const last = this.rest;
      this.rest = '';
      this.line(last);
    }
    this.flush();
  }

  /** Lines read so far (for progress and error messages). */
  get linesRead(): number {
    return this.lineNo;
  }

  private line(raw: string): void {
    this.lineNo++;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    let i = 0;
    while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i === line.length) return;
    const c = line.charCodeAt(i);
    if (c === 35 /* # */) {
      const m = /^#\s*started on\s+(.*)$/.exec(line.slice(i));
      if (m && this.opts.onHeader) this.opts.onHeader(m[1]!.trim());
      return;
    }
    let result: LineResult;
    if (c === 123 /* { */) {
      this.layout = 'json';
      result = readJsonLine(line);
    } else {
      const sep = this.separator ?? this.detectSeparator(line);
      if (sep !== undefined) {
        this.layout = 'csv';
        result = readCsvLine(line, sep);
      } else {
        this.layout = 'human';
        result = readHumanLine(line);
      }
    }
    if (result.kind === 'reading') this.add(result.reading);
    else if (result.kind === 'error') this.diag(result.message, line);
  }

  /** The character right after the leading interval time is the separator, unless it is blank. */
  private detectSeparator(line: string): string | undefined {
    const m = TIME_PREFIX.exec(line);
    if (!m) return undefined;
    const ch = line.charAt(m[0].length);
    if (ch === '' || ch === ' ' || ch === '\t') return undefined;
    this.separator = ch;
    return ch;
  }

  private diag(message: string, text: string): void {
    this.opts.onDiagnostic?.({ line: this.lineNo, message, text: text.length > 200 ? text.slice(0, 200) + '…' : text });
  }

  /** `knownSlot` is the event's schema slot when the caller already knows it, else -1. */
  private add(r: Reading, knownSlot = -1): void {
    if (this.cur && r.t !== this.cur.t) {
      if (r.t < this.cur.t) {
        this.diag(`interval time ${r.t} goes back from ${this.cur.t}; line skipped`, '');
        return;
      }
      this.emit();
    }
    if (!this.cur) {
      if (this.lastEmittedT !== undefined && r.t <= this.lastEmittedT) {
        this.diag(`line for interval ${r.t} arrived after that interval was emitted; skipped`, r.event);
        return;
      }
      this.cur = newInterval(r.t, this.prevT);
      if (this.nextDt !== undefined) {
        this.cur.dt = this.nextDt;
        this.nextDt = undefined;
      }
      this.startSlots();
    }
    const iv = this.cur;
    if (r.prefix !== undefined) {
      const bd = (iv.breakdown ??= {});
      const entry = (bd[r.prefix] ??= { counters: {}, running: {} });
      if (r.aggrCount !== undefined) entry.aggrCount = r.aggrCount;
      if (r.status === 'counted') {
        entry.counters[r.event] = (entry.counters[r.event] ?? 0) + r.value!;
        entry.running[r.event] = r.running;
      }
    }
    switch (r.status) {
      case 'counted': {
        const slot = knownSlot >= 0 ? knownSlot : this.slotFor(r.event);
        this.lastSlot = slot;
        const n = this.lines[slot]!;
        if (n === 0) {
          this.vals[slot] = r.value!;
          this.runs[slot] = r.running;
          this.present[slot] = 1;
          this.presentCount++;
          if (r.unit !== '') this.units[r.event] = r.unit;
        } else {
          // Another CPU/thread of the same event: sum the values, average the coverage.
          this.vals[slot] = this.vals[slot]! + r.value!;
          this.runs[slot] = (this.runs[slot]! * n + r.running) / (n + 1);
        }
        this.lines[slot] = n + 1;
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

  private slotFor(event: string): number {
    const slot = this.schema.slotOf(event);
    if (slot >= this.vals.length) {
      const grow = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.vals = grow(this.vals, (n) => new Float64Array(n));
      this.runs = grow(this.runs, (n) => new Float64Array(n));
      this.lines = grow(this.lines, (n) => new Uint16Array(n));
      this.present = grow(this.present, (n) => new Uint8Array(n));
    }
    return slot;
  }

  private startSlots(): void {
    const n = this.schema.size;
    this.lines.fill(0, 0, n);
    this.present.fill(0, 0, n);
    this.presentCount = 0;
    this.units = {};
  }

  private emit(): void {
    const iv = this.cur!;
    this.cur = undefined;
    const n = this.schema.size;
    iv.counters = this.schema.record(this.vals, this.present, this.presentCount);
    iv.running = this.schema.record(this.runs, this.present, this.presentCount);
    iv.units = this.units;
    if (this.presentCount === n) {
      // Every event counted: keep the values by slot for the compiled fingerprint and JSON paths.
      const values = new Array<number>(n);
      for (let i = 0; i < n; i++) values[i] = this.vals[i]!;
      const data: SlotData = { schema: this.schema, schemaVersion: this.schema.version, values };
      Object.defineProperty(iv, SLOT_DATA, { value: data, enumerable: false });
    }
    // An event counted on some CPUs/threads and not on others is counted.
    if (iv.notCounted.length > 0) iv.notCounted = iv.notCounted.filter((e) => !(e in iv.counters));
    if (iv.unsupported.length > 0) iv.unsupported = iv.unsupported.filter((e) => !(e in iv.counters));
    this.prevT = iv.t;
    this.lastEmittedT = iv.t;
    this.opts.onInterval(iv);
  }
}

function newInterval(t: number, prevT: number | undefined): Interval {
  return {
    t,
    dt: prevT === undefined ? t : t - prevT,
    counters: {},
    running: {},
    units: {},
    notCounted: [],
    unsupported: [],
  };
}
