import { existsSync } from 'node:fs';
import { checkFolderWritable } from '../files/outputFile.ts';
import { type Attach, idOf } from '../host/attach.ts';
import { LiveError, isLiveError } from '../host/errors.ts';
import { LocalHost } from '../host/localHost.ts';
import { SshHost } from '../host/sshHost.ts';
import { validateTarget } from '../host/target.ts';
import type { CostRecord } from '../recording/format.ts';
import { validateEvent } from './events.ts';
import { setLongTimeout } from './longTimer.ts';
import { validateId, validateInterval } from './perfCommand.ts';
import { type PerfProbe, probePerf } from './probe.ts';
import { probeNotices } from './probeNotices.ts';
import type { RevisionLog } from './revisionLog.ts';
import { identifyProcess } from './routerFollower.ts';
import { SessionFollow } from './sessionFollow.ts';
import type { EndKind, SessionEnd, SessionState, StreamInfo } from './sessionTypes.ts';

export type { EndKind, LiveSessionEvents, LiveSessionOptions, ReconnectPolicy, SessionEnd, SessionState, SessionStatus, StderrLine, StreamInfo } from './sessionTypes.ts';
export { probeNotices } from './probeNotices.ts';

/**
 * A live perf session on one host: one `perf stat -I` per process, each a stream
 * of intervals. Every interval is appended to the recording before it is emitted.
 * Over ssh, a dropped connection is re-established with backoff and the streams go
 * on in the same recording with the gap marked. The session owns its child
 * processes and timers; `stop()` (or the end of the router) ends them all.
 *
 * This file is the lifecycle (start, pause, resume, stop, finish). The other jobs are
 * one class each, each on the one before: sessionBase.ts (shared state), sessionStreams.ts
 * (perf runs, joining the router's counters to intervals, the recording),
 * sessionRecovery.ts (exits and reconnects), sessionFollow.ts (restarts).
 */
export class LiveSession extends SessionFollow {
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

  protected override async finish(end: SessionEnd): Promise<void> {
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
}

function toLiveError(e: unknown): LiveError {
  if (e instanceof LiveError) return e;
  return new LiveError('perf-failed', (e as Error)?.message ?? String(e));
}
