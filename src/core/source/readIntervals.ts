import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Interval } from '../perf/interval.ts';
import { PerfStatParser } from '../perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../perf/reading.ts';
import type { EndRecord, Gap, Mark, RangeLabel, RecordingMeta } from '../recording/format.ts';
import { DIRECTIVE_PREFIX } from '../recording/format.ts';
import { RecordingParser } from '../recording/reader.ts';
import { looksLikeWideCsv, readWideCsv } from '../recording/wideCsv.ts';

export type InputKind = 'recording' | 'wide-csv' | 'perf';

export interface ReadOptions {
  onDiagnostic?: (d: ParseDiagnostic) => void;
  onMeta?: (meta: RecordingMeta) => void;
  onMark?: (m: Mark) => void;
  onGap?: (g: Gap) => void;
  onLabel?: (l: RangeLabel) => void;
  onEnd?: (e: EndRecord) => void;
  onKind?: (kind: InputKind) => void;
  /** perf's `-x` separator, when known; detected otherwise. */
  separator?: string;
}

/** Decides from the first non-blank line what kind of input a file is. */
export function sniffKind(firstLine: string): InputKind {
  if (firstLine.startsWith(DIRECTIVE_PREFIX)) return 'recording';
  if (looksLikeWideCsv(firstLine)) return 'wide-csv';
  return 'perf';
}

/**
 * Every interval of a file — a `.vnflens` recording, raw perf text (any layout), or
 * the paper's wide CSV — in file order, streamed as it is read.
 */
export async function* readIntervals(path: string, opts: ReadOptions = {}): AsyncGenerator<Interval> {
  yield* readIntervalsFrom(await openText(path), path, opts);
}

/** `-` is standard input, so `perf stat … | vnf-lens replay -` works. */
async function openText(path: string): Promise<AsyncIterable<string>> {
  if (path === '-') {
    process.stdin.setEncoding('utf8');
    return process.stdin as AsyncIterable<string>;
  }
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  if (info.isDirectory()) throw new Error(`${path} is a folder; give a recording or perf output file`);
  return createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>;
}

/** Same as readIntervals, from any source of text chunks. */
export async function* readIntervalsFrom(source: AsyncIterable<string>, name: string, opts: ReadOptions = {}): AsyncGenerator<Interval> {
  const path = name === '-' ? 'standard input' : name;
  const queue: Interval[] = [];
  let kind: InputKind | undefined;
  let sink: { push(s: string): void; end(): void } | undefined;
  let wide = '';
  const onInterval = (iv: Interval) => queue.push(iv);
  for await (const chunk of source) {
    if (kind === undefined) {
      const first = firstNonBlankLine(chunk);
      if (first === undefined && chunk.length < 4096) {
        wide += chunk; // too little to tell yet
        continue;
      }
      kind = sniffKind(first ?? '');
      opts.onKind?.(kind);
      sink = makeSink(kind, onInterval, opts);
      if (kind === 'wide-csv') wide += chunk;
      else {
        sink.push(wide + chunk);
        wide = '';
      }
    } else if (kind === 'wide-csv') wide += chunk;
    else sink!.push(chunk);
    while (queue.length > 0) yield queue.shift()!;
  }
  if (kind === undefined) {
    if (wide.trim() === '') throw new Error(`${path} is empty: no perf intervals to read`);
    kind = sniffKind(wide.split('\n').find((l) => l.trim() !== '') ?? '');
    opts.onKind?.(kind);
    sink = makeSink(kind, onInterval, opts);
    if (kind !== 'wide-csv') {
      sink.push(wide);
      wide = '';
    }
  }
  if (kind === 'wide-csv') {
    for (const iv of readWideCsv(wide, opts.onDiagnostic)) yield iv;
    return;
  }
  sink!.end();
  while (queue.length > 0) yield queue.shift()!;
}

/** Reads a whole file into memory; for small inputs and tests. */
export async function readAllIntervals(path: string, opts: ReadOptions = {}): Promise<Interval[]> {
  const out: Interval[] = [];
  for await (const iv of readIntervals(path, opts)) out.push(iv);
  return out;
}

/** Intervals from text already in memory (e.g. perf output captured by a test). */
export function parsePerfText(text: string, opts: ReadOptions = {}): Interval[] {
  const out: Interval[] = [];
  const kind = sniffKind(text.split('\n', 50).find((l) => l.trim() !== '') ?? '');
  if (kind === 'wide-csv') return readWideCsv(text, opts.onDiagnostic);
  const sink = makeSink(kind, (iv) => out.push(iv), opts);
  sink.push(text);
  sink.end();
  return out;
}

function makeSink(kind: InputKind, onInterval: (iv: Interval) => void, opts: ReadOptions): { push(s: string): void; end(): void } {
  if (kind === 'recording') return new RecordingParser({ ...opts, onInterval });
  return new PerfStatParser({
    onInterval,
    ...(opts.separator !== undefined ? { separator: opts.separator } : {}),
    ...(opts.onDiagnostic ? { onDiagnostic: opts.onDiagnostic } : {}),
  });
}

function firstNonBlankLine(text: string): string | undefined {
  let pos = 0;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const line = text.slice(pos, nl < 0 ? undefined : nl);
    if (line.trim() !== '') {
      // A line without its newline may be cut: only trust it if the text goes on.
      return nl < 0 && text.length < 4096 ? undefined : line;
    }
    if (nl < 0) return undefined;
    pos = nl + 1;
  }
}

