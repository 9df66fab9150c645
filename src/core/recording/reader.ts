import type { Interval } from '../perf/interval.ts';
import { LineSplitter, MAX_LINE_BYTES } from '../perf/lineSplitter.ts';
import { PerfStatParser } from '../perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../perf/reading.ts';
import { separatorProblem } from '../perf/separator.ts';
import { type CostRecord, DIRECTIVE_PREFIX, type EndRecord, type Gap, type Mark, type PacketsRecord, type RangeLabel, type RecordingMeta, type RevisionEndRecord, type RevisionRecord, RECORDING_FORMAT, RECORDING_VERSION } from './format.ts';

export interface RecordingHandlers {
  onInterval: (iv: Interval) => void;
  onDiagnostic?: (d: ParseDiagnostic) => void;
  onMeta?: (meta: RecordingMeta) => void;
  onMark?: (m: Mark) => void;
  onGap?: (g: Gap) => void;
  onLabel?: (l: RangeLabel) => void;
  onEnd?: (e: EndRecord) => void;
  onRevision?: (r: RevisionRecord) => void;
  onRevisionEnd?: (r: RevisionEndRecord) => void;
  /** Where the router's CPU went over a window (element cost, VPP nodes, OVS PMDs). */
  onCost?: (c: CostRecord) => void;
}

const DEFAULT_STREAM = '';
const PREFIX = Buffer.from(DIRECTIVE_PREFIX);

/**
 * Streaming reader of a `.vnflens` recording: routes perf's lines to one parser per
 * stream and hands directives to the handlers. Lines are cut from the bytes once and
 * given to the stream's parser in place, so a recording reads as fast as raw perf text.
 * A directive that cannot be used is reported and skipped; it never stops the read.
 */
export class RecordingParser {
  private readonly splitter: LineSplitter;
  private stream = DEFAULT_STREAM;
  private meta: RecordingMeta | undefined;
  private current: PerfStatParser | undefined;
  private readonly parsers = new Map<string, PerfStatParser>();
  /** Lines reported as unreadable or skipped, over every stream. */
  private ownBad = 0;
  /** Router packet counts waiting for their interval, per stream, by interval end time in ms. */
  private readonly packets = new Map<string, Map<number, PacketsRecord>>();
  /** The revision each stream is in, once the recording names one. */
  private readonly revisions = new Map<string, number>();

  constructor(private readonly h: RecordingHandlers) {
    this.splitter = new LineSplitter({
      line: (buf, start, end) => this.line(buf, start, end),
      longLine: (n) => this.diag(n, `line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB; skipped`, ''),
    });
  }

  push(chunk: string | Uint8Array): void {
    this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  end(): void {
    this.splitter.end();
    for (const parser of this.parsers.values()) parser.end();
  }

  /** Emits intervals waiting for their successor (live tailing after a quiet moment). */
  flush(): void {
    for (const parser of this.parsers.values()) parser.flush();
  }

  /** Lines that were reported and skipped. */
  get badLines(): number {
    let n = this.ownBad;
    for (const p of this.parsers.values()) n += p.badLines;
    return n;
  }

  private line(buf: Buffer, start: number, end: number): void {
    const lineNo = this.splitter.lines;
    if (end - start >= PREFIX.length && buf[start] === 35 /* # */ && buf.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) === 0) {
      this.directive(buf.toString('utf8', start + PREFIX.length, end), lineNo);
      return;
    }
    (this.current ??= this.parserFor(this.stream)).pushLine(buf, start, end, lineNo);
  }

  private parserFor(stream: string): PerfStatParser {
    let parser = this.parsers.get(stream);
    if (!parser) {
      const sep = this.meta?.separator;
      parser = new PerfStatParser({
        ...(sep !== undefined ? { separator: sep } : {}),
        onInterval: (iv) => {
          if (stream !== DEFAULT_STREAM) iv.stream = stream;
          const rev = this.revisions.get(stream);
          if (rev !== undefined) iv.revision = rev;
          const waiting = this.packets.get(stream);
          if (waiting !== undefined && waiting.size > 0) attachPackets(iv, waiting);
          this.h.onInterval(iv);
        },
        onDiagnostic: (d) => this.h.onDiagnostic?.(stream ? { ...d, message: `stream ${stream}: ${d.message}` } : d),
      });
      this.parsers.set(stream, parser);
    }
    return parser;
  }

  private diag(line: number, message: string, text: string): void {
    this.ownBad++;
    this.h.onDiagnostic?.({ line, message, text: text.slice(0, 200) });
  }

  private directive(json: string, line: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      this.diag(line, `recording directive is not valid JSON (${(e as Error).message}); skipped`, json);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.diag(line, 'recording directive is not a JSON object; skipped', json);
      return;
    }
    const d = parsed as Record<string, unknown>;
    const bad = (what: string) => this.diag(line, `recording directive: ${what}; skipped`, json);
    if (d['format'] === RECORDING_FORMAT) {
      const version = d['version'];
      if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return bad(`the header's "version" is ${JSON.stringify(version) ?? 'missing'}, not a format version`);
      if (version > RECORDING_VERSION) {
        throw new Error(`recording format version ${version} is newer than this VNF Lens reads (${RECORDING_VERSION}); update VNF Lens`);
      }
      const meta = this.checkedMeta(d['meta'], line, json);
      if (!meta) return;
      this.meta = meta;
      this.h.onMeta?.(meta);
    } else if ('stream' in d) {
      if (typeof d['stream'] !== 'string') return bad('"stream" is not a string');
      this.stream = d['stream'];
      this.current = undefined;
    } else if ('mark' in d) {
      const m = d['mark'] as Partial<Mark> | null;
      if (!isObject(m) || typeof m.t !== 'number' || !Number.isFinite(m.t) || typeof m.text !== 'string') return bad('a mark needs a finite "t" and a "text"');
      this.h.onMark?.(m as Mark);
    } else if ('gap' in d) {
      const g = d['gap'] as Partial<Gap> | null;
      if (!isObject(g) || (g.stream !== undefined && typeof g.stream !== 'string')) return bad('a gap must be an object whose "stream" is a string');
      // Rates after a gap must not be spread over the missing time.
      const dt = (this.meta?.intervalMs ?? 1000) / 1000;
      for (const [name, parser] of this.parsers) if (g.stream === undefined || g.stream === name) parser.gap(dt);
      this.h.onGap?.(g as Gap);
    } else if ('label' in d) {
      const l = d['label'] as Partial<RangeLabel> | null;
      if (!isObject(l) || typeof l.from !== 'number' || typeof l.to !== 'number' || !Number.isFinite(l.from) || !Number.isFinite(l.to)) return bad('a label needs finite "from" and "to" times');
      this.h.onLabel?.(l as RangeLabel);
    } else if ('packets' in d) {
      const p = d['packets'] as Partial<PacketsRecord> | null;
      if (!isObject(p) || !isFinite(p.t) || (p.stream !== undefined && typeof p.stream !== 'string')) return bad('packets need a finite "t" and a string "stream"');
      const notCount = (['rx', 'tx', 'dropped', 'rxBytes', 'txBytes'] as const).filter((k) => (k in p || !k.endsWith('Bytes')) && !isPacketCount(p[k]));
      if (notCount.length > 0) return bad(`packets ${notCount.map((k) => `"${k}" ${JSON.stringify(p[k]) ?? 'missing'}`).join(', ')}: counts are whole numbers from 0 to 2^53`);
      // Router counts follow their interval's perf lines, so the interval is still in its parser.
      const stream = p.stream ?? this.stream;
      let waiting = this.packets.get(stream);
      if (!waiting) this.packets.set(stream, (waiting = new Map()));
      const key = Math.round(p.t! * 1000);
      if (waiting.has(key)) this.diag(line, `a second packets line for stream ${stream} at t=${p.t}; the last one counts`, json);
      waiting.set(key, p as PacketsRecord);
    } else if ('revision' in d) {
      const r = d['revision'] as Partial<RevisionRecord> | null;
      if (!isObject(r) || typeof r.stream !== 'string' || !isPositiveInt(r.n) || !isPositiveInt(r.pid) || !isFinite(r.t)) return bad('a revision needs a "stream", whole "n" and "pid" and a finite "t"');
      // The intervals still in the stream's parser ended before the restart: they keep the old number.
      this.parsers.get(r.stream)?.flush();
      this.revisions.set(r.stream, r.n!);
      this.h.onRevision?.(r as RevisionRecord);
    } else if ('revisionEnd' in d) {
      const r = d['revisionEnd'] as Partial<RevisionEndRecord> | null;
      if (!isObject(r) || typeof r.stream !== 'string' || !isPositiveInt(r.n) || !isPositiveInt(r.pid)) return bad('a revision end needs a "stream" and whole "n" and "pid"');
      this.h.onRevisionEnd?.(r as RevisionEndRecord);
    } else if ('cost' in d) {
      const c = d['cost'] as Partial<CostRecord> | null;
      if (!isObject(c) || typeof c.at !== 'string' || typeof c.source !== 'string' || typeof c.windowS !== 'number') return bad('a cost record needs "at", "source" and "windowS"');
      this.h.onCost?.(c as CostRecord);
    } else if ('end' in d) {
      if (!isObject(d['end'])) return bad('"end" is not an object');
      this.h.onEnd?.(d['end'] as EndRecord);
    } else bad('unknown directive');
  }

  /** The header's metadata with unusable fields reported and dropped (a bad separator or interval length). */
  private checkedMeta(raw: unknown, line: number, json: string): RecordingMeta | undefined {
    if (!isObject(raw)) {
      this.diag(line, 'recording header has no "meta" object; header skipped', json);
      return undefined;
    }
    const meta = { ...(raw as unknown as RecordingMeta) };
    const ms = meta.intervalMs as unknown;
    if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms > 0)) {
      this.diag(line, `recording header: intervalMs ${JSON.stringify(ms)} is not a positive number of milliseconds; ignored`, '');
      delete (meta as Partial<RecordingMeta>).intervalMs;
    }
    const sep = meta.separator as unknown;
    if (sep !== undefined) {
      const problem = typeof sep === 'string' ? separatorProblem(sep) : 'the separator is not a string';
      if (problem) {
        this.diag(line, `recording header: ${problem}; detected from the data instead`, '');
        delete meta.separator;
      }
    }
    return meta;
  }
}

function isObject(x: unknown): x is object {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function isFinite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** What a router counter can honestly say about one interval: a whole number of packets or bytes. */
function isPacketCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 53;
}

/** Moves the counts recorded for this interval onto it (older ones left waiting had no interval). */
function attachPackets(iv: Interval, waiting: Map<number, PacketsRecord>): void {
  const key = Math.round(iv.t * 1000);
  const p = waiting.get(key);
  for (const k of waiting.keys()) if (k <= key) waiting.delete(k);
  if (p === undefined) return;
  const { stream: _s, t: _t, ...counts } = p;
  iv.packets = counts;
}
