import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { logRate } from '../model/featureSpace.ts';
import type { StateFamiliarity } from '../model/model.ts';

/** Each event's squared scaled difference is capped: one odd event cannot make an interval unfamiliar alone. */
const MAX_TERM = 16;
/** Share of the familiarity events an interval must have counted to be judged at all. */
export const MIN_FAMILIAR_EVENTS = 0.6;

export interface Familiarity {
  /** Distance to the nearest known idle / processing interval (RMS over counted events, in spreads). */
  idle: number;
  processing: number;
  /** Nearest of the two is within the model's reach. */
  familiar: boolean;
  /** Too few of the events were counted to tell. */
  judged: boolean;
}

/** Nearest known interval of each state, in a flat layout built once per engine. */
export class FamiliarityIndex {
  private readonly d: number;
  private readonly idle: Float64Array;
  private readonly proc: Float64Array;
  private readonly inv: Float64Array;
  private readonly x: Float64Array;

  constructor(private readonly f: StateFamiliarity) {
    const d = (this.d = f.events.length);
    this.idle = new Float64Array(f.idle.length * d);
    f.idle.forEach((row, i) => this.idle.set(row, i * d));
    this.proc = new Float64Array(f.processing.length * d);
    f.processing.forEach((row, i) => this.proc.set(row, i * d));
    this.inv = Float64Array.from(f.scale, (s) => 1 / s);
    this.x = new Float64Array(d);
  }

  measure(fp: Fingerprint): Familiarity {
    let n = 0;
    for (let k = 0; k < this.d; k++) {
      const r = fp.rates[this.f.events[k]!];
      const ok = r !== undefined && Number.isFinite(r);
      this.x[k] = ok ? logRate(r) : NaN;
      if (ok) n++;
    }
    if (n < MIN_FAMILIAR_EVENTS * this.d) return { idle: Infinity, processing: Infinity, familiar: false, judged: false };
    const idle = Math.sqrt(this.nearest(this.idle, n));
    const processing = Math.sqrt(this.nearest(this.proc, n));
    return { idle, processing, familiar: Math.min(idle, processing) <= this.f.maxDistance, judged: true };
  }

  /** Smallest mean capped squared scaled difference to the rows of `rows`. */
  private nearest(rows: Float64Array, n: number): number {
    const d = this.d;
    const x = this.x;
    const inv = this.inv;
    let best = Infinity;
    for (let off = 0; off < rows.length; off += d) {
      const cut = best * n;
      let s = 0;
      for (let k = 0; k < d && s < cut; k++) {
        const v = x[k]!;
        if (v !== v) continue;
        const e = (v - rows[off + k]!) * inv[k]!;
        const e2 = e * e;
        s += e2 < MAX_TERM ? e2 : MAX_TERM;
      }
      if (s < cut) best = s / n;
    }
    return best;
  }
}
