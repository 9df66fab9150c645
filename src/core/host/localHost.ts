import { execaLoaded, loadExeca } from './exec.ts';
import type { HostRunner, RunResult, Signal, SpawnOptions, StreamedProcess } from './host.ts';
import { ExecaStream } from './streamedProcess.ts';
import type { LocalTarget } from './target.ts';

/** Runs commands on this machine, directly from their argv (no shell). */
export class LocalHost implements HostRunner {
  readonly label = 'local host';
  readonly remote = false;
  readonly connected = true;
  private readonly children = new Set<StreamedProcess>();

  constructor(
    readonly target: LocalTarget,
    private readonly signalAbort?: AbortSignal,
  ) {}

  async connect(): Promise<void> {
    await loadExeca();
  }

  onDisconnect(): () => void {
    return () => {};
  }

  async run(argv: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    const [file, ...args] = argv;
    const execa = (await loadExeca()).execa;
    const r = await execa(file!, args, {
      reject: false,
      stdin: 'ignore',
      stripFinalNewline: false,
      timeout: opts.timeoutMs ?? 30_000,
      forceKillAfterDelay: 2000,
      ...(this.signalAbort ? { cancelSignal: this.signalAbort } : {}),
    });
    const out: RunResult = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    if (r.signal !== undefined) out.signal = r.signal;
    if ((r as { code?: string }).code === 'ENOENT') out.notFound = true;
    return out;
  }

  spawn(argv: readonly string[], opts: SpawnOptions = {}): StreamedProcess {
    const [file, ...args] = argv;
    const sub = execaLoaded()(file!, args, {
      reject: false,
      buffer: false,
      stdin: opts.stdin ? 'pipe' : 'ignore',
      forceKillAfterDelay: 2000,
      ...(this.signalAbort ? { cancelSignal: this.signalAbort } : {}),
    });
    const s = new ExecaStream(sub, false);
    this.children.add(s);
    void s.done.then(() => this.children.delete(s));
    return s;
  }

  async signal(pid: number, sig: Signal): Promise<boolean> {
    try {
      process.kill(pid, `SIG${sig}`);
      return true;
    } catch {
      return false;
    }
  }

  async disconnect(): Promise<void> {}

  async close(): Promise<void> {
    const waits = [...this.children].map((c) => {
      c.kill('SIGKILL');
      return c.done;
    });
    await Promise.all(waits);
  }
}
