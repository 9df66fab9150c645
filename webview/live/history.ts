import type { Frame, InferenceView, LossRegime, RouterState } from '../../src/protocol.ts';
import { HISTORY_SERIES, type ChartSeries, type PacketField } from '../../src/core/ui/chartGroups.ts';

/**
 * The panel's memory of a session: one fixed-size ring per stream, stored column by
 * column in typed arrays allocated once. A one-hour session at 10 Hz fits; beyond
 * that the oldest intervals are overwritten, so memory stays flat however long the
 * session runs.
 */
export const HISTORY_CAPACITY = 36_000;
/** Streams beyond this are not drawn (the panel says so); each costs about 4 MB. */
export const MAX_STREAMS = 16;
/** State-change and restart markers kept per stream. */
const MAX_MARKERS = 2000;

export const STATE_NAMES: readonly RouterState[] = ['unknown', 'idle', 'processing'];
export const LOSS_NAMES: readonly LossRegime[] = ['unknown', 'clean', 'lossy'];
const STATE_CODE: Record<RouterState, number> = { unknown: 0, idle: 1, processing: 2 };
const LOSS_CODE: Record<LossRegime, number> = { unknown: 0, clean: 1, lossy: 2 };

/** A series' identity across groups: an event, a derived ratio and a packet field may not clash. */
export function seriesId(s: Pick<ChartSeries, 'kind' | 'key'>): string {
  return `${s.kind}:${s.key}`;
}

/** Column of each kept series (an event rate, a derived ratio, a packet field). */
export const SERIES_INDEX: ReadonlyMap<string, number> = new Map(HISTORY_SERIES.map((s, i) => [seriesId(s), i]));
const SERIES_COUNT = HISTORY_SERIES.length;

export interface Marker {
  /** Session time (see StreamHistory.offset). */
  t: number;
  kind: 'state' | 'restart';
  to?: RouterState;
  stream: string;
  /** Run name for a restart that starts a new run. */
  run?: string;
  /** The router revision a restart of the router starts. */
  revision?: number;
}

/** Interned strings (scenario labels): the columns hold indices. */
export class Labels {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string | null): number {
    if (s === null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      // Labels come from the model; the bound only guards a stream of odd labels.
      if (this.names.length >= 65_536) return -1;
      i = this.names.length;
      this.names.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  name(i: number): string | null {
    return i < 0 ? null : (this.names[i] ?? null);
  }
}

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
  readonly markers: Marker[] = [];
  /**
   * perf's time restarts with every perf process (a reconnect, the next run of a
   * recording); the panel keeps one session timeline by shifting later times.
   */
  private offset = 0;
  private lastRawT = -Infinity;
  private lastRun: string | undefined;
  private lastRevision: number | undefined;
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

  /** Adds one frame; returns false for a duplicate of the previous interval. */
  push(f: Frame, labels: Labels): boolean {
    if (f.t === this.lastRawT) return false;
    const dt = f.dt > 0 ? f.dt : 1;
    const newRevision = f.revision !== undefined && this.lastRevision !== undefined && f.revision !== this.lastRevision;
    if (f.t < this.lastRawT) {
      // The new perf time continues right after the last interval shown.
      this.offset = this.lastT + dt - f.t;
      this.addMarker(newRevision ? { t: this.lastT, kind: 'restart', stream: this.name, revision: f.revision! } : restartMarker(this.lastT, this.name, f.run));
    } else if (newRevision) {
      // The router restarted: the gap ends here and its next revision starts.
      this.addMarker({ t: f.t + this.offset - dt, kind: 'restart', stream: this.name, revision: f.revision! });
    } else if (f.run !== undefined && this.lastRun !== undefined && f.run !== this.lastRun) {
      this.addMarker(restartMarker(f.t + this.offset - dt, this.name, f.run));
    }
    this.lastRawT = f.t;
    this.lastRun = f.run;
    if (f.revision !== undefined) this.lastRevision = f.revision;
    const t = f.t + this.offset;
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
    if (inf.stateChange) this.addMarker({ t: inf.stateChange.t + this.offset, kind: 'state', to: inf.stateChange.to, stream: this.name });
    else if (this.markers.length > 0 && this.markers[0]!.t < this.firstT) this.addMarker(null);
    this.newest = f;
    this.received++;
    return true;
  }

  /** Adds a marker (or none) and drops those older than the oldest interval kept. */
  private addMarker(m: Marker | null): void {
    if (m) this.markers.push(m);
    // Markers older than the oldest kept interval point at nothing any more.
    const oldest = this.firstT;
    let drop = 0;
    while (drop < this.markers.length && (this.markers.length - drop > MAX_MARKERS || this.markers[drop]!.t < oldest)) drop++;
    if (drop > 0) this.markers.splice(0, drop);
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

function restartMarker(t: number, stream: string, run: string | undefined): Marker {
  return run === undefined ? { t, kind: 'restart', stream } : { t, kind: 'restart', stream, run };
}

/** All streams of the session, plus the similarity snapshots of the newest frames. */
export class History {
  readonly streams = new Map<string, StreamHistory>();
  readonly labels = new Labels();
  /** Streams beyond MAX_STREAMS whose frames were dropped. */
  readonly droppedStreams = new Set<string>();
  private sims: SimilarityRing;
  /** Bumped on every change: renders skip work when nothing moved. */
  version = 0;

  constructor(
    scenarioLabels: readonly string[],
    private readonly capacity = HISTORY_CAPACITY,
  ) {
    this.sims = new SimilarityRing(scenarioLabels, capacity);
  }

  /** Scenario labels in the order of the similarity snapshots: the model's, or the first frame's without a model. */
  get similarities(): SimilarityRing {
    return this.sims;
  }

  get latestT(): number {
    let t = -Infinity;
    for (const s of this.streams.values()) if (s.size > 0 && s.lastT > t) t = s.lastT;
    return t;
  }

  get earliestT(): number {
    let t = Infinity;
    for (const s of this.streams.values()) if (s.size > 0 && s.firstT < t) t = s.firstT;
    return t;
  }

  /** Adds frames in order; returns how many were kept. */
  add(frames: readonly Frame[]): number {
    let kept = 0;
    for (const f of frames) {
      const key = f.stream ?? '';
      let s = this.streams.get(key);
      if (!s) {
        if (this.streams.size >= MAX_STREAMS) {
          this.droppedStreams.add(key);
          continue;
        }
        s = new StreamHistory(key, this.streams.size, this.capacity);
        this.streams.set(key, s);
      }
      if (!s.push(f, this.labels)) continue;
      kept++;
      if (f.similarities) {
        if (this.sims.labels.length === 0) this.sims = new SimilarityRing(Object.keys(f.similarities), this.capacity);
        this.sims.push(s.lastT, key, f.similarities, f.inference.scenario);
      }
    }
    if (kept > 0) this.version++;
    return kept;
  }
}

export interface SimilaritySnapshot {
  t: number;
  stream: string;
  best: string | null;
  values: Float32Array;
}

/**
 * Similarities of the newest frame of each batch, kept in step with the history so
 * the chart can follow the scroll-back. Slots are preallocated; the ring is shorter
 * for models with many scenarios (about 6 MB at most).
 */
export class SimilarityRing {
  readonly labels: readonly string[];
  private readonly index: Map<string, number>;
  readonly capacity: number;
  private readonly data: Float32Array;
  private readonly t: Float64Array;
  private readonly stream: string[];
  private readonly best: (string | null)[];
  private first = 0;
  size = 0;

  constructor(labels: readonly string[], historyCapacity: number) {
    this.labels = labels;
    this.index = new Map(labels.map((l, i) => [l, i]));
    const n = Math.max(1, labels.length);
    // Nothing to keep until scenarios are known (a session without a model).
    this.capacity = labels.length === 0 ? 0 : Math.max(64, Math.min(historyCapacity, Math.floor(1_500_000 / n)));
    this.data = new Float32Array(labels.length === 0 ? 0 : this.capacity * n);
    this.t = new Float64Array(this.capacity);
    this.stream = new Array<string>(this.capacity).fill('');
    this.best = new Array<string | null>(this.capacity).fill(null);
  }

  push(t: number, stream: string, sims: Record<string, number>, best: string | null): void {
    if (this.labels.length === 0) return;
    let p: number;
    if (this.size < this.capacity) {
      p = (this.first + this.size) % this.capacity;
      this.size++;
    } else {
      p = this.first;
      this.first = (this.first + 1) % this.capacity;
    }
    const n = this.labels.length;
    const row = this.data.subarray(p * n, p * n + n);
    row.fill(NaN);
    for (const k in sims) {
      const i = this.index.get(k);
      if (i !== undefined) row[i] = sims[k]!;
    }
    this.t[p] = t;
    this.stream[p] = stream;
    this.best[p] = best;
  }

  /**
   * The newest snapshot at or before `t`, preferably of `stream` (batches carry the
   * similarities of their newest frame, which may be of another stream).
   */
  atOrBefore(t: number, stream?: string): SimilaritySnapshot | null {
    let any = -1;
    for (let i = this.size - 1, looked = 0; i >= 0 && looked < 256; i--) {
      const p = (this.first + i) % this.capacity;
      if (this.t[p]! > t) continue;
      looked++;
      if (any < 0) any = p;
      if (stream === undefined || this.stream[p] === stream) return this.snapshot(p);
    }
    return any < 0 ? null : this.snapshot(any);
  }

  private snapshot(p: number): SimilaritySnapshot {
    const n = this.labels.length;
    return { t: this.t[p]!, stream: this.stream[p]!, best: this.best[p]!, values: this.data.subarray(p * n, p * n + n) };
  }
}
