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
