import type { Frame, InferenceView, RouterState } from '../../src/protocol.ts';
import { HISTORY_SERIES, type ChartSeries, type PacketField } from '../../src/core/ui/chartGroups.ts';
import { LOSS_CODE, LOSS_NAMES, SERIES_COUNT, SERIES_INDEX, STATE_CODE, STATE_NAMES, seriesId, type Labels } from './columns.ts';
import { StreamTimeline, type Marker } from './streamTimeline.ts';

/**
 * One stream's memory: a fixed-size ring stored column by column in typed arrays
 * allocated once. A one-hour session at 10 Hz fits; beyond that the oldest intervals
 * are overwritten, so memory stays flat however long the session runs.
 */
export const HISTORY_CAPACITY = 36_000;

/** What the panel shows of one interval, read back from the columns. */
export type InferenceAt = Omit<InferenceView, 'stateChange'> & { t: number };

type Notes = Pick<InferenceView, 'stateBasis' | 'stateReason' | 'lossReason' | 'scenarioReason' | 'agreement'>;

function notesOf(inf: InferenceView): Notes {
  const out: Notes = {};
  if (inf.stateBasis) out.stateBasis = inf.stateBasis;
  if (inf.stateReason) out.stateReason = inf.stateReason;
  if (inf.lossReason) out.lossReason = inf.lossReason;
  if (inf.scenarioReason) out.scenarioReason = inf.scenarioReason;
  if (inf.agreement) out.agreement = { ...inf.agreement };
  return out;
}

let nextId = 1;

/** One stream's ring of intervals: its columns, and the reads the charts and cards make of them. */
export class StreamHistory {
  /** Unique per history object (charts rebuild their datasets when it changes). */
  readonly id = nextId++;
  size = 0;
  /** Why answers of the newest interval are unknown, and its agreement tally. */
  private newestNotes: Notes = {};
  /** Physical index of the oldest interval. */
  private first = 0;
  readonly t: Float64Array;
  readonly dt: Float32Array;
  readonly series: Float32Array[];
  /** Per series: has the stream ever had a value of it (perf counted the event, the router reported packets)? */
  readonly counted = new Uint8Array(SERIES_COUNT);
  private readonly state: Uint8Array;
  private readonly conf: Float32Array;
  private readonly loss: Uint8Array;
  private readonly lossScore: Float32Array;
  readonly pcaX: Float32Array;
  readonly pcaY: Float32Array;
  private readonly scenario: Int32Array;
  private readonly similarity: Float32Array;
  private readonly runnerUp: Int32Array;
  private readonly runnerUpSimilarity: Float32Array;
  private readonly margin: Float32Array;
  /** Packets per second from the CPU alone, and its range (NaN: no estimate). */
  private readonly pps: Float32Array;
  private readonly ppsLow: Float32Array;
  private readonly ppsHigh: Float32Array;
  /** Session time across perf restarts, and the state-change and restart markers. */
  private readonly timeline: StreamTimeline;
  /** The newest frame as received: its notices (multiplexing, missing events) describe the host now. */
  newest: Frame | undefined;
  received = 0;

  constructor(
    readonly name: string,
    /** Order of appearance: picks the stream's dash pattern. */
    readonly order: number,
    readonly capacity = HISTORY_CAPACITY,
  ) {
    const n = capacity;
    this.timeline = new StreamTimeline(name);
    this.t = new Float64Array(n);
    this.dt = new Float32Array(n);
    this.series = HISTORY_SERIES.map(() => new Float32Array(n));
    this.state = new Uint8Array(n);
    this.conf = new Float32Array(n);
    this.loss = new Uint8Array(n);
    this.lossScore = new Float32Array(n);
    this.pcaX = new Float32Array(n);
    this.pcaY = new Float32Array(n);
    this.scenario = new Int32Array(n);
    this.similarity = new Float32Array(n);
    this.runnerUp = new Int32Array(n);
    this.runnerUpSimilarity = new Float32Array(n);
    this.margin = new Float32Array(n);
    this.pps = new Float32Array(n);
    this.ppsLow = new Float32Array(n);
    this.ppsHigh = new Float32Array(n);
  }

  /** Physical slot of the i-th oldest interval. */
  phys(i: number): number {
    const p = this.first + i;
    return p >= this.capacity ? p - this.capacity : p;
  }

  tAt(i: number): number {
    return this.t[this.phys(i)]!;
  }

  get firstT(): number {
    return this.size > 0 ? this.tAt(0) : NaN;
  }

  get lastT(): number {
    return this.size > 0 ? this.tAt(this.size - 1) : NaN;
  }

  /** State-change and restart markers, in time order. */
  get markers(): readonly Marker[] {
    return this.timeline.markers;
  }

  /** Adds one frame; returns false for a duplicate of the previous interval. */
  push(f: Frame, labels: Labels): boolean {
    const t = this.timeline.place(f, this.lastT, this.firstT);
    if (t === null) return false;
    let p: number;
    if (this.size < this.capacity) {
      p = this.phys(this.size);
      this.size++;
    } else {
      p = this.first;
      this.first = this.first + 1 === this.capacity ? 0 : this.first + 1;
    }
    this.t[p] = t;
    this.dt[p] = f.dt;
    for (let k = 0; k < SERIES_COUNT; k++) {
      const s = HISTORY_SERIES[k]!;
      const v = s.kind === 'rate' ? f.rates[s.key] : s.kind === 'derived' ? f.derived[s.key] : f.packets?.[s.key as PacketField];
      if (typeof v === 'number') {
        this.series[k]![p] = v;
        this.counted[k] = 1;
      } else this.series[k]![p] = NaN;
    }
    const inf = f.inference;
    this.newestNotes = notesOf(inf);
    this.state[p] = STATE_CODE[inf.state] ?? 0;
    this.conf[p] = inf.stateConfidence;
    this.loss[p] = LOSS_CODE[inf.loss] ?? 0;
    this.lossScore[p] = inf.lossScore ?? NaN;
    this.pcaX[p] = inf.pca ? inf.pca[0] : NaN;
    this.pcaY[p] = inf.pca ? inf.pca[1] : NaN;
    this.scenario[p] = labels.intern(inf.scenario);
    this.similarity[p] = inf.similarity ?? NaN;
    this.runnerUp[p] = labels.intern(inf.runnerUp);
    this.runnerUpSimilarity[p] = inf.runnerUpSimilarity ?? NaN;
    this.margin[p] = inf.margin ?? NaN;
    this.pps[p] = inf.pps ?? NaN;
    this.ppsLow[p] = inf.ppsRange ? inf.ppsRange[0] : NaN;
    this.ppsHigh[p] = inf.ppsRange ? inf.ppsRange[1] : NaN;
    this.timeline.afterPush(f, this.firstT);
    this.newest = f;
    this.received++;
    return true;
  }

  /** Logical index of the first interval at or after `t` (size if none). */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Logical index of the newest interval at or before `t` (-1 if none). */
  atOrBefore(t: number): number {
    const i = this.lowerBound(t);
    if (i < this.size && this.tAt(i) === t) return i;
    return i - 1;
  }

  value(series: number, i: number): number {
    return this.series[series]![this.phys(i)]!;
  }

  /** The kept value of a series at logical index i (NaN when absent). */
  valueOf(s: Pick<ChartSeries, 'kind' | 'key'>, i: number): number {
    const k = SERIES_INDEX.get(seriesId(s));
    return k === undefined ? NaN : this.series[k]![this.phys(i)]!;
  }

  /** Whether the stream ever had a value of this series. */
  hasCounted(s: Pick<ChartSeries, 'kind' | 'key'>): boolean {
    const k = SERIES_INDEX.get(seriesId(s));
    return k !== undefined && this.counted[k] === 1;
  }

  stateAt(i: number): RouterState {
    return STATE_NAMES[this.state[this.phys(i)]!] ?? 'unknown';
  }

  inferenceAt(i: number, labels: Labels): InferenceAt {
    const p = this.phys(i);
    const n = (v: number) => (Number.isNaN(v) ? null : v);
    const x = this.pcaX[p]!;
    const y = this.pcaY[p]!;
    return {
      t: this.t[p]!,
      state: STATE_NAMES[this.state[p]!] ?? 'unknown',
      stateConfidence: this.conf[p]!,
      loss: LOSS_NAMES[this.loss[p]!] ?? 'unknown',
      lossScore: n(this.lossScore[p]!),
      pca: Number.isNaN(x) || Number.isNaN(y) ? null : [x, y],
      scenario: labels.name(this.scenario[p]!),
      similarity: n(this.similarity[p]!),
      runnerUp: labels.name(this.runnerUp[p]!),
      runnerUpSimilarity: n(this.runnerUpSimilarity[p]!),
      margin: n(this.margin[p]!),
      pps: n(this.pps[p]!),
      ppsRange: Number.isNaN(this.pps[p]!) ? null : [this.ppsLow[p]!, this.ppsHigh[p]!],
      // Reasons and the agreement tally are kept for the newest interval only.
      ...(i === this.size - 1 ? this.newestNotes : {}),
    };
  }

  /**
   * When the state shown at interval i began: the engine's last change into it, or
   * for "unknown" (and a state held since the data starts) the first interval of the run.
   */
  stateSince(i: number): { t: number; fromChange: boolean } {
    const state = this.stateAt(i);
    const t = this.tAt(i);
    if (state !== 'unknown') {
      for (let k = this.markers.length - 1; k >= 0; k--) {
        const m = this.markers[k]!;
        if (m.t > t) continue;
        if (m.kind === 'restart') break;
        if (m.to === state) return { t: m.t, fromChange: true };
        break;
      }
    }
    let j = i;
    while (j > 0 && this.stateAt(j - 1) === state) j--;
    return { t: this.tAt(j), fromChange: false };
  }
}
