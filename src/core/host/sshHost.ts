import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { createControlDir, guardMaster } from './controlDir.ts';
import { LiveError } from './errors.ts';
import { execaLoaded, loadExeca } from './exec.ts';
import type { HostRunner, RunResult, Signal, SpawnOptions, StreamedProcess } from './host.ts';
import { remoteCommandLine } from './shellQuote.ts';
import { classifySshFailure, lastLines } from './sshErrors.ts';
import { ExecaStream } from './streamedProcess.ts';
import { type SshTarget, describeTarget } from './target.ts';

/** The wrapper that reports perf's remote pid (so it can be signalled) and then becomes perf. */
const PID_WRAPPER = ['sh', '-c', 'echo $$; exec "$@"', 'vnf-lens'];

/**
 * A lab host over the system OpenSSH client, so keys, agents, ProxyJump and
 * known_hosts behave as in the user's terminal. One master connection
 * (ControlMaster) is opened per host and every command is a multiplexed session
 * on it. BatchMode makes ssh fail instead of prompting for a password. The master
 * never outlives this process: a watchdog ends it after a kill -9 (controlDir.ts).
 */
export class SshHost implements HostRunner {
  readonly remote = true;
  readonly label: string;
  private dir: string | undefined;
  private master: ResultPromise | undefined;
  private masterStderr = '';
  private isConnected = false;
  private closing = false;
  private readonly disconnectCbs = new Set<(reason: string) => void>();
  private readonly children = new Set<StreamedProcess>();

  constructor(
    readonly target: SshTarget,
    private readonly abort?: AbortSignal,
  ) {
    this.label = describeTarget(target);
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Starts the master connection; resolves once its control socket accepts sessions. */
  async connect(): Promise<void> {
    if (this.isConnected) return;
    if (this.closing) throw new LiveError('cancelled', `connection to ${this.label} is closed`);
    this.dir ??= createControlDir();
    const socket = this.socketPath();
    rmSync(socket, { force: true });
    this.masterStderr = '';
    const execa = (await loadExeca()).execa;
    const master = execa(this.sshPath(), [...this.options(), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-N', '--', this.target.host], {
      reject: false,
      buffer: false,
      stdin: 'ignore',
      stdout: 'ignore',
      forceKillAfterDelay: 2000,
      ...(this.abort ? { cancelSignal: this.abort } : {}),
    });
    this.master = master;
    if (master.pid !== undefined) guardMaster(this.dir, master.pid);
    master.stderr?.setEncoding('utf8');
    master.stderr?.on('data', (t: string) => {
      this.masterStderr = (this.masterStderr + t).slice(-8192);
    });
    let exited = false;
    const ended = master.then((r) => {
      exited = true;
      return r;
    });
    const limitMs = (this.target.connectTimeoutS ?? 10) * 2000 + 10_000;
    const started = Date.now();
    while (!existsSync(socket)) {
      if (exited) {
        const r = await ended;
        if ((r as { code?: string }).code === 'ENOENT') throw new LiveError('ssh', `the ssh client ${this.sshPath()} was not found; install OpenSSH (Debian: apt install openssh-client)`);
        throw classifySshFailure(this.masterStderr, r.exitCode, this.errorContext());
      }
      if (this.abort?.aborted) {
        master.kill();
        throw new LiveError('cancelled', `connecting to ${this.label} was cancelled`);
      }
      if (Date.now() - started > limitMs) {
        master.kill();
        throw new LiveError('connect', `connecting to ${this.label} took more than ${Math.round(limitMs / 1000)} s (${lastLines(this.masterStderr, 2) || 'no message from ssh'})`);
      }
      await delay(10);
    }
    this.isConnected = true;
    void ended.then((r) => {
      if (this.master !== master) return;
      this.isConnected = false;
      if (this.closing) return;
      const why = lastLines(this.masterStderr, 2) || `ssh exited${r.exitCode !== undefined ? ` with ${r.exitCode}` : r.signal ? ` on ${r.signal}` : ''}`;
      for (const cb of this.disconnectCbs) cb(`connection to ${this.label} lost: ${why}`);
    });
  }

  onDisconnect(cb: (reason: string) => void): () => void {
    this.disconnectCbs.add(cb);
    return () => this.disconnectCbs.delete(cb);
  }

  async run(argv: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    this.requireConnection();
    const r = await execaLoaded()(this.sshPath(), this.sessionArgs(argv), {
      reject: false,
      stdin: 'ignore',
      stripFinalNewline: false,
      timeout: opts.timeoutMs ?? 30_000,
      forceKillAfterDelay: 2000,
      ...(this.abort ? { cancelSignal: this.abort } : {}),
    });
    if (r.exitCode === 255 && !this.isConnected) throw new LiveError('connect', `connection to ${this.label} lost while running ${argv[0]}`);
    if (r.exitCode === 255 && /Session open refused|session request failed/.test(r.stderr)) throw this.sessionRefused(r.stderr);
    const out: RunResult = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    if (r.signal !== undefined) out.signal = r.signal;
    return out;
  }

  spawn(argv: readonly string[], opts: SpawnOptions = {}): StreamedProcess {
    this.requireConnection();
    const sub = execaLoaded()(this.sshPath(), this.sessionArgs([...PID_WRAPPER, ...argv]), {
      reject: false,
      buffer: false,
      stdin: opts.stdin ? 'pipe' : 'ignore',
      forceKillAfterDelay: 2000,
      ...(this.abort ? { cancelSignal: this.abort } : {}),
    });
    const s = new ExecaStream(sub, true);
    this.children.add(s);
    void s.done.then(() => this.children.delete(s));
    return s;
  }

  async signal(pid: number, sig: Signal): Promise<boolean> {
    if (!this.isConnected) return false;
    try {
      const r = await this.run(['kill', `-${sig}`, String(pid)], { timeoutMs: 5000 });
      return r.exitCode === 0;
    } catch {
      return false;
    }
  }

  /** Drops the connection without closing the host (it can connect again). */
  async disconnect(): Promise<void> {
    const master = this.master;
    this.master = undefined;
    this.isConnected = false;
    for (const c of this.children) c.kill('SIGKILL');
    if (master) {
      master.kill('SIGTERM');
      await master;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const waits = [...this.children].map((c) => {
      c.kill('SIGTERM');
      return c.done;
    });
    await Promise.all(waits);
    await this.disconnect();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /** Options common to the master and its sessions; the command line wins over the config file. */
  private options(): string[] {
    const t = this.target;
    const o = [
      ...(t.configFile !== undefined ? ['-F', t.configFile] : []),
      '-o',
      'BatchMode=yes',
      '-o',
      `ConnectTimeout=${t.connectTimeoutS ?? 10}`,
      '-o',
      `ServerAliveInterval=${t.serverAliveIntervalS ?? 5}`,
      '-o',
      `ServerAliveCountMax=${t.serverAliveCountMax ?? 3}`,
      '-o',
      `ControlPath=${this.socketPath()}`,
      '-o',
      'RemoteCommand=none',
      '-T',
    ];
    if (t.port !== undefined) o.push('-p', String(t.port));
    if (t.user !== undefined) o.push('-l', t.user);
    return o;
  }

  /**
   * A session on the master. ProxyCommand=false makes the client fail instead of
   * quietly opening a second connection when the master is gone.
   */
  private sessionArgs(argv: readonly string[]): string[] {
    return [...this.options(), '-o', 'ControlMaster=no', '-o', 'ProxyCommand=false', '--', this.target.host, remoteCommandLine(argv)];
  }

  private requireConnection(): void {
    if (!this.isConnected) throw new LiveError('connect', `not connected to ${this.label}`);
  }

  private sessionRefused(stderr: string): LiveError {
    return new LiveError('ssh', `sshd on ${this.label} refused another session on the connection (its MaxSessions, 10 by default, may be reached): attach fewer PIDs at once or raise MaxSessions (${lastLines(stderr, 1)})`);
  }

  private socketPath(): string {
    return join(this.dir!, 'cm');
  }

  private sshPath(): string {
    return this.target.sshPath ?? 'ssh';
  }

  private errorContext() {
    const t = this.target;
    return { destination: this.label, ...(t.configFile !== undefined ? { configFile: t.configFile } : {}), ...(t.port !== undefined ? { port: t.port } : {}) };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
