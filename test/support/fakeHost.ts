import type { ExitInfo, HostRunner, RunResult, Signal, SpawnOptions, StreamedProcess } from '../../src/core/host/host.ts';
import type { SshTarget } from '../../src/core/host/target.ts';

/**
 * A lab host made of a process table, for the live session's lifecycle: it answers
 * the session's fixed scripts (environment, process alive, process lookup, command
 * lines) from the table, and every perf it starts is a ScriptedPerf the test drives
 * (intervals, stderr, exit). It is remote, so that every look at a process goes
 * through it and none reaches this machine's /proc.
 */
export interface FakeProcess {
  argv: string[];
  alive: boolean;
  user?: string;
}

export interface FakeHostOptions {
  uid?: number;
  user?: string;
  /** kernel.perf_event_paranoid; perf refuses a user other than root above 1. */
  paranoid?: number;
  /** The environment command waits for this before it answers (to stop a session while it starts). */
  envGate?: Promise<void>;
}

export const FAKE_TARGET: SshTarget = { kind: 'ssh', host: 'fake-lab', user: 'root' };

export class FakeHost implements HostRunner {
  readonly target = FAKE_TARGET;
  readonly label = 'root@fake-lab';
  readonly remote = true;
  connected = true;
  closed = false;
  readonly procs = new Map<number, FakeProcess>();
  readonly perfs: ScriptedPerf[] = [];
  /** Every command run, first word and script marker, for assertions on what was asked. */
  readonly ran: string[][] = [];
  private nextPid = 90_000;

  constructor(private readonly o: FakeHostOptions = {}) {}

  connect(): Promise<void> {
    this.connected = true;
    return Promise.resolve();
  }

  onDisconnect(): () => void {
    return () => {};
  }

  async run(argv: readonly string[]): Promise<RunResult> {
    this.ran.push([...argv]);
    const script = argv[0] === 'sh' ? argv[2]! : '';
    const args = argv.slice(4);
    if (script.includes('perf_event_paranoid')) {
      await this.o.envGate;
      return ok(this.env(args[0]!, args.slice(1).map(Number)));
    }
    if (argv[1] === 'stat') return this.probePerf(argv);
    if (script.includes('/proc/$1/stat')) return { exitCode: this.procs.get(Number(args[0]))?.alive ? 0 : 1, stdout: '', stderr: '' };
    if (script.includes('ps -e -ww')) return ok(this.dump([...this.procs].filter(([, p]) => p.alive && baseName(p.argv[0]!) === args[0]).map(([pid]) => pid)));
    if (script.startsWith('for p do echo "P$p"')) return ok(this.dump(args.map(Number).filter((pid) => this.procs.get(pid)?.alive)));
    // The executable's build-id, a config file: not on this host.
    return { exitCode: 3, stdout: '', stderr: 'not on the fake host' };
  }

  spawn(argv: readonly string[], _opts?: SpawnOptions): StreamedProcess {
    const p = new ScriptedPerf([...argv], this.nextPid++);
    this.perfs.push(p);
    return p;
  }

  signal(pid: number, sig: Signal): Promise<boolean> {
    const p = this.perfs.find((x) => x.pid === pid && !x.exited);
    if (!p) return Promise.resolve(false);
    p.signalled(sig);
    return Promise.resolve(true);
  }

  disconnect(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** The running perf attached to `pid`. */
  perfFor(pid: number): ScriptedPerf {
    const p = this.perfs.find((x) => !x.exited && x.attachedTo === pid);
    if (!p) throw new Error(`no perf runs for process ${pid} (perfs: ${this.perfs.map((x) => `${x.attachedTo}${x.exited ? ' exited' : ''}`).join(', ')})`);
    return p;
  }

  private env(perfPath: string, pids: number[]): string {
    const uid = this.o.uid ?? 0;
    const lines = [`uid=${uid}`, `user=${this.o.user ?? 'root'}`, `paranoid=${this.o.paranoid ?? -1}`, 'capeff=000001ffffffffff'];
    lines.push(`perfpath=/usr/bin/${perfPath}`, 'perfrc=0', 'perfversion=perf version 6.1.0');
    for (const pid of pids) {
      const p = this.procs.get(pid);
      if (p?.alive) lines.push(`proc=${pid}\x1f${p.user ?? 'root'}\x1f${baseName(p.argv[0]!).slice(0, 15)}\x1f${p.argv.join(' ')}`);
      else lines.push(`noproc=${pid}`);
    }
    return lines.join('\n') + '\n';
  }

  /** A one-interval probe of perf stat: refused by the paranoid setting, or one line per event. */
  private probePerf(argv: readonly string[]): RunResult {
    const pid = Number(argv[argv.indexOf('-p') + 1]);
    if (!this.procs.get(pid)?.alive) return { exitCode: 255, stdout: '', stderr: `Error:\nThe sys_perf_event_open() syscall returned with 3 (No such process) for event (task-clock).\nProblems finding threads of monitor\n` };
    if ((this.o.uid ?? 0) !== 0 && (this.o.paranoid ?? -1) > 1) {
      return { exitCode: 255, stdout: '', stderr: 'Error:\nAccess to performance monitoring and observability operations is limited.\nConsider adjusting /proc/sys/kernel/perf_event_paranoid setting\n' };
    }
    return ok(eventsOf(argv).map((e) => csvLine(0.1, e, 1)).join(''));
  }

  private dump(pids: number[]): string {
    return pids.map((pid) => `P${pid}\n${Buffer.from(this.procs.get(pid)!.argv.map((a) => `${a}\0`).join('')).toString('hex')}\n`).join('');
  }
}

/** A perf stat -I the test drives: each interval() prints one CSV line per event, exit() ends it. */
export class ScriptedPerf implements StreamedProcess {
  readonly targetPid: Promise<number | undefined>;
  readonly done: Promise<ExitInfo>;
  readonly events: string[];
  readonly attachedTo: number;
  exited = false;
  /** Signals it got (kill on the local end, or a signal through the host). */
  readonly signals: string[] = [];
  private out: ((t: string) => void)[] = [];
  private err: ((t: string) => void)[] = [];
  private resolveDone!: (e: ExitInfo) => void;
  private lastT = 0;

  constructor(
    readonly argv: string[],
    readonly pid: number,
  ) {
    this.events = eventsOf(argv);
    this.attachedTo = Number(argv[argv.indexOf('-p') + 1]);
    this.targetPid = Promise.resolve(pid);
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  onStdout(cb: (text: string) => void): void {
    this.out.push(cb);
  }

  onStderr(cb: (text: string) => void): void {
    this.err.push(cb);
  }

  /** perf's lines for the interval ending at `t` s, each event counting `value`. */
  interval(t: number, value = 1000): void {
    this.lastT = t;
    const text = this.events.map((e) => csvLine(t, e, value)).join('');
    for (const cb of this.out) cb(text);
  }

  stderr(text: string): void {
    for (const cb of this.err) cb(text);
  }

  exit(exitCode: number | undefined, signal?: string): void {
    if (this.exited) return;
    this.exited = true;
    this.resolveDone(signal === undefined ? { exitCode } : { exitCode, signal });
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.signals.push(signal);
    this.exit(undefined, signal);
  }

  /** SIGINT: perf prints the interval in progress, then exits 0, as perf stat -I does. */
  signalled(sig: Signal): void {
    this.signals.push(`SIG${sig}`);
    if (sig === 'INT') {
      this.interval(Number((this.lastT + 0.5).toFixed(3)));
      this.exit(0);
    } else this.exit(undefined, `SIG${sig}`);
  }

  write(): boolean {
    return false;
  }
}

function eventsOf(argv: readonly string[]): string[] {
  return argv.flatMap((a, i) => (argv[i - 1] === '-e' ? [a] : []));
}

/** One line of `perf stat -x , -I`: time, value, unit, event, run time, percentage. */
function csvLine(t: number, event: string, value: number): string {
  return `${t.toFixed(9).padStart(18)},${value},,${event},1000000000,100.00,,\n`;
}

function ok(stdout: string): RunResult {
  return { exitCode: 0, stdout, stderr: '' };
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
