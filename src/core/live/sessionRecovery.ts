import { type Attach, describeAttach, idOf } from '../host/attach.ts';
import { LiveError } from '../host/errors.ts';
import type { Gap } from '../recording/format.ts';
import type { PerfRun } from './perfRun.ts';
import { SessionStreams } from './sessionStreams.ts';
import type { StreamState } from './sessionTypes.ts';

/**
 * A session's answers to a perf that exits: the router gone (the stream ends, or its
 * restart is looked for), perf failing (the session ends), or the connection lost
 * (reconnect with backoff, then the streams start again with a gap).
 */
export abstract class SessionRecovery extends SessionStreams {
  protected override async runExited(s: StreamState, run: PerfRun, exitCode: number | undefined, signal: string | undefined): Promise<void> {
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

  protected streamEnded(s: StreamState, why: string): void {
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
  protected async processAlive(a: Attach): Promise<boolean> {
    const script = 'read -r s < "/proc/$1/stat" 2>/dev/null || exit 1; case "${s##*) }" in Z*|X*) exit 1;; esac; exit 0';
    const r = await this.host!.run(['sh', '-c', script, 'vnf-lens', String(idOf(a))], { timeoutMs: 10_000 });
    if (r.exitCode === 0) return true;
    if (r.exitCode === 1) return false;
    throw new LiveError('command-failed', `cannot check ${describeAttach(a)} on ${this.host!.label} (exit ${r.exitCode ?? r.signal})`);
  }

  protected connectionLost(reason: string): void {
    if (this.stopping || this.endInfo || this.reconnecting) return;
    if (this.stateNow === 'paused') {
      this.lostWhilePaused = reason;
      return;
    }
    if (this.stateNow !== 'running') return;
    void this.recover(reason);
  }

  /** After a drop: keep what was received, reconnect with backoff, restart the streams. */
  protected async recover(reason: string): Promise<void> {
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
  protected async reconnectWithBackoff(reason: string, lostAt: number): Promise<boolean> {
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
  protected async restartStreams(gapReason: string, from: number): Promise<void> {
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

  /** Waits for the stream's router to start again (sessionFollow.ts). */
  protected abstract followRestart(s: StreamState, why: string): Promise<void>;
}
