import * as vscode from 'vscode';
import type { Model } from '../../core/model/model.ts';
import type { Interval } from '../../core/perf/interval.ts';
import { withSimilarities } from '../../core/ui/frames.ts';
import { SessionPipeline, type PipelineStep } from '../../core/session/sessionPipeline.ts';
import type { AbView, ElementCostView, Frame, PerfFacts, SessionInfo, SessionStatus } from '../../protocol.ts';
import { LiveRevisionAb } from '../../core/compare/liveAb.ts';
import { withPacketFeatures } from '../../core/fingerprint/packetMetrics.ts';
import type { RevisionEvent } from '../../core/live/revisionLog.ts';
import type { RevisionEndRecord } from '../../core/recording/format.ts';
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
  /** A followed router's process starts a revision / its process ends. */
  revision?(r: RevisionEvent): void;
  revisionEnd?(r: RevisionEndRecord): void;
}

/** A revision as the Sessions view lists it. */
export type SessionRevision = RevisionEvent & { end?: RevisionEndRecord };

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
  /** Revisions of the followed routers, in the order they started. */
  readonly revisions: SessionRevision[] = [];
  /** The live A/B of the newest revision against the pinned one. */
  readonly ab = new LiveRevisionAb();
  abView: AbView | null = null;
  private abAt = 0;
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
  private readonly onRevisionsEmitter = this.register(new vscode.EventEmitter<void>());
  /** A revision started or ended, or the baseline changed. */
  readonly onRevisions = this.onRevisionsEmitter.event;
  private readonly onAbEmitter = this.register(new vscode.EventEmitter<AbView | null>());
  readonly onAb = this.onAbEmitter.event;
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
        revision: (r) => this.onRevision(r),
        revisionEnd: (r) => {
          const rev = this.revisions.find((x) => x.stream === r.stream && x.n === r.n);
          if (rev) rev.end = r;
          this.onRevisionsEmitter.fire();
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

  /** Pins a revision as the A/B baseline; the panel compares the stream's newest revision with it. */
  pinBaseline(stream: string, n: number): void {
    this.ab.pin(stream, n);
    this.updateAb(true);
    this.onRevisionsEmitter.fire();
  }

  private onRevision(r: RevisionEvent): void {
    this.revisions.push(r);
    this.ab.opened(r.stream, r.n);
    // The first restart compares with what ran before, until the user pins another revision.
    if (r.n > 1 && !this.ab.baseline) this.ab.pin(r.stream, r.n - 1);
    this.onRevisionsEmitter.fire();
    this.updateAb(true);
  }

  /** Recomputed at most once a second (and at once when the revisions change). */
  private updateAb(now = false): void {
    if (!this.ab.baseline) return;
    const t = Date.now();
    if (!now && t - this.abAt < 1000) return;
    this.abAt = t;
    this.abView = this.ab.view();
    this.onAbEmitter.fire(this.abView);
  }

  private onInterval(iv: Interval): void {
    const step = this.pipeline.push(iv);
    if (iv.revision !== undefined) {
      this.ab.push(iv.stream ?? '', iv.revision, withPacketFeatures(step.fingerprint, iv));
      this.updateAb();
    }
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
