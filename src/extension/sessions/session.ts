import * as vscode from 'vscode';
import type { Model } from '../../core/model/model.ts';
import type { Interval } from '../../core/perf/interval.ts';
import { withSimilarities } from '../../core/ui/frames.ts';
import { SessionPipeline, type PipelineStep } from '../../core/session/sessionPipeline.ts';
import type { ElementCostView, Frame, PerfFacts, SessionInfo, SessionStatus } from '../../protocol.ts';
import { Disposable } from '../disposable.ts';

/** Where a session's intervals come from: a live perf attach or a recording being replayed. */
export interface SessionSource {
  readonly kind: 'live' | 'replay';
  readonly host: string;
  readonly pids: number[];
  readonly events: string[];
  readonly intervalMs: number;
  readonly recordingPath?: string;
  /** Starts delivering; resolves when the source has ended (for whatever reason). */
  run(handlers: SourceHandlers): Promise<void>;
  pause(): void;
  resume(): void;
  stop(reason: string): void;
  /** Writes a user's mark into the recording, when there is one being written. */
  mark?(t: number, text: string): void;
}

export interface SourceHandlers {
  interval(iv: Interval): void;
  status(status: SessionStatus, reason?: string): void;
  notice(level: 'info' | 'warning' | 'error', text: string): void;
  /** The process command lines, once known (used to link router configs). */
  processes?(list: { pid: number; cmdline: string }[]): void;
  /** What perf can count on the host (probe of a live session, meta of a recording). */
  perf?(facts: PerfFacts): void;
}

let nextId = 1;

/** One session in the editor: its source, its pipeline and who is watching it. */
export class Session extends Disposable {
  readonly id = `s${nextId++}-${Date.now().toString(36)}`;
  readonly pipeline: SessionPipeline;
  status: SessionStatus = 'connecting';
  statusReason: string | undefined;
  /** When the session ended (wall clock), for "ended at …" in annotations. */
  endedAt: Date | undefined;
  /** Router config files whose annotations follow this session. */
  readonly linkedConfigs = new Set<string>();
  readonly notices: { level: 'info' | 'warning' | 'error'; text: string }[] = [];
  processes: { pid: number; cmdline: string }[] = [];
  perf: PerfFacts | undefined;
  /** Where the router's CPU went in the newest sampled window (element cost), if sampled. */
  cost: ElementCostView | null = null;
  private pending: Frame[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  private readonly onFramesEmitter = this.register(new vscode.EventEmitter<Frame[]>());
  /** Batches of new frames, at most ten a second, for the panels. */
  readonly onFrames = this.onFramesEmitter.event;
  private readonly onStepEmitter = this.register(new vscode.EventEmitter<PipelineStep>());
  /** Every interval as it is inferred (annotations, status bar). */
  readonly onStep = this.onStepEmitter.event;
  private readonly onStatusEmitter = this.register(new vscode.EventEmitter<Session>());
  readonly onStatus = this.onStatusEmitter.event;
  private readonly onNoticeEmitter = this.register(new vscode.EventEmitter<{ level: 'info' | 'warning' | 'error'; text: string }>());
  readonly onNotice = this.onNoticeEmitter.event;
  private readonly onPerfEmitter = this.register(new vscode.EventEmitter<PerfFacts>());
  readonly onPerf = this.onPerfEmitter.event;
  private readonly onCostEmitter = this.register(new vscode.EventEmitter<ElementCostView | null>());
  readonly onCost = this.onCostEmitter.event;

  constructor(
    readonly title: string,
    readonly source: SessionSource,
    model: Model | null,
    capacity: number,
  ) {
    super();
    this.pipeline = new SessionPipeline(model, capacity);
    this.register({ dispose: () => this.source.stop('session closed') });
    this.register({ dispose: () => clearTimeout(this.flushTimer) });
  }

  get info(): SessionInfo {
    const info: SessionInfo = {
      id: this.id,
      title: this.title,
      host: this.source.host,
      kind: this.source.kind,
      pids: this.source.pids,
      events: this.source.events,
      intervalMs: this.source.intervalMs,
      status: this.status,
    };
    if (this.statusReason !== undefined) info.statusReason = this.statusReason;
    if (this.source.recordingPath !== undefined) info.recordingPath = this.source.recordingPath;
    if (this.perf) info.perf = this.perf;
    return info;
  }

  get isActive(): boolean {
    return this.status !== 'ended';
  }

  start(): Promise<void> {
    return this.source
      .run({
        interval: (iv) => this.onInterval(iv),
        status: (s, reason) => this.setStatus(s, reason),
        notice: (level, text) => this.notice(level, text),
        processes: (list) => (this.processes = list),
        perf: (facts) => {
          this.perf = facts;
          this.onPerfEmitter.fire(facts);
        },
      })
      .catch((e: unknown) => {
        this.setStatus('ended', (e as Error).message);
        throw e;
      })
      .finally(() => {
        this.flush();
        if (this.status !== 'ended') this.setStatus('ended', 'source finished');
      });
  }

  pause(): void {
    this.source.pause();
  }

  resume(): void {
    this.source.resume();
  }

  stop(): void {
    this.source.stop('stopped by user');
  }

  readonly marks: { t: number; text: string }[] = [];

  mark(t: number, text: string): void {
    this.marks.push({ t, text });
    this.source.mark?.(t, text);
  }

  /** A note for the session's panel (and its history). */
  notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.notices.push({ level, text });
    this.onNoticeEmitter.fire({ level, text });
  }

  setCost(cost: ElementCostView | null): void {
    this.cost = cost;
    this.onCostEmitter.fire(cost);
  }

  setModel(model: Model | null): void {
    this.pipeline.setModel(model);
  }

  private onInterval(iv: Interval): void {
    const step = this.pipeline.push(iv);
    this.pending.push(step.frame);
    this.onStepEmitter.fire(step);
    this.flushTimer ??= setTimeout(() => this.flush(), 100);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // Only the newest frame of a batch carries the similarity table (the Fig. 9 chart); the ring keeps none.
    const last = batch[batch.length - 1]!;
    batch[batch.length - 1] = withSimilarities(last, this.pipeline.latest.get(last.stream ?? last.run ?? '') ?? null);
    this.onFramesEmitter.fire(batch);
  }

  private setStatus(status: SessionStatus, reason?: string): void {
    if (status === 'ended' && this.status !== 'ended') this.endedAt = new Date();
    this.status = status;
    this.statusReason = reason;
    this.onStatusEmitter.fire(this);
  }
}
