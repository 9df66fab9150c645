import type { ResultPromise } from 'execa';
import type { ExitInfo, StreamedProcess } from './host.ts';

/**
 * Adapts an execa subprocess to StreamedProcess. With `pidLine`, the first stdout
 * line is the process id printed by the remote wrapper shell; it is taken off the
 * stream and resolves `targetPid`.
 */
export class ExecaStream implements StreamedProcess {
  readonly targetPid: Promise<number | undefined>;
  readonly done: Promise<ExitInfo>;
  private resolvePid!: (pid: number | undefined) => void;
  private stdoutCbs: ((text: string) => void)[] = [];
  private stderrCbs: ((text: string) => void)[] = [];
  private head = '';
  private pidSeen: boolean;

  constructor(
    private readonly sub: ResultPromise,
    pidLine: boolean,
  ) {
    this.pidSeen = !pidLine;
    this.targetPid = new Promise((resolve) => (this.resolvePid = resolve));
    if (!pidLine) this.resolvePid(sub.pid);
    // A helper that exits while a request is being written must not crash the process (EPIPE).
    sub.stdin?.on('error', () => {});
    sub.stdout?.setEncoding('utf8');
    sub.stderr?.setEncoding('utf8');
    sub.stdout?.on('data', (text: string) => this.stdout(text));
    sub.stderr?.on('data', (text: string) => {
      for (const cb of this.stderrCbs) cb(text);
    });
    this.done = sub.then((r) => {
      this.resolvePid(undefined);
      const info: ExitInfo = { exitCode: r.exitCode };
      if (r.signal !== undefined) info.signal = r.signal;
      const code = (r as { code?: string }).code;
      if (r.failed && r.exitCode === undefined && r.signal === undefined && code !== undefined) info.spawnError = code;
      return info;
    });
  }

  onStdout(cb: (text: string) => void): void {
    this.stdoutCbs.push(cb);
  }

  onStderr(cb: (text: string) => void): void {
    this.stderrCbs.push(cb);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.sub.kill(signal);
  }

  write(text: string): boolean {
    const stdin = this.sub.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return false;
    stdin.write(text);
    return true;
  }

  private stdout(text: string): void {
    if (!this.pidSeen) {
      this.head += text;
      const nl = this.head.indexOf('\n');
      if (nl < 0) return;
      this.pidSeen = true;
      const pid = Number(this.head.slice(0, nl).trim());
      this.resolvePid(Number.isInteger(pid) && pid > 0 ? pid : undefined);
      text = this.head.slice(nl + 1);
      this.head = '';
      if (text === '') return;
    }
    for (const cb of this.stdoutCbs) cb(text);
  }
}
