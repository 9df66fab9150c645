import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { type CounterSample, StreamCounters } from '../counters/streamCounters.ts';
import type { CounterSpec } from '../counters/counterSource.ts';
import { type CounterChoice, streamCounterSpecs } from '../counters/sessionCounters.ts';
import { openCounterReader } from '../counters/openReader.ts';
import type { Interval } from '../perf/interval.ts';
import type { CostRecord, Gap, RecordingMeta, RevisionEndRecord } from '../recording/format.ts';
import { RecordingWriter } from '../recording/writer.ts';
import { LiveError, isLiveError } from '../host/errors.ts';
import { DEFAULT_EVENTS, validateEvent } from './events.ts';
import { type LongTimer, setLongTimeout } from './longTimer.ts';
import { checkFolderWritable } from '../files/outputFile.ts';
import type { HostRunner } from '../host/host.ts';
import { LocalHost } from '../host/localHost.ts';
import { perfStatArgv, validateId, validateInterval } from './perfCommand.ts';
import { PerfRun } from './perfRun.ts';
import { type Attach, describeAttach, idOf } from '../host/attach.ts';
import { type DroppedEvent, type PerfProbe, probePerf } from './probe.ts';
import { type RevisionEvent, RevisionLog } from './revisionLog.ts';
import { type FollowedProcess, findRestarted, identifyProcess } from './routerFollower.ts';
import { SshHost } from '../host/sshHost.ts';
import { type Target, validateTarget } from '../host/target.ts';

export interface ReconnectPolicy {
  /** First wait before reconnecting; doubles per failed attempt up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** The session ends when the connection is not back after this long. */
  giveUpAfterMs: number;
}

export interface LiveSessionOptions {
  target: Target;
  /** An open host to reuse (e.g. the editor's); it stays open when the session ends. */
  host?: HostRunner;
  /** One stream per process (a service chain is several PIDs)… */
  pids?: number[];
  /** …or per thread. */
  tids?: number[];
  /** Requested events; those the host cannot count are dropped with a notice. Default: the ITC 2021 set. */
  events?: readonly string[];
  intervalMs?: number;
  /** Stop by itself after this long. */
  durationMs?: number;
  /** Append every interval to this new `.vnflens` recording as it arrives. */
  recordTo?: string;
  tags?: Record<string, string>;
  quietMs?: number;
  reconnect?: Partial<ReconnectPolicy>;
  /** How long perf gets to print its last interval when stopped. */
  stopGraceMs?: number;
  /**
   * The router's own packet counters, read at every interval boundary: found from
   * each process (`auto`, the default), off, or one source given for the first stream.
   */
  routerCounters?: CounterChoice;
  /**
   * Follow each router across restarts: when its process exits, wait this long for a
   * process with the same identity (command line, config files, host) and go on with it
   * as a new revision. 0 or absent: a router that exits ends its stream.
   */
  restartTimeoutMs?: number;
  /** The workspace whose git commit each revision records. */
  gitDir?: string;
}

export type SessionState = 'idle' | 'connecting' | 'probing' | 'running' | 'paused' | 'reconnecting' | 'ended';

export interface SessionStatus {
  state: SessionState;
  reason?: string;
  /** While reconnecting: attempt number and the wait before it. */
  attempt?: number;
  delayMs?: number;
}

export type EndKind = 'stopped' | 'duration' | 'router-exited' | 'connection-lost' | 'perf-failed' | 'error';

export interface SessionEnd {
  kind: EndKind;
  reason: string;
  error?: LiveError;
}

export interface StderrLine {
  stream: string;
  line: string;
}

export interface StreamInfo {
  name: string;
  attach: Attach;
  /** Why the stream ended while the session went on (its process exited). */
  ended?: string;
}

export interface LiveSessionEvents {
  interval: [Interval];
  status: [SessionStatus];
  stderr: [StderrLine];
  notice: [string];
  /** The argv of each perf started (the first, and again after a reconnect), for the user's log. */
  command: [{ stream: string; argv: readonly string[] }];
  /** What perf can do on the host, once probed (before the first interval). */
  probe: [PerfProbe];
  gap: [Gap];
  /** A followed router's process starts a revision (the first at attach, the next at each restart). */
  revision: [RevisionEvent];
  revisionEnd: [RevisionEndRecord];
  end: [SessionEnd];
}

interface StreamState extends StreamInfo {
  run?: PerfRun;
  counters?: StreamCounters;
  /** Intervals (and their perf lines) waiting for the counter reading, in order. */
  pending?: Promise<void>;
  /** performance.now() when the stream's first perf started: zero of its clock. */
  baseAt?: number;
  lastDataAt?: number;
  /** The router's identity, when the session follows restarts. */
  follow?: FollowedProcess;
}

const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, giveUpAfterMs: 10 * 60_000 };

/**
 * A live perf session on one host: one `perf stat -I` per process, each a stream
 * of intervals. Every interval is appended to the recording before it is emitted.
 * Over ssh, a dropped connection is re-established with backoff and the streams go
 * on in the same recording with the gap marked. The session owns its child
 * processes and timers; `stop()` (or the end of the router) ends them all.
 */
export class LiveSession extends EventEmitter<LiveSessionEvents> {
  readonly ended: Promise<SessionEnd>;
  private resolveEnded!: (e: SessionEnd) => void;
  private readonly opts: LiveSessionOptions;
  private readonly events: readonly string[];
  private readonly intervalMs: number;
  private readonly policy: ReconnectPolicy;
  private readonly abort = new AbortController();
  /** Cancels waits (reconnect backoff) when the session stops. */
  private readonly wake = new AbortController();
  private host: HostRunner | undefined;
  private ownsHost = false;
  private unsubscribe: (() => void) | undefined;
  private writer: RecordingWriter | undefined;
  private probeResult: PerfProbe | undefined;
  private readonly streamStates: StreamState[] = [];
  private stateNow: SessionState = 'idle';
  private endInfo: SessionEnd | undefined;
  private stopping = false;
  private reconnecting = false;
  private lostWhilePaused: string | undefined;
  private pausedAt: number | undefined;
  private durationTimer: LongTimer | undefined;
  private readonly revisionLog = new RevisionLog();

  constructor(opts: LiveSessionOptions) {
    super();
    this.opts = opts;
    this.events = opts.events ?? DEFAULT_EVENTS;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.policy = { ...DEFAULT_RECONNECT, ...opts.reconnect };
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get state(): SessionState {
    return this.stateNow;
  }

  /** What the probe found (perf version, dropped events, …), once probing is done. */
  get probe(): PerfProbe | undefined {
    return this.probeResult;
  }

  get streams(): readonly StreamInfo[] {
    return this.streamStates.map(({ name, attach, ended }) => ({ name, attach, ...(ended !== undefined ? { ended } : {}) }));
  }

  /** Every revision of every followed router so far (empty when the session does not follow restarts). */
  get revisions(): RevisionLog['all'] {
    return this.revisionLog.all;
  }

  get recordingPath(): string | undefined {
    return this.writer?.path;
  }

  /** perf's process id on the target for each running stream (benchmarks and diagnostics). */
  async perfPids(): Promise<{ stream: string; pid: number | undefined }[]> {
    return Promise.all(this.streamStates.filter((s) => s.run).map(async (s) => ({ stream: s.name, pid: await s.run!.proc.targetPid })));
  }

  /** Adds a cost record (element cost, VPP nodes, OVS PMDs, measured beside perf stat) to the recording. */
  recordCost(c: CostRecord): void {
    this.record(() => this.writer?.cost(c));
  }

  /** Connects, probes perf and starts counting; resolves once perf runs for every stream. */
  async start(): Promise<void> {
    if (this.stateNow !== 'idle') throw new LiveError('invalid-spec', 'a session can be started once');
    try {
      const attach = this.checkSpec();
      this.setState({ state: 'connecting' });
      await this.connect();
      this.setState({ state: 'probing' });
      const probe = await probePerf(this.host!, this.events, { attach, abort: this.abort.signal });
      this.probeResult = probe;
      this.reportProbe(probe);
      for (const a of attach) this.streamStates.push({ name: 'pid' in a ? `pid-${a.pid}` : `tid-${a.tid}`, attach: a });
      if (this.opts.recordTo !== undefined) this.writer = this.createRecording(this.opts.recordTo, probe);
      if (this.stopping) throw new LiveError('cancelled', 'the session was stopped while starting');
      await this.startCounters();
      if (this.following) for (const s of this.streamStates) await this.beginRevision(s, await identifyProcess(this.host!, idOf(s.attach), this.opts.gitDir), 0);
      if (this.stopping) throw new LiveError('cancelled', 'the session was stopped while starting');
      for (const s of this.streamStates) this.startRun(s);
      this.setState({ state: 'running' });
      if (this.opts.durationMs !== undefined) {
        const s = this.opts.durationMs / 1000;
        this.durationTimer = setLongTimeout(() => void this.stop(`duration of ${s} s reached`, 'duration'), this.opts.durationMs);
      }
    } catch (e) {
      const err = this.stopping && !isLiveError(e, 'invalid-spec') ? new LiveError('cancelled', 'the session was stopped while starting') : toLiveError(e);
      await this.finish({ kind: this.stopping ? 'stopped' : 'error', reason: err.message, error: err });
      throw err;
    }
  }

  /** Stops counting (perf is ended, so the router bears no cost) until `resume()`. */
  async pause(): Promise<void> {
    if (this.stateNow !== 'running') return;
    this.setState({ state: 'paused' });
    this.pausedAt = Date.now();
    await Promise.all(this.streamStates.map((s) => s.run?.stop(this.graceMs())));
    await Promise.all(this.streamStates.map((s) => s.pending));
  }

  /** Starts counting again; the recording marks the pause as a gap. */
  async resume(): Promise<void> {
    if (this.stateNow !== 'paused' || this.stopping) return;
    const from = this.pausedAt ?? Date.now();
    if (this.lostWhilePaused !== undefined || !this.host!.connected) {
      const reason = this.lostWhilePaused ?? `connection to ${this.host!.label} lost`;
      this.lostWhilePaused = undefined;
      if (!(await this.reconnectWithBackoff(reason, Date.now()))) return;
    }
    await this.restartStreams('paused', from);
  }

  /** Ends the session: perf prints its last interval, the recording gets its end record. */
  async stop(reason = 'stopped', kind: EndKind = 'stopped'): Promise<SessionEnd> {
    if (this.endInfo) return this.endInfo;
    if (this.stopping) return this.ended;
    this.stopping = true;
    this.wake.abort();
    if (this.stateNow === 'connecting' || this.stateNow === 'probing') {
      this.abort.abort();
      return this.ended;
    }
    // A connection attempt in progress is cut short; there is no perf to stop.
    if (this.stateNow === 'reconnecting') this.abort.abort();
    await Promise.all(this.streamStates.map((s) => s.run?.stop(this.graceMs())));
    await this.finish({ kind, reason });
    return this.ended;
  }

  private checkSpec(): Attach[] {
    validateTarget(this.opts.target);
    validateInterval(this.intervalMs);
    if (this.events.length === 0) throw new LiveError('invalid-spec', 'no events to count');
    this.events.forEach(validateEvent);
    const attach: Attach[] = [...(this.opts.pids ?? []).map((pid) => ({ pid: validateId(pid, 'PID') })), ...(this.opts.tids ?? []).map((tid) => ({ tid: validateId(tid, 'TID') }))];
    if (attach.length === 0) throw new LiveError('invalid-spec', 'give at least one PID (or TID) to attach to');
    if (new Set(attach.map((a) => `${'pid' in a}:${idOf(a)}`)).size !== attach.length) throw new LiveError('invalid-spec', 'a PID is given twice');
    if (this.opts.recordTo !== undefined && existsSync(this.opts.recordTo)) {
      throw new LiveError('recording', `recording ${this.opts.recordTo} already exists; choose another path or delete it`);
    }
    if (this.opts.recordTo !== undefined) {
      // A read-only or missing folder is said now, not after connecting and probing perf.
      try {
        checkFolderWritable(this.opts.recordTo, 'recording');
      } catch (e) {
        throw new LiveError('recording', (e as Error).message);
      }
    }
    return attach;
  }

  private async connect(): Promise<void> {
    if (this.opts.host) this.host = this.opts.host;
    else {
      const t = this.opts.target;
      this.host = t.kind === 'local' ? new LocalHost(t, this.abort.signal) : new SshHost(t, this.abort.signal);
      this.ownsHost = true;
    }
    if (!this.host.connected) await this.host.connect();
    this.unsubscribe = this.host.onDisconnect((reason) => this.connectionLost(reason));
  }

  private reportProbe(p: PerfProbe): void {
    this.emit('probe', p);
    for (const n of probeNotices(p)) this.emit('notice', n.text);
  }


  private createRecording(path: string, p: PerfProbe): RecordingWriter {
    const first = this.streamStates[0]!;
    const meta: RecordingMeta = {
      host: p.host,
      processes: p.processes.map((q) => ({ pid: idOf(q.attach), comm: q.comm, cmdline: q.commandLine })),
      perfVersion: p.perfVersion,
      perfCommand: this.perfArgv(first.attach),
      events: p.events,
      ...(p.dropped.some((d) => d.kind === 'not-supported') ? { unsupported: p.dropped.filter((d) => d.kind === 'not-supported').map((d) => d.event) } : {}),
      intervalMs: this.intervalMs,
      startedAt: new Date().toISOString(),
      separator: ',',
    };
    if (this.opts.tags) meta.tags = this.opts.tags;
    try {
      return RecordingWriter.create(path, meta);
    } catch (e) {
      throw new LiveError('recording', (e as Error).message);
    }
  }

  private perfArgv(attach: Attach): string[] {
    const p = this.probeResult!;
    return perfStatArgv({ perfPath: p.perfPath, events: p.events, intervalMs: this.intervalMs, attach });
  }

  private startRun(s: StreamState): void {
    const now = performance.now();
    const offsetS = s.baseAt === undefined ? 0 : (now - s.baseAt) / 1000;
    s.baseAt ??= now;
    const i = this.streamStates.indexOf(s);
    const argv = this.perfArgv(s.attach);
    this.emit('command', { stream: s.name, argv });
    const run = new PerfRun({
      host: this.host!,
      argv,
      stream: s.name,
      offsetS,
      linesPerInterval: this.probeResult!.linesPerInterval[i] ?? this.probeResult!.events.length,
      quietMs: this.opts.quietMs ?? 10,
      onLines: (text) => {
        s.lastDataAt = Date.now();
        if (s.pending) s.pending = s.pending.then(() => this.record(() => this.writer?.perfText(s.name, text)));
        else this.record(() => this.writer?.perfText(s.name, text));
      },
      onInterval: (iv) => this.deliver(s, iv),
      onStderr: (line) => this.emit('stderr', { stream: s.name, line }),
      onDiagnostic: (m) => this.emit('notice', m),
    });
    s.run = run;
    void run.exited.then((info) => this.runExited(s, run, info.exitCode, info.signal));
  }

  /** Finds and opens each stream's counter source; one that fails is a notice, never an error. */
  private async startCounters(): Promise<void> {
    const choice = this.opts.routerCounters ?? 'auto';
    if (choice === 'off') return;
    const host = this.host!;
    const specs = await streamCounterSpecs(host, this.streamStates.map((s) => s.attach), choice, (m) => this.emit('notice', m));
    await Promise.all(
      this.streamStates.map(async (s, i) => {
        const spec = specs[i];
        if (!spec) return;
        s.counters = this.streamCounters(s, spec, false);
        s.pending = Promise.resolve();
        await s.counters.start();
      }),
    );
  }

  /**
   * Hands an interval on. With a counter source, the source is read first (perf just
   * closed the interval), the counts go into the recording after the interval's
   * perf lines, and intervals stay in order.
   */
  private deliver(s: StreamState, iv: Interval): void {
    const rev = this.revisionLog.current(s.name);
    if (rev !== undefined) {
      iv.revision = rev;
      this.revisionLog.saw(s.name, iv.t);
    }
    const c = s.counters;
    if (!c || !s.pending) {
      this.emit('interval', iv);
      return;
    }
    const read = c.sample();
    s.pending = s.pending.then(async () => {
      const { packets: p, restart } = await read.catch(() => ({}) as CounterSample);
      if (p) {
        iv.packets = p;
        this.record(() => this.writer?.packets({ stream: s.name, t: iv.t, ...p }));
      }
      if (restart !== undefined) this.record(() => this.writer?.mark({ t: iv.t, text: restart, stream: s.name }));
      this.emit('interval', iv);
    });
  }

  private async runExited(s: StreamState, run: PerfRun, exitCode: number | undefined, signal: string | undefined): Promise<void> {
    if (s.run !== run) return;
    s.run = undefined;
    if (this.stopping || this.endInfo || this.stateNow !== 'running' || this.reconnecting) return;
    const host = this.host!;
    if (host.remote && host.connected && run.lastStderr.some((l) => /Session open refused|session request failed/.test(l))) {
      const err = new LiveError('ssh', `sshd on ${host.label} refused another session on the connection (its MaxSessions, 10 by default, may be reached): attach fewer PIDs at once or raise MaxSessions`);
      await this.stopRuns();
      await this.finish({ kind: 'error', reason: err.message, error: err });
      return;
    }
    if (host.remote && (exitCode === 255 || !host.connected)) {
      this.connectionLost(`connection to ${host.label} lost (${run.lastStderr.slice(-1)[0] ?? 'ssh exited with 255'})`);
      return;
    }
    const alive = await this.processAlive(s.attach).catch((e: unknown) => e as Error);
    if (alive instanceof Error) {
      if (host.remote) this.connectionLost(alive.message);
      return;
    }
    if (this.stopping || this.endInfo || this.reconnecting) return;
    if (!alive) {
      if (s.follow) void this.followRestart(s, `${describeAttach(s.attach)} exited`);
      else this.streamEnded(s, `${describeAttach(s.attach)} exited`);
      return;
    }
    const how = exitCode !== undefined ? `exit ${exitCode}` : `signal ${signal ?? '?'}`;
    const said = run.lastStderr.slice(-3).join(' ');
    const err = new LiveError('perf-failed', `perf for ${describeAttach(s.attach)} on ${host.label} stopped unexpectedly (${how})${said ? `: ${said}` : ''}`);
    await this.stopRuns();
    await this.finish({ kind: 'perf-failed', reason: err.message, error: err });
  }

  private streamEnded(s: StreamState, why: string): void {
    s.ended = why;
    const live = this.streamStates.filter((x) => x.ended === undefined);
    if (live.length > 0) {
      this.emit('notice', `${why}: stream ${s.name} ends; ${live.map((x) => x.name).join(', ')} go on`);
      return;
    }
    const reason = this.streamStates.length === 1 ? `router exited (${why})` : `all routers exited (${this.streamStates.map((x) => x.ended).join('; ')})`;
    void this.finish({ kind: 'router-exited', reason });
  }

  /** True when the process (not a zombie) still exists on the target. */
  private async processAlive(a: Attach): Promise<boolean> {
    const script = 'read -r s < "/proc/$1/stat" 2>/dev/null || exit 1; case "${s##*) }" in Z*|X*) exit 1;; esac; exit 0';
    const r = await this.host!.run(['sh', '-c', script, 'vnf-lens', String(idOf(a))], { timeoutMs: 10_000 });
    if (r.exitCode === 0) return true;
    if (r.exitCode === 1) return false;
    throw new LiveError('command-failed', `cannot check ${describeAttach(a)} on ${this.host!.label} (exit ${r.exitCode ?? r.signal})`);
  }

  private connectionLost(reason: string): void {
    if (this.stopping || this.endInfo || this.reconnecting) return;
    if (this.stateNow === 'paused') {
      this.lostWhilePaused = reason;
      return;
    }
    if (this.stateNow !== 'running') return;
    void this.recover(reason);
  }

  /** After a drop: keep what was received, reconnect with backoff, restart the streams. */
  private async recover(reason: string): Promise<void> {
    const lostAt = Date.now();
    this.reconnecting = true;
    this.setState({ state: 'reconnecting', reason });
    await Promise.all(this.streamStates.map((s) => s.run?.abandon()));
    for (const s of this.streamStates) s.run = undefined;
    await this.host!.disconnect();
    if (!(await this.reconnectWithBackoff(reason, lostAt))) return;
    await this.restartStreams(`${reason}; reconnected`, lostAt);
  }

  /** Tries to connect until it works, the session stops, or the policy gives up. */
  private async reconnectWithBackoff(reason: string, lostAt: number): Promise<boolean> {
    this.reconnecting = true;
    let delayMs = this.policy.initialDelayMs;
    let last = reason;
    try {
      for (let attempt = 1; ; attempt++) {
        if (this.stopping || this.endInfo) return false;
        if (Date.now() - lostAt > this.policy.giveUpAfterMs) {
          await this.finish({ kind: 'connection-lost', reason: `${reason}; not restored within ${Math.round(this.policy.giveUpAfterMs / 1000)} s (last attempt: ${last})` });
          return false;
        }
        this.setState({ state: 'reconnecting', reason: last, attempt, delayMs });
        await this.sleep(delayMs);
        if (this.stopping || this.endInfo) return false;
        try {
          await this.host!.connect();
          return true;
        } catch (e) {
          last = (e as Error).message;
          delayMs = Math.min(delayMs * 2, this.policy.maxDelayMs);
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }

  /** Starts perf again for every stream whose process is alive; the recording gets a gap per stream. */
  private async restartStreams(gapReason: string, from: number): Promise<void> {
    for (const s of this.streamStates) {
      if (s.ended !== undefined) continue;
      let alive: boolean;
      try {
        alive = await this.processAlive(s.attach);
      } catch (e) {
        if (this.host!.remote) {
          this.setState({ state: 'running' });
          this.connectionLost((e as Error).message);
          return;
        }
        throw e;
      }
      if (this.stopping || this.endInfo) return;
      if (!alive) {
        const why = `${describeAttach(s.attach)} exited while ${gapReason === 'paused' ? 'paused' : 'disconnected'}`;
        if (s.follow) void this.followRestart(s, why);
        else this.streamEnded(s, why);
        continue;
      }
      const gap: Gap = { stream: s.name, from: new Date(s.lastDataAt ?? from).toISOString(), to: new Date().toISOString(), reason: gapReason };
      this.record(() => this.writer?.gap(gap));
      this.emit('gap', gap);
      s.counters?.rebase();
      if (s.counters) await s.counters.sample();
      this.startRun(s);
    }
    if (!this.endInfo && !this.stopping) this.setState({ state: 'running' });
  }

  private async stopRuns(): Promise<void> {
    await Promise.all(this.streamStates.map((s) => s.run?.stop(this.graceMs())));
  }

  /** Writes to the recording; a failing disk ends the session instead of losing data silently. */
  private record(write: () => void): void {
    if (!this.writer) return;
    try {
      write();
    } catch (e) {
      const err = new LiveError('recording', `cannot write the recording ${this.writer.path}: ${(e as Error).message}`);
      this.writer = undefined;
      void this.stopRuns().then(() => this.finish({ kind: 'error', reason: err.message, error: err }));
    }
  }

  private async finish(end: SessionEnd): Promise<void> {
    if (this.endInfo) return;
    this.endInfo = end;
    this.stopping = true;
    this.wake.abort();
    this.durationTimer?.clear();
    await Promise.all(this.streamStates.map((s) => s.run?.abandon()));
    // Intervals still waiting for their counter reading go out (and into the recording) first.
    await Promise.all(this.streamStates.map((s) => s.pending));
    await Promise.all(this.streamStates.map((s) => s.counters?.close()));
    for (const s of this.streamStates) this.endRevision(s, end.reason);
    if (this.writer) {
      try {
        this.writer.end({ at: new Date().toISOString(), reason: end.reason });
      } catch (e) {
        this.emit('notice', `cannot finish the recording ${this.writer.path}: ${(e as Error).message}`);
      }
      this.writer.close();
    }
    this.unsubscribe?.();
    if (this.ownsHost) await this.host?.close();
    this.abort.abort();
    this.setState({ state: 'ended', reason: end.reason });
    this.emit('end', end);
    this.resolveEnded(end);
  }

  private get following(): boolean {
    return (this.opts.restartTimeoutMs ?? 0) > 0;
  }

  /** Opens the stream's next revision: recorded (and emitted) before its first perf line. */
  private async beginRevision(s: StreamState, p: FollowedProcess, t: number): Promise<void> {
    s.follow = p;
    const rev = this.revisionLog.begin(s.name, idOf(s.attach), t, p);
    const { configTexts: _texts, ...record } = rev;
    this.record(() => this.writer?.revision(record));
    this.emit('revision', rev);
  }

  private endRevision(s: StreamState, reason: string): void {
    const end = this.revisionLog.end(s.name, reason);
    if (!end) return;
    this.record(() => this.writer?.revisionEnd(end));
    this.emit('revisionEnd', end);
  }

  /**
   * The stream's router exited: look for a process with its identity every half
   * interval until the restart timeout. Found, the stream goes on with it (a gap, a new
   * revision, its counters opened again); not found, the stream ends and says why.
   */
  private async followRestart(s: StreamState, why: string): Promise<void> {
    const timeoutMs = this.opts.restartTimeoutMs ?? 0;
    const old = idOf(s.attach);
    const lostAt = s.lastDataAt ?? Date.now();
    // The old process's last intervals (waiting for their counter reading) go into its revision first.
    await s.pending;
    this.endRevision(s, why);
    this.emit('notice', `${why}: waiting up to ${fmtSeconds(timeoutMs)} for ${s.follow!.identity.exe.split('/').pop()} to start again on ${this.host!.label}`);
    const exclude = new Set([old, ...this.streamStates.filter((x) => x !== s).map((x) => idOf(x.attach))]);
    const opts = { timeoutMs, pollMs: Math.max(100, this.intervalMs / 2), sleep: (ms: number) => this.sleep(ms), cancelled: () => this.stopping || this.endInfo !== undefined };
    const r = await findRestarted(this.host!, s.follow!.identity, exclude, opts, this.opts.gitDir);
    if (r.kind === 'cancelled') return;
    if (r.kind === 'gone') return this.streamEnded(s, `${why} and did not start again within ${fmtSeconds(timeoutMs)}`);
    if (r.kind === 'failed') {
      if (this.host!.remote) this.connectionLost(r.error.message);
      else this.streamEnded(s, `${why}; looking for its restart failed: ${r.error.message}`);
      return;
    }
    const { pid, next } = r;
    s.attach = { pid };
    const gap: Gap = { stream: s.name, from: new Date(lostAt).toISOString(), to: new Date().toISOString(), reason: `router restarted: process ${old} exited, process ${pid} started` };
    this.record(() => this.writer?.gap(gap));
    this.emit('gap', gap);
    await this.beginRevision(s, next, s.baseAt === undefined ? 0 : (performance.now() - s.baseAt) / 1000);
    await this.reopenCounters(s);
    this.emit('notice', `${s.name}: ${next.identity.exe.split('/').pop()} restarted as process ${pid}; revision ${this.revisionLog.current(s.name)}`);
    if (this.stateNow === 'running' && !opts.cancelled()) this.startRun(s);
  }

  /** The new process's own counters: found again from it, counted from zero (it just started). */
  private async reopenCounters(s: StreamState): Promise<void> {
    const choice = this.opts.routerCounters ?? 'auto';
    const i = this.streamStates.indexOf(s);
    await s.counters?.close();
    s.counters = undefined;
    if (choice === 'off' || (choice !== 'auto' && i > 0)) return;
    const host = this.host!;
    const [spec] = await streamCounterSpecs(host, [s.attach], choice, (m) => this.emit('notice', m));
    if (!spec) return;
    // Kernel interfaces and OVS ports outlive the router process; the others count from its start.
    s.counters = this.streamCounters(s, spec, spec.kind !== 'netdev' && spec.kind !== 'ovs');
    s.pending ??= Promise.resolve();
    await s.counters.start();
  }

  private streamCounters(s: StreamState, spec: CounterSpec, fromZero: boolean): StreamCounters {
    const host = this.host!;
    return new StreamCounters({
      stream: s.name,
      spec,
      open: (sp, onAsking) => openCounterReader(host, sp, undefined, onAsking),
      onNotice: (m) => this.emit('notice', m),
      readTimeoutMs: Math.max(200, Math.min(2000, Math.round(this.intervalMs * 0.8))),
      fromZero,
    });
  }

  private setState(s: SessionStatus): void {
    this.stateNow = s.state;
    this.emit('status', s);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.wake.signal.aborted) return resolve();
      const signal = this.wake.signal;
      const t = setTimeout(done, ms);
      // Removed when the wait ends, so many waits (looking for a restarted router) leave no listeners behind.
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private graceMs(): number {
    return this.opts.stopGraceMs ?? 2000;
  }
}

function fmtSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

function toLiveError(e: unknown): LiveError {
  if (e instanceof LiveError) return e;
  return new LiveError('perf-failed', (e as Error)?.message ?? String(e));
}

/**
 * What a probe has to tell the user, one notice per reason: 25 unsupported hardware
 * events make one notice, not 25. `notSupported` marks the notice about events perf
 * reported `<not supported>` (no PMU), which the panel words in its own way.
 */
export function probeNotices(p: PerfProbe): { text: string; notSupported: boolean }[] {
  const byReason = new Map<string, DroppedEvent[]>();
  for (const d of p.dropped) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d]);
  const out = [...byReason].map(([reason, ds]) => ({ text: `not counting ${ds.map((d) => d.event).join(', ')}: ${reason}`, notSupported: ds.every((d) => d.kind === 'not-supported') }));
  if (p.userSpaceOnly.length > 0) {
    out.push({ text: `${p.userSpaceOnly.join(', ')} count user space only on ${p.host}: perf_event_paranoid is ${p.paranoid ?? '?'} and ${p.user || 'this user'} may not count kernel mode`, notSupported: false });
  }
  return out;
}
