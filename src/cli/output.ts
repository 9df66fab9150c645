import { ByteWriter } from '../core/perf/byteWriter.ts';

/**
 * Buffered stdout that respects back-pressure: lines are gathered and written in
 * blocks, and `flush()` waits for the pipe to drain, so a slow reader never makes
 * the process buffer a whole file.
 */
export class Output {
  private buf: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  line(s: string): void {
    this.buf.push(s);
    this.size += s.length + 1;
  }

  /** Writes what is buffered when there is a lot of it, or always when `force`. */
  async flush(force = true): Promise<void> {
    if (this.buf.length === 0 || (!force && this.size < 1 << 16)) return;
    const text = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
    if (!this.stream.write(text)) await drained(this.stream);
  }
}

/**
 * Output built as bytes in 1 MiB blocks (see ByteWriter) and written whole; `drain()`
 * waits only when the stream asked for it, so a slow reader never makes the process
 * buffer a whole file and a fast one costs no await per line.
 */
export class ByteOutput {
  readonly w: ByteWriter;
  private blocked = false;
  private failure: Error | undefined;

  /** Blocks the stream has written, to be filled again. */
  private readonly free: Buffer[] = [];

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    const size = 1 << 20;
    this.w = new ByteWriter(
      (chunk, block) => {
        const ok = this.stream.write(chunk, (e) => {
          if (!e && block.length === size && this.free.length < 4) this.free.push(block);
        });
        if (!ok) this.blocked = true;
      },
      size,
      () => this.free.pop(),
      // A small first block fills within the first intervals, while the writers still
      // gather type feedback: compiled later, they know the block-full path, instead of
      // being thrown away and compiled again when the first 1 MiB block fills.
      1 << 14,
    );
    this.stream.on('error', (e: Error) => (this.failure = e));
  }

  /** Writes what is buffered (`force`), then waits if the stream is full. */
  async drain(force = false): Promise<void> {
    if (force) this.w.flush();
    if (this.failure) throw this.failure;
    if (!this.blocked) return;
    this.blocked = false;
    await drained(this.stream);
  }
}

/** Diagnostics go to stderr, at most `limit` of them, then a count of the rest. */
export class DiagnosticPrinter {
  private shown = 0;
  private hidden = 0;

  constructor(
    private readonly file: string,
    private readonly limit = 20,
  ) {}

  /** Diagnostics reported so far, shown or not. */
  get count(): number {
    return this.shown + this.hidden;
  }

  report = (d: { line: number; message: string; text: string }): void => {
    if (this.shown >= this.limit) {
      this.hidden++;
      return;
    }
    this.shown++;
    process.stderr.write(`vnf-lens: warning: ${terminalSafe(`${this.file}:${d.line}: ${d.message}`)}${d.text ? ` — ${terminalSafe(JSON.stringify(d.text))}` : ''}\n`);
  };

  summary(): void {
    if (this.hidden > 0) process.stderr.write(`vnf-lens: warning: ${this.hidden} more unreadable lines in ${terminalSafe(this.file)} were skipped\n`);
  }
}

// C0 controls (ESC, BEL, CR, BS …), DEL and the C1 range, which terminals read as escapes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- as above, newlines kept
const CONTROL_KEEP_NL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from outside (command lines, file names, stream names, perf's stderr, error
 * messages) made safe for a terminal: control characters are shown escaped (`\x1b`)
 * instead of being sent raw, so nothing can move the cursor, retitle the window or
 * hide what is printed.
 */
export function terminalSafe(text: string, opts: { keepNewlines?: boolean } = {}): string {
  return text.replace(opts.keepNewlines ? CONTROL_KEEP_NL : CONTROL, escapeControl);
}

function escapeControl(c: string): string {
  if (c === '\t') return '\\t';
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A line for stderr (`vnf-lens: …`), made terminal-safe. */
export function say(message: string): void {
  process.stderr.write(`vnf-lens: ${terminalSafe(message, { keepNewlines: true })}\n`);
}

/** Resolves when a stream that refused a write has drained; rejects on its error. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      stream.off('error', fail);
      resolve();
    };
    const fail = (e: Error) => {
      stream.off('drain', done);
      reject(e);
    };
    stream.once('drain', done);
    stream.once('error', fail);
  });
}
