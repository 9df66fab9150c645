import type { HostRunner, StreamedProcess } from '../host/host.ts';
import { LiveError, isLiveError } from '../host/errors.ts';
import { lastLines } from '../host/sshErrors.ts';
import { type ConfigElement, type ElementCostReport, attributeSamples } from './elementCost.ts';
import { parsePerfScript } from './perfSamples.ts';
import {
  type CallGraph,
  DEFAULT_FREQUENCY_HZ,
  DEFAULT_WINDOW_S,
  checkTempDir,
  dataFileIn,
  mktempArgv,
  parseTimes,
  perfRecordArgv,
  perfScriptArgv,
  removeTempDirArgv,
  timedArgv,
  withoutTimes,
} from './perfRecordCommand.ts';

export interface CostSamplerOptions {
  host: HostRunner;
  pid: number;
  perfPath?: string;
  frequencyHz?: number;
  windowS?: number;
  callGraph?: CallGraph;
  /**
   * Most of one CPU the sampling (perf record and perf script together, as measured
   * on the host) may use on average, 0..1: after a window that cost C ms of CPU,
   * the next starts no sooner than C / budget ms after this one did.
   */
  budget?: number;
  /** The config's elements, asked at every window (the config may have been edited). */
  elements(): readonly ConfigElement[];
  onWindow(w: CostWindow): void;
  onNotice(message: string): void;
  /**
   * The router process exited (the loop ends). Without it that is a notice like any
   * failure; a session that follows its router across restarts starts a sampler on the
   * next process instead.
   */
  onProcessGone?(pid: number): void;
}

/** One sampled window of a router: when, how, what it cost, and where the router's CPU went. */
export interface CostWindow {
  /** Wall-clock end of the window, ISO. */
  at: string;
  pid: number;
  windowS: number;
  frequencyHz: number;
  executable?: string;
  /** CPU time perf record and perf script used on the host for this window (undefined when `times` printed nothing). */
  perfCpuMs?: number;
  /**
   * perf's CPU over the loop so far, as a share of one CPU: every window's perf CPU
   * over the wall time since the first started, including the wait before the next.
   */
  perfShare?: number;
  report: ElementCostReport;
}

export const DEFAULT_BUDGET = 0.02;

/**
 * Samples a router with `perf record -e cpu-clock` in windows, on the session's host
 * (locally or over ssh), and attributes each window's samples to the config's
 * elements. The data file lives in a mktemp folder on the host, is read there with
 * `perf script` (the binary's own symbol tables are on the host) and removed. The
 * loop keeps perf's measured CPU under the budget by waiting between windows.
 */
export class CostSampler {
  private stopped = false;
  private record: StreamedProcess | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly symtab = new Map<string, boolean | undefined>();
  readonly frequencyHz: number;
  readonly windowS: number;
  readonly budget: number;

  constructor(private readonly o: CostSamplerOptions) {
    this.frequencyHz = o.frequencyHz ?? DEFAULT_FREQUENCY_HZ;
    this.windowS = o.windowS ?? DEFAULT_WINDOW_S;
    this.budget = o.budget ?? DEFAULT_BUDGET;
    if (!(this.budget > 0 && this.budget <= 1)) throw new LiveError('invalid-spec', `sampling budget ${this.budget} must be a share of one CPU above 0 and at most 1`);
    // Checks the spec now, so a bad frequency or PID is an error at start, not a notice later.
    perfRecordArgv(this.recordSpec('/tmp/vnf-lens-cost.AAAAAAAA/perf.data'));
  }

  get running(): boolean {
    return this.loop !== undefined && !this.stopped;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Ends the window in progress (perf is told to stop and writes what it has) and the loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const rec = this.record;
    if (rec) {
      const pid = await Promise.race([rec.targetPid, delay(2000).then(() => undefined)]);
      // SIGINT may be ignored on entry by a shell started over ssh, and then cannot be trapped: TERM is caught.
      const told = pid !== undefined && (this.o.host.remote ? await this.o.host.signal(pid, 'TERM') : (rec.kill('SIGTERM'), true));
      if (!told) rec.kill('SIGTERM');
      const t = setTimeout(() => rec.kill('SIGKILL'), 5000);
      await rec.done;
      clearTimeout(t);
    }
    await this.loop;
  }

  /** One window, for the CLI and tests: record, read, attribute; the data file is removed. */
  async sampleOnce(): Promise<CostWindow> {
    const dir = await this.makeDir();
    try {
      return await this.window(dir);
    } finally {
      await this.o.host.run(removeTempDirArgv(dir), { timeoutMs: 10_000 }).catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    const loopStart = Date.now();
    let perfMs = 0;
    while (!this.stopped) {
      const started = Date.now();
      let w: CostWindow;
      try {
        w = await this.sampleOnce();
      } catch (e) {
        if (!this.stopped && isLiveError(e, 'no-such-process') && this.o.onProcessGone) this.o.onProcessGone(this.o.pid);
        else if (!this.stopped) this.o.onNotice(`element cost of PID ${this.o.pid} on ${this.o.host.label}: ${(e as Error).message}; sampling stopped`);
        this.stopped = true;
        return;
      }
      if (this.stopped) return;
      const spacing = (w.perfCpuMs ?? 0) / this.budget;
      const wait = Math.max(0, spacing - (Date.now() - started));
      perfMs += w.perfCpuMs ?? 0;
      if (w.perfCpuMs !== undefined) w.perfShare = perfMs / (Date.now() - loopStart + wait);
      this.o.onWindow(w);
      if (wait > 0) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private recordSpec(output: string) {
    return { pid: this.o.pid, frequencyHz: this.frequencyHz, windowS: this.windowS, callGraph: this.o.callGraph ?? 'dwarf', output, ...(this.o.perfPath !== undefined ? { perfPath: this.o.perfPath } : {}) };
  }

  private async makeDir(): Promise<string> {
    const r = await this.o.host.run(mktempArgv(), { timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new LiveError('command-failed', `mktemp -d on ${this.o.host.label} failed: ${lastLines(r.stderr, 1) || `exit ${r.exitCode ?? r.signal}`}`);
    return checkTempDir(r.stdout);
  }

  private async window(dir: string): Promise<CostWindow> {
    const host = this.o.host;
    const file = dataFileIn(dir);
    const exe = await host.run(['readlink', `/proc/${this.o.pid}/exe`], { timeoutMs: 10_000 });
    if (exe.exitCode !== 0) throw new LiveError('no-such-process', `PID ${this.o.pid} is not running on ${host.label} (or its executable cannot be read: run as the router's user or root)`);
    // stop() may have come while the folder was made: no perf is started then.
    if (this.stopped && this.loop) throw new LiveError('cancelled', 'sampling stopped');
    const rec = host.spawn(timedArgv(perfRecordArgv(this.recordSpec(file)), { folder: dir }));
    this.record = rec;
    let stderr = '';
    rec.onStderr((t) => (stderr = (stderr + t).slice(-8192)));
    const done = await rec.done;
    this.record = undefined;
    if (this.stopped) throw new LiveError('cancelled', 'sampling stopped');
    const said = withoutTimes(stderr);
    if (done.spawnError === 'ENOENT' || done.exitCode === 127) throw new LiveError('perf-missing', `perf is not installed on ${host.label} (Debian: apt install linux-perf)`);
    if (done.exitCode !== 0) throw recordFailure(host.label, this.o.pid, done.exitCode, said);
    const script = await host.run(timedArgv(perfScriptArgv(this.o.perfPath, file), { folder: dir, lastUse: true }), { timeoutMs: 120_000 });
    if (script.exitCode !== 0) throw new LiveError('perf-failed', `perf script on ${host.label} failed: ${lastLines(withoutTimes(script.stderr), 2) || `exit ${script.exitCode ?? script.signal}`}`);
    const recordMs = parseTimes(stderr);
    const scriptMs = parseTimes(script.stderr);
    const { samples } = parsePerfScript(script.stdout);
    const executable = exe.stdout.trim().replace(/ \(deleted\)$/, '');
    const stripped = await this.isStripped(executable);
    const report = attributeSamples(samples, this.o.elements(), { executable, ...(stripped !== undefined ? { executableStripped: stripped } : {}) });
    const w: CostWindow = { at: new Date().toISOString(), pid: this.o.pid, windowS: this.windowS, frequencyHz: this.frequencyHz, executable, report };
    if (recordMs !== undefined && scriptMs !== undefined) w.perfCpuMs = recordMs + scriptMs;
    return w;
  }

  /** From the executable's section headers (`readelf -S`), once per executable; undefined without readelf. */
  private async isStripped(exe: string): Promise<boolean | undefined> {
    if (this.symtab.has(exe)) return this.symtab.get(exe);
    const r = await this.o.host.run(['readelf', '-S', '-W', '--', exe], { timeoutMs: 10_000 }).catch(() => undefined);
    const v = r && r.exitCode === 0 ? !/\s\.symtab\s/.test(r.stdout) : undefined;
    this.symtab.set(exe, v);
    return v;
  }
}

function recordFailure(where: string, pid: number, code: number | undefined, stderr: string): LiveError {
  const said = lastLines(stderr, 2);
  if (/perf_event_paranoid|Permission|EACCES|not permitted/i.test(stderr)) {
    return new LiveError('perf-refused', `perf record on ${where} was refused for PID ${pid}: ${said} (run as the router's user or root, or lower kernel.perf_event_paranoid)`);
  }
  if (/No such process|doesn't exist/i.test(stderr)) return new LiveError('no-such-process', `PID ${pid} is gone on ${where}: ${said}`);
  return new LiveError('perf-failed', `perf record on ${where} for PID ${pid} exited with ${code ?? 'a signal'}: ${said || 'no message'}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
