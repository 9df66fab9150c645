import { EventEmitter } from 'node:events';
import { LiveError } from '../host/errors.ts';
import type { Attach } from '../host/attach.ts';
import type { HostRunner } from '../host/host.ts';
import type { RecordingWriter } from '../recording/writer.ts';
import type { LongTimer } from './longTimer.ts';
import { perfStatArgv } from './perfCommand.ts';
import type { PerfProbe } from './probe.ts';
import { RevisionLog } from './revisionLog.ts';
import { DEFAULT_EVENTS } from './events.ts';
import { DEFAULT_RECONNECT, type LiveSessionEvents, type LiveSessionOptions, type ReconnectPolicy, type SessionEnd, type SessionState, type SessionStatus, type StreamState } from './sessionTypes.ts';

/**
 * The state a live session shares across its jobs, and the small helpers they all use
 * (state changes, waits, writing the recording). The jobs build on it one file each:
 * sessionStreams.ts (perf runs, counters, recording), sessionRecovery.ts (exits and
 * reconnects), sessionFollow.ts (restarts) and session.ts (the lifecycle).
 */
export abstract class SessionBase extends EventEmitter<LiveSessionEvents> {
  readonly ended: Promise<SessionEnd>;
  protected resolveEnded!: (e: SessionEnd) => void;
  protected readonly opts: LiveSessionOptions;
  protected readonly events: readonly string[];
  protected readonly intervalMs: number;
  protected readonly policy: ReconnectPolicy;
  protected readonly abort = new AbortController();
  /** Cancels waits (reconnect backoff) when the session stops. */
  protected readonly wake = new AbortController();
  protected host: HostRunner | undefined;
  protected ownsHost = false;
  protected unsubscribe: (() => void) | undefined;
  protected writer: RecordingWriter | undefined;
  protected probeResult: PerfProbe | undefined;
  protected readonly streamStates: StreamState[] = [];
  protected stateNow: SessionState = 'idle';
  protected endInfo: SessionEnd | undefined;
  protected stopping = false;
  protected reconnecting = false;
  protected lostWhilePaused: string | undefined;
  protected pausedAt: number | undefined;
  protected durationTimer: LongTimer | undefined;
  protected readonly revisionLog = new RevisionLog();

  constructor(opts: LiveSessionOptions) {
    super();
    this.opts = opts;
    this.events = opts.events ?? DEFAULT_EVENTS;
    this.intervalMs = opts.intervalMs ?? 1000;
    this.policy = { ...DEFAULT_RECONNECT, ...opts.reconnect };
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  protected setState(s: SessionStatus): void {
    this.stateNow = s.state;
    this.emit('status', s);
  }

  protected sleep(ms: number): Promise<void> {
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

  protected graceMs(): number {
    return this.opts.stopGraceMs ?? 2000;
  }

  protected get following(): boolean {
    return (this.opts.restartTimeoutMs ?? 0) > 0;
  }

  protected perfArgv(attach: Attach): string[] {
    const p = this.probeResult!;
    return perfStatArgv({ perfPath: p.perfPath, events: p.events, intervalMs: this.intervalMs, attach });
  }

  protected async stopRuns(): Promise<void> {
    await Promise.all(this.streamStates.map((s) => s.run?.stop(this.graceMs())));
  }

  /** Writes to the recording; a failing disk ends the session instead of losing data silently. */
  protected record(write: () => void): void {
    if (!this.writer) return;
    try {
      write();
    } catch (e) {
      const err = new LiveError('recording', `cannot write the recording ${this.writer.path}: ${(e as Error).message}`);
      this.writer = undefined;
      void this.stopRuns().then(() => this.finish({ kind: 'error', reason: err.message, error: err }));
    }
  }

  /** Ends the session once (session.ts). */
  protected abstract finish(end: SessionEnd): Promise<void>;
}
