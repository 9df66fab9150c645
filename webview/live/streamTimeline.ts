import type { Frame, RouterState } from '../../src/protocol.ts';

/** State-change and restart markers kept per stream. */
const MAX_MARKERS = 2000;

export interface Marker {
  /** Session time (see StreamTimeline.offset). */
  t: number;
  kind: 'state' | 'restart';
  to?: RouterState;
  stream: string;
  /** Run name for a restart that starts a new run. */
  run?: string;
  /** The router revision a restart of the router starts. */
  revision?: number;
}

/**
 * One stream's session timeline and its markers. perf's time restarts with every perf
 * process (a reconnect, the next run of a recording); the panel keeps one session
 * timeline by shifting later times, and marks where perf, the run or the router's
 * revision changed.
 */
export class StreamTimeline {
  readonly markers: Marker[] = [];
  /** Added to perf's time to get session time. */
  offset = 0;
  private lastRawT = -Infinity;
  private lastRun: string | undefined;
  private lastRevision: number | undefined;

  constructor(private readonly stream: string) {}

  /**
   * Session time of frame `f`, or null for a duplicate of the previous interval. Marks
   * a restart when perf's time went back, the router's revision or the run changed.
   * `lastT` and `oldest` are the stream's newest and oldest kept session times.
   */
  place(f: Frame, lastT: number, oldest: number): number | null {
    if (f.t === this.lastRawT) return null;
    const dt = f.dt > 0 ? f.dt : 1;
    const newRevision = f.revision !== undefined && this.lastRevision !== undefined && f.revision !== this.lastRevision;
    if (f.t < this.lastRawT) {
      // The new perf time continues right after the last interval shown.
      this.offset = lastT + dt - f.t;
      this.add(newRevision ? { t: lastT, kind: 'restart', stream: this.stream, revision: f.revision! } : restartMarker(lastT, this.stream, f.run), oldest);
    } else if (newRevision) {
      // The router restarted: the gap ends here and its next revision starts.
      this.add({ t: f.t + this.offset - dt, kind: 'restart', stream: this.stream, revision: f.revision! }, oldest);
    } else if (f.run !== undefined && this.lastRun !== undefined && f.run !== this.lastRun) {
      this.add(restartMarker(f.t + this.offset - dt, this.stream, f.run), oldest);
    }
    this.lastRawT = f.t;
    this.lastRun = f.run;
    if (f.revision !== undefined) this.lastRevision = f.revision;
    return f.t + this.offset;
  }

  /** Marks the engine's state change of the frame just kept, and forgets markers older than `oldest`. */
  afterPush(f: Frame, oldest: number): void {
    const change = f.inference.stateChange;
    if (change) this.add({ t: change.t + this.offset, kind: 'state', to: change.to, stream: this.stream }, oldest);
    else if (this.markers.length > 0 && this.markers[0]!.t < oldest) this.add(null, oldest);
  }

  /** Adds a marker (or none) and drops those older than the oldest interval kept. */
  private add(m: Marker | null, oldest: number): void {
    if (m) this.markers.push(m);
    // Markers older than the oldest kept interval point at nothing any more.
    let drop = 0;
    while (drop < this.markers.length && (this.markers.length - drop > MAX_MARKERS || this.markers[drop]!.t < oldest)) drop++;
    if (drop > 0) this.markers.splice(0, drop);
  }
}

function restartMarker(t: number, stream: string, run: string | undefined): Marker {
  return run === undefined ? { t, kind: 'restart', stream } : { t, kind: 'restart', stream, run };
}
