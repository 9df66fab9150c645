import type { PerfProbe } from '../../core/live/probe.ts';
import type { CostRecord } from '../../core/recording/format.ts';
import { LiveSession, probeNotices } from '../../core/live/session.ts';
import type { Target } from '../../core/host/target.ts';
import { describeTarget } from '../../core/host/target.ts';
import { remoteCommandLine } from '../../core/host/shellQuote.ts';
import type { PerfFacts } from '../../protocol.ts';
import { log } from '../log.ts';
import type { SessionSource, SourceHandlers } from './session.ts';

export interface LiveSourceOptions {
  target: Target;
  pids: number[];
  processes: { pid: number; cmdline: string }[];
  events: string[];
  intervalMs: number;
  recordTo: string;
  /** Follow the router across restarts for this long (0: the session ends when it exits). */
  restartTimeoutMs?: number;
  /** The workspace folder whose git commit each revision records. */
  gitDir?: string;
}

/** A live perf attach (local or over SSH) through the core LiveSession, recorded as it runs. */
export class LiveSource implements SessionSource {
  readonly kind = 'live' as const;
  readonly host: string;
  /** The routers' current processes: a followed router's restart replaces its pid. */
  pids: number[];
  readonly events: string[];
  readonly intervalMs: number;
  readonly recordingPath: string;
  private session: LiveSession | undefined;
  private stopReason: string | undefined;

  constructor(private readonly opts: LiveSourceOptions) {
    this.host = describeTarget(opts.target);
    this.pids = [...opts.pids];
    this.events = opts.events;
    this.intervalMs = opts.intervalMs;
    this.recordingPath = opts.recordTo;
  }

  /** Where the router runs (for the element-cost sampler, which opens its own connection there). */
  get target(): Target {
    return this.opts.target;
  }

  async run(h: SourceHandlers): Promise<void> {
    h.processes?.(this.opts.processes);
    const s = new LiveSession({
      target: this.opts.target,
      pids: this.opts.pids,
      ...(this.opts.events.length > 0 ? { events: this.opts.events } : {}),
      intervalMs: this.opts.intervalMs,
      recordTo: this.opts.recordTo,
      ...(this.opts.restartTimeoutMs ? { restartTimeoutMs: this.opts.restartTimeoutMs } : {}),
      ...(this.opts.gitDir !== undefined ? { gitDir: this.opts.gitDir } : {}),
    });
    this.session = s;
    s.on('interval', (iv) => h.interval(iv));
    s.on('status', (st) => {
      if (st.state === 'idle') return;
      const reason = st.state === 'reconnecting' && st.attempt ? `${st.reason ?? 'connection lost'}; attempt ${st.attempt}` : st.reason;
      h.status(st.state === 'ended' ? 'ended' : st.state, reason);
    });
    // The panel words the missing-PMU case itself (one notice with what to do): the list of events goes to the log.
    let quiet = new Set<string>();
    s.on('probe', (p) => {
      quiet = new Set(probeNotices(p).filter((n) => n.notSupported).map((n) => n.text));
      h.perf?.(perfFacts(p));
    });
    s.on('notice', (text, level) => {
      log().info(`${this.host}: ${text}`);
      if (!quiet.has(text)) h.notice(level ?? 'warning', text);
    });
    s.on('command', (c) => log().info(`${this.host}: perf for ${c.stream}: ${remoteCommandLine(c.argv)}`));
    s.on('stderr', (l) => log().warn(`perf (${l.stream}): ${l.line}`));
    s.on('gap', (g) => h.notice('info', `no data ${g.from} – ${g.to}: ${g.reason}`));
    const streamPid = new Map<string, number>();
    s.on('revision', (r) => {
      const before = streamPid.get(r.stream);
      streamPid.set(r.stream, r.pid);
      if (before !== undefined && before !== r.pid) this.pids = this.pids.map((p) => (p === before ? r.pid : p));
      h.revision?.(r);
    });
    s.on('revisionEnd', (r) => h.revisionEnd?.(r));
    if (this.stopReason) return;
    await s.start();
    const end = await s.ended;
    h.status('ended', end.reason);
    if (end.kind === 'error' || end.kind === 'perf-failed' || end.kind === 'connection-lost') h.notice('error', end.reason);
  }

  /** Into the session's recording, after what was written so far. */
  recordCost(c: CostRecord): void {
    this.session?.recordCost(c);
  }

  pause(): void {
    void this.session?.pause();
  }

  resume(): void {
    void this.session?.resume();
  }

  stop(reason: string): void {
    this.stopReason ??= reason;
    void this.session?.stop(reason);
  }
}

function perfFacts(p: PerfProbe): PerfFacts {
  return {
    unsupported: p.dropped.filter((d) => d.kind === 'not-supported').map((d) => d.event),
    refused: p.dropped.filter((d) => d.kind === 'refused').map((d) => d.event),
    paranoid: p.paranoid ?? null,
  };
}
