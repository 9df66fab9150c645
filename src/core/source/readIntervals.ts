import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Interval } from '../perf/interval.ts';
import { MAX_LINE_BYTES } from '../perf/lineSplitter.ts';
import { PerfStatParser } from '../perf/perfStatParser.ts';
import { separatorProblem } from '../perf/separator.ts';
import { DIRECTIVE_PREFIX } from '../recording/format.ts';
import { RecordingParser, type RecordingHandlers } from '../recording/reader.ts';
import { looksLikeWideCsv, readWideCsv } from '../recording/wideCsv.ts';

export type InputKind = 'recording' | 'wide-csv' | 'perf';

/** A recording's handlers (less the intervals, which are yielded), and what the file turned out to be. */
export interface ReadOptions extends Omit<RecordingHandlers, 'onInterval' | 'onCost'> {
  onKind?: (kind: InputKind) => void;
  /** perf's `-x` separator, when known; detected otherwise. */
  separator?: string;
  /** Raw perf input's intervals may carry their values by slot alone (PerfStatParserOptions.slotValuesOnly). */
  slotValuesOnly?: boolean;
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
  for await (const batch of readIntervalBatches(path, opts)) yield* batch;
}

/** Same as readIntervals, in the batches one read of the file gives (fewer awaits for fast consumers). */
export async function* readIntervalBatches(path: string, opts: ReadOptions = {}): AsyncGenerator<Interval[]> {
  yield* readBatchesFrom(await openInput(path), path, opts);
}

/** `-` is standard input, so `perf stat … | vnf-lens replay -` works. */
async function openInput(path: string): Promise<AsyncIterable<Buffer | string>> {
  if (path === '-') return process.stdin as AsyncIterable<Buffer>;
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  if (info.isDirectory()) throw new Error(`${path} is a folder; give a recording or perf output file`);
  return info.isFile() ? fileChunks(path) : (createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>);
}

/**
 * A regular file's bytes in 128 KiB reads into one reused buffer: the readers copy
 * nothing they keep, so each chunk is done with before the next read. Small reads keep
 * each batch of intervals small enough to die young: with 1 MiB reads the batches
 * outlived the young generation's collections and replay cost a third more CPU.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${e.message}`);
  });
  try {
    const buf = Buffer.allocUnsafe(1 << 17);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** Same as readIntervals, from any source of text or byte chunks. */
export async function* readIntervalsFrom(source: AsyncIterable<string | Uint8Array>, name: string, opts: ReadOptions = {}): AsyncGenerator<Interval> {
  for await (const batch of readBatchesFrom(source, name, opts)) yield* batch;
}

async function* readBatchesFrom(source: AsyncIterable<string | Uint8Array>, name: string, opts: ReadOptions): AsyncGenerator<Interval[]> {
  const path = name === '-' ? 'standard input' : name;
  if (opts.separator !== undefined) {
    const problem = separatorProblem(opts.separator);
    if (problem) throw new Error(problem);
  }
  const queue: Interval[] = [];
  let kind: InputKind | undefined;
  let sink: Sink | undefined;
  let head: Buffer[] = [];
  let headLen = 0;
  let wide: Buffer[] = [];
  let sawBytes = false;
  const onInterval = (iv: Interval) => queue.push(iv);
  const decide = (): void => {
    const text = Buffer.concat(head);
    head = [];
    if (text.subarray(0, 4096).includes(0)) throw new Error(`${path} holds binary data (NUL bytes), not perf stat text or a recording`);
    const first = firstNonBlankLine(text);
    if (text.length >= MAX_LINE_BYTES && firstNonBlankLine(text, true) === undefined) throw new Error(`${path}: the first line is longer than ${MAX_LINE_BYTES / 2 ** 20} MiB; this is not perf stat output or a recording`);
    kind = sniffKind(first ?? '');
    opts.onKind?.(kind);
    if (kind === 'wide-csv') wide.push(text);
    else {
      sink = makeSink(kind, onInterval, opts);
      sink.push(text);
    }
  };
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (chunk.length === 0) continue;
    sawBytes = true;
    if (kind === undefined) {
      head.push(Buffer.from(chunk)); // a copy: file chunks share one buffer
      headLen += chunk.length;
      // Wait until the first line is whole (or cannot be), so the kind is judged on it.
      if (headLen < MAX_LINE_BYTES && firstNonBlankLine(Buffer.concat(head), true) === undefined) continue;
      decide();
    } else if (kind === 'wide-csv') wide.push(Buffer.from(chunk));
    else sink!.push(chunk);
    if (queue.length > 0) {
      // A copy, and the same queue array on: the parser's optimized code keeps pushing to an array of one shape.
      const batch = queue.slice();
      queue.length = 0;
      yield batch;
    }
  }
  if (kind === undefined) {
    if (!sawBytes || Buffer.concat(head).toString('utf8').trim() === '') throw new Error(`${path} is empty: no perf intervals to read`);
    decide();
  }
  if (kind === 'wide-csv') {
    const ivs = readWideCsv(Buffer.concat(wide).toString('utf8'), opts.onDiagnostic);
    wide = [];
    if (ivs.length > 0) yield ivs;
    return;
  }
  sink!.end();
  if (queue.length > 0) yield queue;
}

/** Reads a whole file into memory; for small inputs and tests. */
export async function readAllIntervals(path: string, opts: ReadOptions = {}): Promise<Interval[]> {
  const out: Interval[] = [];
  for await (const batch of readIntervalBatches(path, opts)) for (const iv of batch) out.push(iv);
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

interface Sink {
  push(s: string | Uint8Array): void;
  end(): void;
}

function makeSink(kind: InputKind, onInterval: (iv: Interval) => void, opts: ReadOptions): Sink {
  if (kind === 'recording') return new RecordingParser({ ...opts, onInterval });
  return new PerfStatParser({
    onInterval,
    ...(opts.separator !== undefined ? { separator: opts.separator } : {}),
    ...(opts.onDiagnostic ? { onDiagnostic: opts.onDiagnostic } : {}),
    ...(opts.slotValuesOnly ? { slotValuesOnly: true } : {}),
  });
}

/**
 * The first line with something on it, or undefined when there is none yet. With
 * `complete`, a line not yet ended (by LF, or CR for old Mac text) does not count.
 */
function firstNonBlankLine(bytes: Buffer, complete = false): string | undefined {
  const n = Math.min(bytes.length, MAX_LINE_BYTES);
  let pos = 0;
  while (pos < n) {
    let end = pos;
    while (end < n && bytes[end] !== 10 && bytes[end] !== 13) end++;
    if (end === n && complete) return undefined;
    const line = bytes.toString('utf8', pos, end);
    if (line.trim() !== '') return line;
    pos = end + 1;
  }
  return undefined;
}
