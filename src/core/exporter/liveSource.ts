import { EventEmitter } from 'node:events';
import { LiveSession, type LiveSessionOptions, type SessionState } from '../live/session.ts';
import type { Target } from '../host/target.ts';
import type { RouterLabels, RouterSource, RouterSourceEvents, SourceState } from './routerSource.ts';

export interface LiveSourceOptions {
  target: Target;
  pid: number;
  labels: RouterLabels;
  events?: readonly string[];
  intervalMs?: number;
  reconnect?: LiveSessionOptions['reconnect'];
}

/** perf lines the parser could not read, as PerfRun words its diagnostics. */
const PARSE_DIAGNOSTIC = /: perf line \d+: |perf's output ended inside a line/;

/** A router attached live: one LiveSession with one stream (its PID). */
export class LiveRouterSource extends EventEmitter<RouterSourceEvents> implements RouterSource {
  readonly labels: RouterLabels;
  private readonly session: LiveSession;
  private stateNow: SourceState = 'starting';

  constructor(opts: LiveSourceOptions) {
    super();
    this.labels = opts.labels;
    const s: LiveSessionOptions = { target: opts.target, pids: [opts.pid] };
    if (opts.events) s.events = opts.events;
    if (opts.intervalMs !== undefined) s.intervalMs = opts.intervalMs;
    if (opts.reconnect) s.reconnect = opts.reconnect;
    this.session = new LiveSession(s);
    this.session.on('interval', (iv) => this.emit('interval', iv));
    this.session.on('notice', (n) => (PARSE_DIAGNOSTIC.test(n) ? this.emit('parseError', n) : this.emit('notice', n)));
    this.session.on('stderr', (l) => this.emit('notice', `perf: ${l.line}`));
    this.session.on('status', (st) => this.setState(st.state));
    this.session.on('end', (e) => this.emit('end', { kind: e.kind, reason: e.reason }));
  }

  get state(): SourceState {
    return this.stateNow;
  }

  /** The events perf counts after probing (those the host supports). */
  get events(): readonly string[] | undefined {
    return this.session.probe?.events;
  }

  async start(): Promise<void> {
    await this.session.start();
  }

  async stop(): Promise<void> {
    await this.session.stop('the exporter stopped');
  }

  private setState(s: SessionState): void {
    const mapped: SourceState = s === 'running' ? 'running' : s === 'paused' ? 'paused' : s === 'reconnecting' ? 'reconnecting' : s === 'ended' ? 'ended' : 'starting';
    // A drop is counted once, when the running session loses its connection.
    if (mapped === 'reconnecting' && this.stateNow === 'running') this.emit('reconnect');
    if (mapped === this.stateNow) return;
    this.stateNow = mapped;
    this.emit('state', mapped);
  }
}
