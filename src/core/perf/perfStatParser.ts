import { readCsvLine } from './csvLine.ts';
import { readHumanLine } from './humanLine.ts';
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
  /** How many lines (CPUs/threads) contributed to each event of the current interval. */
  private contributions: Record<string, number> = {};
  private prevT: number | undefined;
  private lastEmittedT: number | undefined;
  private readonly opts: PerfStatParserOptions;
  /** Layout of the most recent data line. */
  layout: PerfLayout | undefined;

  constructor(opts: PerfStatParserOptions) {
    this.opts = opts;
    this.separator = opts.separator;
  }

  push(chunk: string): void {
    let text = this.rest.length > 0 ? this.rest + chunk : chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = start === 0 ? text : text.slice(start);
    text = '';
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

  private add(r: Reading): void {
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
      this.contributions = {};
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
        const prev = iv.counters[r.event];
        if (prev === undefined) {
          iv.counters[r.event] = r.value!;
          iv.running[r.event] = r.running;
          if (r.unit !== '') iv.units[r.event] = r.unit;
        } else {
          // Another CPU/thread of the same event: sum the values, average the coverage.
          const n = this.contributions[r.event] ?? 1;
          this.contributions[r.event] = n + 1;
          iv.counters[r.event] = prev + r.value!;
          iv.running[r.event] = (iv.running[r.event]! * n + r.running) / (n + 1);
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
