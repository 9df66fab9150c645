import { idOf } from '../host/attach.ts';
import type { Gap } from '../recording/format.ts';
import { type FollowedProcess, findRestarted } from './routerFollower.ts';
import { SessionRecovery } from './sessionRecovery.ts';
import type { StreamState } from './sessionTypes.ts';

/** A session that follows its routers across restarts: each process of a router is a revision. */
export abstract class SessionFollow extends SessionRecovery {
  /** Opens the stream's next revision: recorded (and emitted) before its first perf line. */
  protected async beginRevision(s: StreamState, p: FollowedProcess, t: number): Promise<void> {
    s.follow = p;
    const rev = this.revisionLog.begin(s.name, idOf(s.attach), t, p);
    const { configTexts: _texts, ...record } = rev;
    this.record(() => this.writer?.revision(record));
    this.emit('revision', rev);
  }

  protected endRevision(s: StreamState, reason: string): void {
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
  protected override async followRestart(s: StreamState, why: string): Promise<void> {
    const timeoutMs = this.opts.restartTimeoutMs ?? 0;
    const old = idOf(s.attach);
    const lostAt = s.lastDataAt ?? Date.now();
    // The old process's last intervals (waiting for their counter reading) go into its revision first.
    await s.pending;
    this.endRevision(s, why);
    // Restarting the router after a config edit is the tuning loop itself: news, not a warning (not coming back ends the session, and says so).
    this.emit('notice', `${why}: waiting up to ${fmtSeconds(timeoutMs)} for ${s.follow!.identity.exe.split('/').pop()} to start again on ${this.host!.label}`, 'info');
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
    this.emit('notice', `${s.name}: ${next.identity.exe.split('/').pop()} restarted as process ${pid}; revision ${this.revisionLog.current(s.name)}`, 'info');
    if (this.stateNow === 'running' && !opts.cancelled()) this.startRun(s);
  }
}

function fmtSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}
