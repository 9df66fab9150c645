import { EventEmitter } from 'node:events';
import type { Interval } from '../perf/interval.ts';
import { readAllIntervals } from '../source/readIntervals.ts';
import type { RouterLabels, RouterSource, RouterSourceEvents, SourceState } from './routerSource.ts';

export interface ReplaySourceOptions {
  labels: RouterLabels;
  /** One router's intervals in time order (see `loadReplayIntervals`); shared, never modified. */
  intervals: readonly Interval[];
  /** Intervals emitted per second of wall time. */
  hz: number;
  /** Start again from the first interval at the end (soak tests, demos); otherwise the source finishes. */
  loop?: boolean;
  /** Start this far into the recording, so many replays of one file do not move in lockstep. */
  offset?: number;
}

/**
 * A recorded router replayed at a steady pace, as if it were attached live. Looping
 * shifts interval times forward so the inference sees time move on.
 */
export class ReplayRouterSource extends EventEmitter<RouterSourceEvents> implements RouterSource {
  readonly labels: RouterLabels;
  private readonly opts: ReplaySourceOptions;
  private stateNow: SourceState = 'starting';
  private timer: NodeJS.Timeout | undefined;
  private next: number;
  private shift = 0;
  private readonly span: number;

  constructor(opts: ReplaySourceOptions) {
    super();
    if (opts.intervals.length === 0) throw new Error(`replay for ${opts.labels.comm}: no intervals to replay`);
    if (!(opts.hz > 0 && opts.hz <= 1000)) throw new Error(`replay pace ${opts.hz} Hz must be above 0 and at most 1000`);
    this.opts = opts;
    this.labels = opts.labels;
    this.next = (opts.offset ?? 0) % opts.intervals.length;
    const first = opts.intervals[0]!;
    const last = opts.intervals[opts.intervals.length - 1]!;
    this.span = last.t - first.t + first.dt;
  }

  get state(): SourceState {
    return this.stateNow;
  }

  async start(): Promise<void> {
    if (this.stateNow !== 'starting') return;
    this.setState('running');
    this.timer = setInterval(() => this.tick(), 1000 / this.opts.hz);
  }

  async stop(): Promise<void> {
    this.finish('stopped', 'stopped');
  }

  private tick(): void {
    const ivs = this.opts.intervals;
    if (this.next >= ivs.length) {
      if (!this.opts.loop) return this.finish('finished', 'the recording is replayed to its end');
      this.next = 0;
      this.shift += this.span;
    }
    const iv = ivs[this.next++]!;
    // A view with its own time: the parsed interval (and its fast-path slot data) stays shared.
    const view = this.shift === 0 ? iv : (Object.create(iv, { t: { value: iv.t + this.shift, enumerable: true } }) as Interval);
    this.emit('interval', view);
  }

  private finish(kind: string, reason: string): void {
    if (this.stateNow === 'ended') return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.setState('ended');
    this.emit('end', { kind, reason });
  }

  private setState(s: SourceState): void {
    this.stateNow = s;
    this.emit('state', s);
  }
}

/**
 * The intervals of one router from a recording or perf output file: the given run or
 * stream, else the first one found. Lines that cannot be read are passed to `onParseError`.
 */
export async function loadReplayIntervals(file: string, opts: { run?: string; onParseError?: (message: string) => void } = {}): Promise<Interval[]> {
  const all = await readAllIntervals(file, { onDiagnostic: (d) => opts.onParseError?.(`${file}: line ${d.line}: ${d.message}`) });
  const which = (iv: Interval) => iv.run ?? iv.stream;
  const want = opts.run ?? (all[0] ? which(all[0]) : undefined);
  const out = all.filter((iv) => which(iv) === want);
  if (out.length === 0) {
    const names = [...new Set(all.map(which).filter((x) => x !== undefined))];
    throw new Error(`${file}: no intervals${opts.run !== undefined ? ` for run ${JSON.stringify(opts.run)}${names.length > 0 ? ` (runs: ${names.slice(0, 10).join(', ')})` : ''}` : ''}`);
  }
  return out;
}
