import type { HostRunner, StreamedProcess } from '../host/host.ts';
import { lastLines } from '../host/sshErrors.ts';
import { CounterError } from './counterSource.ts';
import { helperArgv } from './helperScript.ts';

type Answer = Record<string, unknown>;

/** The helper's longest honest answer is one capped reply per handler; far more is a broken helper. */
const MAX_ANSWER_CHARS = 64 << 20;

interface Pending {
  resolve: (a: Answer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The python3 counter helper running on a host: requests go in as JSON lines, one
 * answer per request comes back. Answers carry the request's id, so one that comes
 * after its timeout is dropped instead of being taken for the next request's.
 */
export class HelperProcess {
  private readonly proc: StreamedProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private rest = '';
  private stderrTail = '';
  private exitedWith: string | undefined;
  private readonly ready: Promise<void>;

  private constructor(
    private readonly host: HostRunner,
    args: readonly string[],
    private readonly what: string,
    idleS: number,
  ) {
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.proc = host.spawn(helperArgv('python3', [String(idleS), ...args]), { stdin: true });
    this.proc.onStderr((t) => (this.stderrTail = (this.stderrTail + t).slice(-4000)));
    this.proc.onStdout((t) => this.stdout(t, resolveReady));
    void this.proc.done.then((info) => {
      const said = lastLines(this.stderrTail, 2);
      const notFound = info.spawnError === 'ENOENT' || info.exitCode === 127;
      this.exitedWith = notFound
        ? `python3 is not installed on ${host.label}; the ${what} reader needs it (Debian: apt install python3)`
        : `the ${what} reader on ${host.label} exited (${info.exitCode !== undefined ? `exit ${info.exitCode}` : `signal ${info.signal ?? info.spawnError ?? '?'}`})${said ? `: ${said}` : ''}`;
      const err = new CounterError(this.exitedWith);
      rejectReady(err);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      this.pending.clear();
    });
  }

  /**
   * Starts the helper; resolves once it said it is ready. It exits by itself after
   * `idleS` seconds without a request (a session that died without closing it).
   */
  static async start(host: HostRunner, args: readonly string[], what: string, opts: { timeoutMs?: number; idleS?: number } = {}): Promise<HelperProcess> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const h = new HelperProcess(host, args, what, opts.idleS ?? 120);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        h.ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CounterError(`the ${what} reader on ${host.label} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } catch (e) {
      h.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return h;
  }

  get alive(): boolean {
    return this.exitedWith === undefined;
  }

  /** Sends a request; the answer, or a CounterError when it errs, times out or the helper is gone. */
  request(req: Answer, timeoutMs: number): Promise<Answer> {
    if (this.exitedWith !== undefined) return Promise.reject(new CounterError(this.exitedWith));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CounterError(`the ${this.what} reader on ${this.host.label} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      // `ms` lets the helper give up on a slow peer before this side does, so the next request is not queued behind it.
      if (!this.proc.write(JSON.stringify({ ...req, id, ms: Math.max(1, Math.round(timeoutMs)) }) + '\n')) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new CounterError(this.exitedWith ?? `the ${this.what} reader on ${this.host.label} no longer takes requests`));
      }
    });
  }

  close(): void {
    this.proc.kill('SIGTERM');
  }

  /** Resolves once the helper process has exited. */
  get done(): Promise<unknown> {
    return this.proc.done;
  }

  private stdout(text: string, ready: () => void): void {
    const all = this.rest + text;
    const lines = all.split('\n');
    this.rest = lines.pop()!;
    if (this.rest.length > MAX_ANSWER_CHARS) {
      // The helper caps what it reads from a peer; an answer this long means something is badly wrong.
      this.rest = '';
      this.close();
    }
    for (const line of lines) {
      if (line.trim() === '') continue;
      let a: Answer;
      try {
        a = JSON.parse(line) as Answer;
      } catch {
        continue;
      }
      if ('ready' in a) {
        ready();
        continue;
      }
      const p = this.pending.get(Number(a['id']));
      if (!p) continue;
      this.pending.delete(Number(a['id']));
      clearTimeout(p.timer);
      if (typeof a['error'] === 'string') p.reject(new CounterError(a['error'], true, a['closed'] === true));
      else p.resolve(a);
    }
  }
}
