import type { Interval } from '../perf/interval.ts';
import { PerfStatParser } from '../perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../perf/reading.ts';
import { DIRECTIVE_PREFIX, type EndRecord, type Gap, type Mark, type RangeLabel, type RecordingMeta, RECORDING_FORMAT, RECORDING_VERSION } from './format.ts';

export interface RecordingHandlers {
  onInterval: (iv: Interval) => void;
  onDiagnostic?: (d: ParseDiagnostic) => void;
  onMeta?: (meta: RecordingMeta) => void;
  onMark?: (m: Mark) => void;
  onGap?: (g: Gap) => void;
  onLabel?: (l: RangeLabel) => void;
  onEnd?: (e: EndRecord) => void;
}

const DEFAULT_STREAM = '';

/**
 * Streaming reader of a `.vnflens` recording: routes perf's lines to one parser per
 * stream and hands directives to the handlers. Perf text between directives is
 * passed in bulk, so a single-stream recording reads as fast as raw perf text.
 */
export class RecordingParser {
  private rest = '';
  private lineNo = 0;
  private stream = DEFAULT_STREAM;
  private meta: RecordingMeta | undefined;
  private readonly parsers = new Map<string, { parser: PerfStatParser; firstLine: number }>();

  constructor(private readonly h: RecordingHandlers) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < 0) {
      this.rest = text;
      return;
    }
    this.rest = text.slice(lastNl + 1);
    this.process(text.slice(0, lastNl + 1));
  }

  end(): void {
    if (this.rest.length > 0) {
      const r = this.rest;
      this.rest = '';
      this.process(r + '\n');
    }
    for (const { parser } of this.parsers.values()) parser.end();
  }

  /** Emits intervals waiting for their successor (live tailing after a quiet moment). */
  flush(): void {
    for (const { parser } of this.parsers.values()) parser.flush();
  }

  private process(block: string): void {
    let pos = 0;
    while (pos < block.length) {
      const at = block.startsWith(DIRECTIVE_PREFIX, pos) ? pos : block.indexOf('\n' + DIRECTIVE_PREFIX, pos - 1);
      if (at < 0) {
        this.perf(block.slice(pos));
        return;
      }
      const dirStart = block.charCodeAt(at) === 10 ? at + 1 : at;
      if (dirStart > pos) this.perf(block.slice(pos, dirStart));
      const eol = block.indexOf('\n', dirStart);
      this.lineNo++;
      this.directive(block.slice(dirStart + DIRECTIVE_PREFIX.length, eol));
      pos = eol + 1;
    }
  }

  private perf(text: string): void {
    let entry = this.parsers.get(this.stream);
    if (!entry) {
      const stream = this.stream;
      const base = this.lineNo;
      const parser = new PerfStatParser({
        ...(this.meta?.separator !== undefined ? { separator: this.meta.separator } : {}),
        onInterval: (iv) => {
          if (stream !== DEFAULT_STREAM) iv.stream = stream;
          this.h.onInterval(iv);
        },
        onDiagnostic: (d) => this.h.onDiagnostic?.({ ...d, message: stream ? `stream ${stream}: ${d.message}` : d.message, line: d.line + base }),
      });
      entry = { parser, firstLine: base };
      this.parsers.set(stream, entry);
    }
    // Line numbers in diagnostics are approximate once streams interleave; they stay within the stream's text.
    entry.parser.push(text);
    this.lineNo += countNewlines(text);
  }

  private directive(json: string): void {
    let d: Record<string, unknown>;
    try {
      d = JSON.parse(json) as Record<string, unknown>;
    } catch (e) {
      this.h.onDiagnostic?.({ line: this.lineNo, message: `recording directive is not valid JSON (${(e as Error).message}); skipped`, text: json.slice(0, 200) });
      return;
    }
    if (d['format'] === RECORDING_FORMAT) {
      if (typeof d['version'] !== 'number' || d['version'] > RECORDING_VERSION) {
        throw new Error(`recording format version ${String(d['version'])} is newer than this VNF Lens reads (${RECORDING_VERSION}); update VNF Lens`);
      }
      this.meta = d['meta'] as RecordingMeta;
      this.h.onMeta?.(this.meta);
    } else if (typeof d['stream'] === 'string') this.stream = d['stream'];
    else if (d['mark']) this.h.onMark?.(d['mark'] as Mark);
    else if (d['gap']) {
      const g = d['gap'] as Gap;
      // Rates after a gap must not be spread over the missing time.
      const dt = (this.meta?.intervalMs ?? 1000) / 1000;
      for (const [name, { parser }] of this.parsers) if (g.stream === undefined || g.stream === name) parser.gap(dt);
      this.h.onGap?.(g);
    }
    else if (d['label']) this.h.onLabel?.(d['label'] as RangeLabel);
    else if (d['end']) this.h.onEnd?.(d['end'] as EndRecord);
    else this.h.onDiagnostic?.({ line: this.lineNo, message: 'unknown recording directive; skipped', text: json.slice(0, 200) });
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
