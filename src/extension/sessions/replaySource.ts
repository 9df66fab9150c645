import type { RecordingMeta } from '../../core/recording/format.ts';
import { readIntervals } from '../../core/source/readIntervals.ts';
import type { SessionSource, SourceHandlers } from './session.ts';

/**
 * Replays a recording (or any perf output file) through the same pipeline as a live
 * session, paced by the intervals' own times divided by `speed` (0: as fast as possible).
 */
export class ReplaySource implements SessionSource {
  readonly kind = 'replay' as const;
  host = 'recording';
  pids: number[] = [];
  events: string[] = [];
  intervalMs = 1000;
  private paused = false;
  private stopped: string | undefined;
  private wake: (() => void) | undefined;
  private handlers: SourceHandlers | undefined;

  constructor(
    readonly recordingPath: string,
    private readonly speed: number,
    private readonly run_?: string,
  ) {}

  async run(h: SourceHandlers): Promise<void> {
    this.handlers = h;
    h.status('replaying');
    let diagnostics = 0;
    let lastT: number | undefined;
    for await (const iv of readIntervals(this.recordingPath, {
      onMeta: (m: RecordingMeta) => this.useMeta(m, h),
      // A recording keeps the revisions' hashes, not the config texts: no diff on replay.
      onRevision: (r) => h.revision?.({ ...r, configTexts: {} }),
      onRevisionEnd: (r) => h.revisionEnd?.(r),
      onDiagnostic: (d) => {
        if (++diagnostics <= 5) h.notice('warning', `line ${d.line} of ${this.recordingPath} skipped: ${d.message}`);
      },
    })) {
      if (this.stopped) break;
      if (this.run_ !== undefined && iv.run !== this.run_) continue;
      const wait = this.speed > 0 && lastT !== undefined ? Math.max(0, ((iv.t - lastT) * 1000) / this.speed) : 0;
      lastT = iv.t;
      if (wait > 0) await this.sleep(Math.min(wait, 10_000));
      while (this.paused && !this.stopped) await this.sleep(3_600_000);
      if (this.stopped) break;
      h.interval(iv);
    }
    if (diagnostics > 5) h.notice('warning', `${diagnostics - 5} more unreadable lines skipped`);
    h.status('ended', this.stopped ?? 'end of recording');
  }

  pause(): void {
    if (this.paused || this.stopped) return;
    this.paused = true;
    this.handlers?.status('paused');
  }

  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.handlers?.status('replaying');
    this.wake?.();
  }

  stop(reason: string): void {
    this.stopped ??= reason;
    this.wake?.();
  }

  private useMeta(m: RecordingMeta, h: SourceHandlers): void {
    this.host = `${m.host} (recorded)`;
    this.pids = m.processes.map((p) => p.pid);
    this.events = m.events;
    this.intervalMs = m.intervalMs;
    h.processes?.(m.processes.map((p) => ({ pid: p.pid, cmdline: p.cmdline ?? p.comm ?? '' })));
    if (m.unsupported && m.unsupported.length > 0) h.perf?.({ unsupported: m.unsupported, refused: [], paranoid: null });
  }

  /** The run of a multi-run file this replay shows, if any. */
  get runName(): string | undefined {
    return this.run_;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
