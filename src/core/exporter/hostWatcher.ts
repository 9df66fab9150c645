import type { HostRunner } from '../host/host.ts';
import { openHost } from '../host/openHost.ts';
import { listProcessesWithCounters } from '../counters/processCounters.ts';
import type { LiveSessionOptions } from '../live/session.ts';
import type { Exporter } from './exporter.ts';
import { LiveRouterSource } from './liveSource.ts';
import type { HostSpec } from './targetConfig.ts';
import { type CompiledTarget, compileTarget, describeTargetSpec, labelsFor, selectProcesses } from './targets.ts';

export interface HostWatcherOptions {
  /** How often the process list is read again (new routers, restarted routers). */
  pollMs: number;
  /** Wait before trying a process again after its attach failed. */
  retryMs?: number;
  intervalMs?: number;
  events?: readonly string[];
  reconnect?: LiveSessionOptions['reconnect'];
  log?: (message: string) => void;
}

interface Attached {
  source: LiveRouterSource;
  target: number;
  /** Its process left the process list (its session may end a little later). */
  gone?: boolean;
}

/**
 * Keeps one host's routers attached: reads its process list every poll, attaches
 * a live session to each process a target selects, and lets sessions of processes
 * that are gone end (their series go with them). A router matched by a pattern that
 * comes back under a new PID is attached again and counted as a reconnect.
 */
export class HostWatcher {
  private readonly targets: CompiledTarget[];
  private readonly attached = new Map<number, Attached>();
  private readonly retryAt = new Map<number, number>();
  /** Pattern targets whose router exited: the next process they select is a restart. */
  private readonly restarted = new Set<number>();
  private readonly reported = new Set<string>();
  private readonly starting = new Set<Promise<unknown>>();
  private host: HostRunner | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly exporter: Exporter,
    private readonly spec: HostSpec,
    private readonly opts: HostWatcherOptions,
  ) {
    this.targets = spec.targets.map(compileTarget);
    exporter.host(spec.name);
  }

  /** Polls now and then every `pollMs` until stopped. */
  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, this.opts.pollMs);
      });
    };
    loop();
  }

  /** One pass: read the processes, attach what is new. Resolves once the attaches have been started. */
  async poll(): Promise<void> {
    let list;
    try {
      this.host ??= await openHost(this.spec.target, this.abort.signal);
      list = await listProcessesWithCounters(this.host, this.abort.signal);
      this.reported.delete('list');
    } catch (e) {
      if (this.stopped) return;
      this.once('list', `cannot list the processes of ${this.spec.name}: ${(e as Error).message}; trying again every ${this.opts.pollMs / 1000} s`);
      // A dropped ssh connection is opened afresh at the next poll.
      const h = this.host;
      this.host = undefined;
      await h?.close().catch(() => undefined);
      return;
    }
    if (this.stopped) return;
    const exclude = new Set(this.spec.target.kind === 'local' ? [process.pid] : []);
    const selected = selectProcesses(list, this.targets, exclude);
    // A router that is gone before its session notices: its successor may be in this very list.
    for (const [pid, a] of this.attached) {
      if (selected.has(pid) || a.gone) continue;
      a.gone = true;
      if (this.targets[a.target]!.pattern) this.restarted.add(a.target);
    }
    const now = Date.now();
    for (const [pid, { process: p, target }] of selected) {
      if (this.attached.has(pid) || (this.retryAt.get(pid) ?? 0) > now) continue;
      this.attach(pid, target, labelsFor(this.spec.name, p));
    }
    for (const [i, t] of this.targets.entries()) {
      if (!t.pattern && ![...selected.values()].some((s) => s.target === i)) this.once(`missing-${i}`, `${describeTargetSpec(t.spec)}: no such process on ${this.spec.name}`);
      else this.reported.delete(`missing-${i}`);
    }
    for (const pid of this.retryAt.keys()) if (!selected.has(pid)) this.retryAt.delete(pid);
  }

  /** Stops polling and every session of this host; closes the listing connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.polling?.catch(() => undefined);
    await Promise.allSettled([...this.starting]);
    await Promise.allSettled([...this.attached.values()].map((a) => a.source.stop()));
    await this.host?.close().catch(() => undefined);
  }

  private attach(pid: number, target: number, labels: ReturnType<typeof labelsFor>): void {
    const source = new LiveRouterSource({
      target: this.spec.target,
      pid,
      labels,
      ...(this.spec.events ?? this.opts.events ? { events: this.spec.events ?? this.opts.events } : {}),
      ...((this.spec.intervalMs ?? this.opts.intervalMs) !== undefined ? { intervalMs: this.spec.intervalMs ?? this.opts.intervalMs } : {}),
      ...(this.opts.reconnect ? { reconnect: this.opts.reconnect } : {}),
    });
    if (!this.exporter.add(source)) {
      this.retryAt.set(pid, Date.now() + this.retryMs());
      return;
    }
    const entry: Attached = { source, target };
    this.attached.set(pid, entry);
    const isRestart = this.targets[target]!.pattern && this.restarted.delete(target);
    source.once('end', (e) => {
      if (this.attached.get(pid) === entry) this.attached.delete(pid);
      if (e.kind === 'router-exited' && this.targets[target]!.pattern) {
        if (!entry.gone) this.restarted.add(target);
      }
      else if (e.kind !== 'stopped' && e.kind !== 'router-exited') this.retryAt.set(pid, Date.now() + this.retryMs());
    });
    const started = source
      .start()
      .then(() => {
        if (isRestart) this.exporter.countReconnect(this.spec.name, 'router-restart');
        this.log(`attached to ${labels.comm} (pid ${pid}, ${labels.router}) on ${this.spec.name}${isRestart ? ' (router restarted)' : ''}, counting ${source.events?.join(',') ?? '?'}`);
      })
      .catch((e: unknown) => {
        if (this.stopped) return;
        this.exporter.countAttachFailure(this.spec.name);
        if (isRestart) this.restarted.add(target);
        this.log(`cannot attach to ${labels.comm} (pid ${pid}) on ${this.spec.name}: ${(e as Error).message}`);
      })
      .finally(() => this.starting.delete(started));
    this.starting.add(started);
  }

  private retryMs(): number {
    return this.opts.retryMs ?? Math.max(this.opts.pollMs, 10_000);
  }

  /** A problem is logged when it starts, not at every poll while it lasts. */
  private once(key: string, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.log(message);
  }

  private log(m: string): void {
    this.opts.log?.(m);
  }
}
