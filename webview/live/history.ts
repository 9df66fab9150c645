import type { Frame } from '../../src/protocol.ts';
import { Labels } from './columns.ts';
import { SimilarityRing } from './similarityRing.ts';
import { HISTORY_CAPACITY, StreamHistory } from './streamHistory.ts';

/**
 * The panel's memory of a session: one StreamHistory ring per stream (streamHistory.ts),
 * their session timelines and markers (streamTimeline.ts), and the similarity snapshots
 * of the newest frames (similarityRing.ts).
 */

/** Streams beyond this are not drawn (the panel says so); each costs about 4 MB. */
export const MAX_STREAMS = 16;

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
