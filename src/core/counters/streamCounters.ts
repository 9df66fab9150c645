import type { PacketCounts } from '../perf/interval.ts';
import { CounterError, type CounterReader, type CounterSpec, type CounterTotals, describeSpec } from './counterSource.ts';
import { totalsDelta } from './deltas.ts';

export interface StreamCountersOptions {
  /** For messages: `pid-4242`. */
  stream: string;
  spec: CounterSpec;
  open: (spec: CounterSpec) => Promise<CounterReader>;
  onNotice: (message: string) => void;
  /** A read slower than this gives the interval no packets (the next one counts them). */
  readTimeoutMs: number;
  /**
   * The process has just started (a restarted router): its counters begin at zero, so
   * until a first reading succeeds the baseline is zero, and the packets it took before
   * the source answered are counted, not lost.
   */
  fromZero?: boolean;
  /** First wait before opening a failed source again; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  now?: () => number;
}

/**
 * One stream's counter source during a session: read at every perf interval
 * boundary and turned into the interval's packets (deltas of the totals). A
 * source that fails (socket gone, no permission, router restarting) gets one
 * notice; perf goes on, and the source is opened again with backoff. After an
 * outage the first reading is a new baseline, so no interval is credited with
 * packets that arrived while nothing was read.
 */
export class StreamCounters {
  private reader: CounterReader | undefined;
  private last: CounterTotals | undefined;
  private failing: string | undefined;
  private retryAt = 0;
  private retryDelay: number;
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private fromZero: boolean;
  private opening: Promise<void> | undefined;

  constructor(private readonly o: StreamCountersOptions) {
    this.retryDelay = o.retryMs ?? 1000;
    this.fromZero = o.fromZero ?? false;
    this.now = o.now ?? Date.now;
  }

  get description(): string {
    return this.reader?.description ?? describeSpec(this.o.spec);
  }

  /** Opens the source and reads the baseline (perf is starting). */
  start(): Promise<void> {
    return this.serial(async () => {
      this.last = this.fromZero ? { ports: [] } : await this.readTotals(true);
    });
  }

  /** The next reading is a new baseline (perf restarted after a gap). */
  rebase(): void {
    this.last = undefined;
  }

  /** Reads now; the packets since the previous reading, or undefined when there is none to compare with. */
  sample(): Promise<PacketCounts | undefined> {
    return this.serial(async () => {
      const prev = this.last;
      const cur = await this.readTotals(false);
      if (!cur) {
        // A fresh process keeps its zero baseline until the source first answers.
        if (!this.fromZero) this.last = undefined;
        return undefined;
      }
      this.fromZero = false;
      this.last = cur;
      if (!prev) return undefined;
      return totalsDelta(prev, cur, this.o.spec.kind);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => {});
    await this.opening;
    const r = this.reader;
    this.reader = undefined;
    await r?.close().catch(() => {});
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => {});
    return p;
  }

  private async readTotals(first: boolean): Promise<CounterTotals | undefined> {
    if (this.closed) return undefined;
    if (!this.reader) {
      if (!first && this.now() < this.retryAt) return undefined;
      // A fresh process's source is opened beside the intervals, not in their way (over ssh
      // that takes seconds); the zero baseline keeps what it counts meanwhile.
      if (this.fromZero) {
        this.opening ??= this.openInBackground();
        return undefined;
      }
      try {
        this.reader = await this.o.open(this.o.spec);
      } catch (e) {
        this.failed(e);
        return undefined;
      }
      if (this.closed) {
        await this.reader.close().catch(() => {});
        this.reader = undefined;
        return undefined;
      }
    }
    try {
      const t = await withTimeout(this.reader.read(), this.o.readTimeoutMs, () => new CounterError(`${this.reader?.description ?? describeSpec(this.o.spec)} did not answer within ${this.o.readTimeoutMs} ms`));
      this.recovered();
      return t;
    } catch (e) {
      // A slow answer keeps the reader; anything else opens the source again later.
      if (!(e instanceof TimeoutError)) {
        const r = this.reader;
        this.reader = undefined;
        void r?.close().catch(() => {});
      }
      this.failed(e);
      return undefined;
    }
  }

  private async openInBackground(): Promise<void> {
    try {
      const r = await this.o.open(this.o.spec);
      if (this.closed) await r.close().catch(() => {});
      else this.reader = r;
    } catch (e) {
      this.failed(e);
    } finally {
      this.opening = undefined;
    }
  }

  private failed(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    this.retryAt = this.now() + this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.o.maxRetryMs ?? 10_000);
    if (this.failing === msg) return;
    const first = this.failing === undefined;
    this.failing = msg;
    this.o.onNotice(`${this.o.stream}: ${first ? 'no router packet counters' : 'router packet counters still unavailable'} (${msg}); perf goes on, retrying`);
  }

  private recovered(): void {
    if (this.failing !== undefined) this.o.onNotice(`${this.o.stream}: router packet counters back from ${this.description}`);
    this.failing = undefined;
    this.retryDelay = this.o.retryMs ?? 1000;
  }
}

class TimeoutError extends CounterError {}

function withTimeout<T>(p: Promise<T>, ms: number, err: () => CounterError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new TimeoutError(err().message), {})), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
