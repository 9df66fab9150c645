import type { TransientLossModel } from '../model/model.ts';

/**
 * Short loss bursts (an input-rate step, a one-second dip of the generator) leave
 * the counters at their usual level for the rate, so the lossy region misses
 * them; what they show is a sudden change of the processing rate. This keeps
 * the last raw z vectors of one stream and turns them into the change features
 * of a TransientLossModel. Causal: interval t and earlier only.
 */
export class ChangeHistory {
  /** Newest first: z of t, t−1, …; undefined where the stream has a gap. */
  private readonly zs: (Float64Array | undefined)[];
  private lastT = NaN;

  constructor(private readonly lags: number) {
    this.zs = new Array<Float64Array | undefined>(lags + 1).fill(undefined);
  }

  /**
   * Adds interval t's raw z (copied). An interval that does not follow the
   * previous one (more than 1.5 interval lengths later, or earlier) breaks the chain.
   */
  push(z: ArrayLike<number>, t: number, dt: number): void {
    const follows = Number.isFinite(this.lastT) && t > this.lastT && t - this.lastT <= 1.5 * (dt > 0 ? dt : 1);
    if (!follows) this.zs.fill(undefined);
    // The copy goes into the array that drops out, when there is one.
    const dropped = this.zs.pop();
    const copy = dropped !== undefined && dropped.length === z.length ? dropped : new Float64Array(z.length);
    copy.set(z);
    this.zs.unshift(copy);
    this.lastT = t;
  }

  /** Feature j = lag·d + k: z_k(t−lag) − z_k(t−lag−1), 0 when either side is missing. */
  features(d: number, out: Float64Array = new Float64Array(this.lags * d)): Float64Array {
    for (let lag = 0; lag < this.lags; lag++) {
      const a = this.zs[lag];
      const b = this.zs[lag + 1];
      for (let k = 0; k < d; k++) {
        const v = a && b ? a[k]! - b[k]! : NaN;
        out[lag * d + k] = Number.isNaN(v) ? 0 : v;
      }
    }
    return out;
  }

  clear(): void {
    this.zs.fill(undefined);
    this.lastT = NaN;
  }
}

/** Log-odds of a short loss burst in the newest interval (> 0: lossy). */
export function transientScore(features: ArrayLike<number>, m: TransientLossModel): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) s += (m.weights[j]! * features[j]!) / m.scale[j]!;
  return s;
}
