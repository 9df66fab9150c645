import { type CounterSample, StreamCounters } from '../counters/streamCounters.ts';
import type { CounterSpec } from '../counters/counterSource.ts';
import { streamCounterSpecs } from '../counters/sessionCounters.ts';
import { openCounterReader } from '../counters/openReader.ts';
import { idOf } from '../host/attach.ts';
import { LiveError } from '../host/errors.ts';
import type { Interval } from '../perf/interval.ts';
import type { RecordingMeta } from '../recording/format.ts';
import { RecordingWriter } from '../recording/writer.ts';
import { PerfRun } from './perfRun.ts';
import type { PerfProbe } from './probe.ts';
import { SessionBase } from './sessionBase.ts';
import type { StreamState } from './sessionTypes.ts';

/**
 * A session's streams: one perf run each, the router's packet counters read at every
 * interval boundary and joined to the interval, and the recording they are written to.
 */
export abstract class SessionStreams extends SessionBase {
  protected createRecording(path: string, p: PerfProbe): RecordingWriter {
    const first = this.streamStates[0]!;
    const meta: RecordingMeta = {
      host: p.host,
      processes: p.processes.map((q) => ({ pid: idOf(q.attach), comm: q.comm, cmdline: q.commandLine })),
      perfVersion: p.perfVersion,
      perfCommand: this.perfArgv(first.attach),
      events: p.events,
      ...(p.dropped.some((d) => d.kind === 'not-supported') ? { unsupported: p.dropped.filter((d) => d.kind === 'not-supported').map((d) => d.event) } : {}),
      intervalMs: this.intervalMs,
      startedAt: new Date().toISOString(),
      separator: ',',
    };
    if (this.opts.tags) meta.tags = this.opts.tags;
    try {
      return RecordingWriter.create(path, meta);
    } catch (e) {
      throw new LiveError('recording', (e as Error).message);
    }
  }

  protected startRun(s: StreamState): void {
    const now = performance.now();
    const offsetS = s.baseAt === undefined ? 0 : (now - s.baseAt) / 1000;
    s.baseAt ??= now;
    const i = this.streamStates.indexOf(s);
    const argv = this.perfArgv(s.attach);
    this.emit('command', { stream: s.name, argv });
    const run = new PerfRun({
      host: this.host!,
      argv,
      stream: s.name,
      offsetS,
      linesPerInterval: this.probeResult!.linesPerInterval[i] ?? this.probeResult!.events.length,
      quietMs: this.opts.quietMs ?? 10,
      onLines: (text) => {
        s.lastDataAt = Date.now();
        if (s.pending) s.pending = s.pending.then(() => this.record(() => this.writer?.perfText(s.name, text)));
        else this.record(() => this.writer?.perfText(s.name, text));
      },
      onInterval: (iv) => this.deliver(s, iv),
      onStderr: (line) => this.emit('stderr', { stream: s.name, line }),
      onDiagnostic: (m) => this.emit('notice', m),
    });
    s.run = run;
    void run.exited.then((info) => this.runExited(s, run, info.exitCode, info.signal));
  }

  /** Finds and opens each stream's counter source; one that fails is a notice, never an error. */
  protected async startCounters(): Promise<void> {
    const choice = this.opts.routerCounters ?? 'auto';
    if (choice === 'off') return;
    const host = this.host!;
    const specs = await streamCounterSpecs(host, this.streamStates.map((s) => s.attach), choice, (m) => this.emit('notice', m));
    await Promise.all(
      this.streamStates.map(async (s, i) => {
        const spec = specs[i];
        if (!spec) return;
        s.counters = this.streamCounters(s, spec, false);
        s.pending = Promise.resolve();
        await s.counters.start();
      }),
    );
  }

  /**
   * Hands an interval on. With a counter source, the source is read first (perf just
   * closed the interval), the counts go into the recording after the interval's
   * perf lines, and intervals stay in order.
   */
  protected deliver(s: StreamState, iv: Interval): void {
    const rev = this.revisionLog.current(s.name);
    if (rev !== undefined) {
      iv.revision = rev;
      this.revisionLog.saw(s.name, iv.t);
    }
    const c = s.counters;
    if (!c || !s.pending) {
      this.emit('interval', iv);
      return;
    }
    const read = c.sample();
    s.pending = s.pending.then(async () => {
      const { packets: p, restart } = await read.catch(() => ({}) as CounterSample);
      if (p) {
        iv.packets = p;
        this.record(() => this.writer?.packets({ stream: s.name, t: iv.t, ...p }));
      }
      if (restart !== undefined) this.record(() => this.writer?.mark({ t: iv.t, text: restart, stream: s.name }));
      this.emit('interval', iv);
    });
  }

  /** The new process's own counters: found again from it, counted from zero (it just started). */
  protected async reopenCounters(s: StreamState): Promise<void> {
    const choice = this.opts.routerCounters ?? 'auto';
    const i = this.streamStates.indexOf(s);
    await s.counters?.close();
    s.counters = undefined;
    if (choice === 'off' || (choice !== 'auto' && i > 0)) return;
    const host = this.host!;
    const [spec] = await streamCounterSpecs(host, [s.attach], choice, (m) => this.emit('notice', m));
    if (!spec) return;
    // Kernel interfaces and OVS ports outlive the router process; the others count from its start.
    s.counters = this.streamCounters(s, spec, spec.kind !== 'netdev' && spec.kind !== 'ovs');
    s.pending ??= Promise.resolve();
    await s.counters.start();
  }

  protected streamCounters(s: StreamState, spec: CounterSpec, fromZero: boolean): StreamCounters {
    const host = this.host!;
    // Messages name the process counted now: after a restart that is no longer the stream's first pid.
    const current = `${'pid' in s.attach ? 'pid' : 'tid'}-${idOf(s.attach)}`;
    return new StreamCounters({
      stream: current,
      spec,
      open: (sp, onAsking) => openCounterReader(host, sp, undefined, onAsking),
      onNotice: (m, level) => this.emit('notice', m, level),
      readTimeoutMs: Math.max(200, Math.min(2000, Math.round(this.intervalMs * 0.8))),
      fromZero,
      // A restarted router opens its counters (a telemetry socket, a control port) a moment after
      // its process appears: try again every couple of intervals, not with the long backoff.
      ...(fromZero ? { maxRetryMs: Math.max(1000, 2 * this.intervalMs) } : {}),
    });
  }

  /** What happens when a stream's perf exits (sessionRecovery.ts). */
  protected abstract runExited(s: StreamState, run: PerfRun, exitCode: number | undefined, signal: string | undefined): Promise<void>;
}
