import type { Interval } from '../perf/interval.ts';
import { PerfStatParser } from '../perf/perfStatParser.ts';
import type { ExitInfo, HostRunner, StreamedProcess } from '../host/host.ts';

export interface PerfRunOptions {
  host: HostRunner;
  argv: string[];
  stream: string;
  /** Seconds added to perf's interval times, so a restarted perf continues the stream's clock. */
  offsetS: number;
  /** Lines perf prints per interval: once they are in, the interval is emitted at once. */
  linesPerInterval: number;
  /** Emit an interval after this long without new output, even if it looks incomplete. */
  quietMs: number;
  /** Complete lines as received (times shifted), to be recorded before the interval is emitted. */
  onLines(text: string): void;
  onInterval(iv: Interval): void;
  onStderr(line: string): void;
  onDiagnostic(message: string): void;
}

const TIME_FIELD = /^\s*\d+\.\d+$/;

/**
 * One perf process for one stream, from start to exit. perf writes each interval's
 * lines in one burst; the parser only knows an interval is over when the next one
 * starts, so the run counts the lines of the current interval and emits it as soon
 * as all are in (or after a quiet moment), instead of one interval late.
 */
export class PerfRun {
  readonly proc: StreamedProcess;
  /** Resolves once perf has exited and everything it printed was handed on. */
  readonly exited: Promise<ExitInfo>;
  /** Wall-clock ms of the last output (for gap records). */
  lastDataAt: number | undefined;
  readonly startedAt = Date.now();
  private readonly parser: PerfStatParser;
  private rest = '';
  private stderrRest = '';
  private readonly stderrTail: string[] = [];
  private curT: string | undefined;
  private curCount = 0;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: PerfRunOptions) {
    this.parser = new PerfStatParser({
      separator: ',',
      onInterval: (iv) => {
        this.pending = false;
        iv.t = shiftT(iv.t, o.offsetS);
        iv.stream = o.stream;
        o.onInterval(iv);
      },
      onDiagnostic: (d) => o.onDiagnostic(`stream ${o.stream}: perf line ${d.line}: ${d.message}${d.text ? ` (${JSON.stringify(d.text)})` : ''}`),
    });
    this.proc = o.host.spawn(o.argv);
    this.proc.onStdout((t) => this.stdout(t));
    this.proc.onStderr((t) => this.stderr(t));
    this.exited = this.proc.done.then((info) => {
      this.finish();
      return info;
    });
  }

  /** perf's last stderr lines, for error messages. */
  get lastStderr(): string[] {
    return [...this.stderrTail];
  }

  /** Asks perf to stop (SIGINT: it prints the interval in progress, then exits); kills it after `graceMs`. */
  async stop(graceMs: number): Promise<ExitInfo> {
    const pid = this.o.host.remote ? await Promise.race([this.proc.targetPid, delay(graceMs).then(() => undefined)]) : undefined;
    let signalled = false;
    if (this.o.host.remote) {
      if (pid !== undefined) signalled = await this.o.host.signal(pid, 'INT');
    } else {
      this.proc.kill('SIGINT');
      signalled = true;
    }
    if (!signalled) this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the run at once (its connection is gone); what was received is still handed on. */
  abandon(): Promise<ExitInfo> {
    this.proc.kill('SIGKILL');
    return this.exited;
  }

  private stdout(text: string): void {
    this.lastDataAt = Date.now();
    const all = this.rest + text;
    const nl = all.lastIndexOf('\n');
    if (nl < 0) {
      this.rest = all;
      return;
    }
    this.rest = all.slice(nl + 1);
    const block = all.slice(0, nl + 1);
    const lines = block.split('\n');
    lines.pop();
    const out: string[] = [];
    for (const line of lines) {
      const comma = line.indexOf(',');
      const head = comma < 0 ? '' : line.slice(0, comma);
      if (TIME_FIELD.test(head)) {
        if (head !== this.curT) {
          this.curT = head;
          this.curCount = 0;
        }
        this.curCount++;
        this.pending = true;
        out.push(this.o.offsetS === 0 ? line : shiftLine(line, head, comma, this.o.offsetS));
      } else out.push(line);
    }
    this.o.onLines(out.join('\n') + '\n');
    this.parser.push(block);
    if (this.curCount >= this.o.linesPerInterval) this.emitNow();
    else if (this.pending) this.armQuietTimer();
  }

  private emitNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.parser.flush();
  }

  private armQuietTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.parser.flush();
    }, this.o.quietMs);
  }

  private stderr(text: string): void {
    const all = this.stderrRest + text;
    const lines = all.split('\n');
    this.stderrRest = lines.pop()!;
    for (const l of lines) this.stderrLine(l);
  }

  private stderrLine(line: string): void {
    if (line.trim() === '') return;
    this.stderrTail.push(line);
    if (this.stderrTail.length > 20) this.stderrTail.shift();
    this.o.onStderr(line);
  }

  private finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A last line without newline was cut off when perf died: it cannot be trusted.
    if (this.rest.trim() !== '') this.o.onDiagnostic(`stream ${this.o.stream}: perf's output ended inside a line; dropped ${JSON.stringify(this.rest.slice(0, 120))}`);
    this.rest = '';
    if (this.stderrRest !== '') this.stderrLine(this.stderrRest);
    this.stderrRest = '';
    this.parser.end();
  }
}

function shiftT(t: number, offsetS: number): number {
  return offsetS === 0 ? t : Number((t + offsetS).toFixed(9));
}

/** Rewrites the interval time at the start of a CSV line, keeping perf's layout. */
function shiftLine(line: string, head: string, comma: number, offsetS: number): string {
  const t = (Number(head) + offsetS).toFixed(9);
  return t.padStart(head.length) + line.slice(comma);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
