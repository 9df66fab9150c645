import type { PacketCounts } from '../perf/interval.ts';
import { totalsProblems } from './countCheck.ts';
import { CounterError, type CounterReader, type CounterSpec, type CounterTotals, describeSpec } from './counterSource.ts';
import { totalsDelta } from './deltas.ts';

export interface StreamCountersOptions {
  /** For messages: `pid-4242`. */
  stream: string;
  spec: CounterSpec;
  /** Opens the source; calls `onAsking` once its own parts run and it asks the router. */
  open: (spec: CounterSpec, onAsking: () => void) => Promise<CounterReader>;
  /** 'info' for good news (the counters found or back), else a warning. */
  onNotice: (message: string, level?: 'info') => void;
  /** A read slower than this gives the interval no packets (its late answer is not used). */
  readTimeoutMs: number;
  /**
   * The process has just started (a restarted router): its counters begin at zero, so
   * until a first valid reading the baseline is zero, and the packets it took before
   * the source answered are counted, not lost.
   */
  fromZero?: boolean;
  /** First wait before opening a failed source again; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  now?: () => number;
}

/** What one interval boundary gave: the interval's packets, or why it has none. */
export interface CounterSample {
  packets?: PacketCounts;
  /** The router's counters went down during the interval (it or a port restarted): for a mark in the recording. */
  restart?: string;
}

/**
 * One stream's counter source during a session: read at every perf interval
 * boundary and turned into the interval's packets (deltas of the totals). It
 * never holds perf up: a boundary that comes while a read is still out, a read
 * slower than `readTimeoutMs`, a reading with a value that is not a count, a
 * counter going down (a restart) or a port coming or going each leave that
 * interval without packets, and the next good reading is the new baseline. A
 * source that fails gets one notice; it is opened again with backoff.
 */
export class StreamCounters {
  private reader: CounterReader | undefined;
  private last: CounterTotals | undefined;
  /** A reading that lost ports, told once the next reading shows it was not the router stopping. */
  private portsGone: { key: string; message: string } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private failing: string | undefined;
  private everRead = false;
  private readonly noticed = new Set<string>();
  private retryAt = 0;
  private retryDelay: number;
  private closed = false;
  private readonly now: () => number;
  private fromZero: boolean;

  constructor(private readonly o: StreamCountersOptions) {
    this.retryDelay = o.retryMs ?? 1000;
    this.fromZero = o.fromZero ?? false;
    this.now = o.now ?? Date.now;
  }

  get description(): string {
    return this.reader?.description ?? describeSpec(this.o.spec);
  }

  /**
   * Opens the source and reads the baseline (perf is starting). Waits for the
   * reader to run (a helper process starting), then at most `readTimeoutMs` for
   * the router's answer: a silent router goes on being asked behind perf, and the
   * first reading after it answered is the baseline.
   */
  async start(): Promise<void> {
    // A fresh process's source is opened beside the intervals, not in their way (over ssh
    // that takes seconds): its zero baseline keeps what it counts meanwhile.
    if (this.fromZero) return;
    await this.sample(true);
  }

  /** When the reader asks the router (set while it is being opened). */
  private asking: (() => void) | undefined;

  /** The next reading is a new baseline (perf restarted after a gap). */
  rebase(): void {
    this.last = undefined;
  }

  /**
   * Reads now: the interval's packets since the previous reading, or why there are
   * none. Readings are taken one at a time; one that is not back within
   * `readTimeoutMs` of the boundary is abandoned (a late reading is not that
   * boundary's, so it is no baseline either), and one still queued then is never sent.
   */
  async sample(first = false): Promise<CounterSample> {
    let abandoned = false;
    const run = async (): Promise<CounterSample> => {
      const prev = this.last;
      if (!this.fromZero) this.last = undefined;
      if (abandoned || this.closed) return {};
      if (!this.reader && !first && this.now() < this.retryAt) return {};
      const got = await this.readTotals();
      if (abandoned || !got || this.closed) return {};
      return this.interval(prev, got);
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    // The clock for the router's answer starts at the boundary, or when a reader being opened asks.
    const late = new Promise<'late'>((res) => {
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => res('late'), this.o.readTimeoutMs);
      };
      if (this.reader || !first) arm();
      else this.asking = arm;
    });
    const got = await Promise.race([p, late]).finally(() => {
      clearTimeout(timer);
      this.asking = undefined;
    });
    if (got !== 'late') return got;
    abandoned = true;
    // A source still being opened is told about once the open ends (it worked, or why not).
    if (this.reader) this.noticeOnce('late', `${this.o.stream}: ${this.description} did not answer within ${this.o.readTimeoutMs} ms; intervals it answers late for have no packets (perf goes on)`);
    return {};
  }

  /** A valid reading becomes the baseline; with the previous one it gives the interval's packets. */
  private interval(prev: CounterTotals | undefined, got: CounterTotals): CounterSample {
    const problems = totalsProblems(got);
    if (problems.length > 0) {
      this.noticeOnce(problems[0]!, `${this.o.stream}: unusable reading of ${this.description}: ${problems.join('; ')}; intervals with such values have no packets`);
      return {};
    }
    this.last = got;
    if (this.fromZero) {
      this.fromZero = false;
      prev = zeroTotals(got);
    }
    if (!prev) return {};
    const d = totalsDelta(prev, got, this.o.spec.kind);
    if (d.kind === 'packets') return { packets: d.packets };
    if (d.kind === 'restart') {
      this.noticeOnce(`restart:${d.detail}`, `${this.o.stream}: router packet counters went down (${d.detail}): the router or a port restarted; that interval has no packets, the next counts from the new totals`);
      return { restart: `router counters restarted: ${d.detail}` };
    }
    // No port at all: a router that is stopping (or still starting) lists none, a moment before its socket closes.
    if (got.ports.length === 0) this.noticeOnce('ports:none', `${this.o.stream}: the router listed none of its ports (${d.detail}): it is stopping or starting; that interval has no packets`, 'info');
    // Ports only gone: a stopping router closes them one by one before its socket; the next reading tells.
    else if (got.ports.every((q) => prev.ports.some((p) => p.port === q.port))) this.portsGone = { key: `ports:${d.detail}`, message: `${this.o.stream}: ${d.detail}; that interval has no packets` };
    else this.noticeOnce(`ports:${d.detail}`, `${this.o.stream}: ${d.detail}; that interval has no packets`);
    return {};
  }

  async close(): Promise<void> {
    this.closed = true;
    // Closing the reader ends a read still out (its helper goes); a read that hangs anyway is not waited for.
    const r = this.reader;
    this.reader = undefined;
    await r?.close().catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.chain.catch(() => {}), new Promise((res) => (timer = setTimeout(res, this.o.readTimeoutMs)))]);
    clearTimeout(timer);
  }

  /** Opens the source when needed and reads it; undefined (with a notice) when it cannot. */
  private async readTotals(): Promise<CounterTotals | undefined> {
    if (!this.reader) {
      try {
        this.reader = await this.o.open(this.o.spec, () => this.asking?.());
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
      const t = await this.reader.read();
      this.tellPortsGone();
      this.recovered();
      return t;
    } catch (e) {
      // A reader that failed is opened again later (socket gone, router restarting, helper gone).
      const r = this.reader;
      this.reader = undefined;
      void r?.close().catch(() => {});
      this.failed(e);
      return undefined;
    }
  }

  private noticeOnce(key: string, message: string, level?: 'info'): void {
    // Values and port ids vary from one reading to the next; the kind of problem does not.
    const k = key.replace(/\d+/g, '#');
    if (this.noticed.has(k)) return;
    this.noticed.add(k);
    this.o.onNotice(message, level);
  }

  private failed(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    const closed = e instanceof CounterError && e.closedByRouter;
    // Ports that went missing just before the router closed its socket were the router stopping.
    if (closed) this.portsGone = undefined;
    else this.tellPortsGone();
    this.retryAt = this.now() + this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.o.maxRetryMs ?? 10_000);
    if (this.failing === msg) return;
    const first = this.failing === undefined;
    this.failing = msg;
    // A restarted router opens its socket or port a moment after its process appears: not yet is no failure.
    if (first && this.o.fromZero && !this.everRead) this.o.onNotice(`${this.o.stream}: waiting for the restarted router's packet counters (${msg}); perf goes on`, 'info');
    // The router closing its socket after good readings is its exit or restart, which the session reports itself.
    else if (first && this.everRead && closed) this.o.onNotice(`${this.o.stream}: router packet counters stopped (${msg}); perf goes on`, 'info');
    else this.o.onNotice(`${this.o.stream}: ${first ? 'no router packet counters' : 'router packet counters still unavailable'} (${msg}); perf goes on, retrying`);
  }

  private tellPortsGone(): void {
    if (this.portsGone) this.noticeOnce(this.portsGone.key, this.portsGone.message);
    this.portsGone = undefined;
  }

  private recovered(): void {
    if (!this.everRead) this.o.onNotice(`${this.o.stream}: router packet counters from ${this.description}`, 'info');
    else if (this.failing !== undefined) this.o.onNotice(`${this.o.stream}: router packet counters back from ${this.description}`, 'info');
    this.everRead = true;
    this.failing = undefined;
    this.retryDelay = this.o.retryMs ?? 1000;
  }
}

/** The totals of a process that has just started: its ports, every counter at zero. */
function zeroTotals(like: CounterTotals): CounterTotals {
  return {
    ports: like.ports.map((p) => ({
      port: p.port,
      rx: 0,
      tx: 0,
      dropped: 0,
      ...(p.rxBytes !== undefined ? { rxBytes: 0 } : {}),
      ...(p.txBytes !== undefined ? { txBytes: 0 } : {}),
    })),
  };
}
