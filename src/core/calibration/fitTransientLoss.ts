import { ChangeHistory } from '../inference/transientLoss.ts';
import type { TransientLossModel } from '../model/model.ts';
import { fitLogistic } from './logistic.ts';
import type { Sample } from './samples.ts';

export const TRANSIENT_DEFAULTS = {
  /** Changes over the last this many interval steps (t−1→t, t−2→t−1). */
  lags: 2,
  /** Strong: dozens of features, a few dozen positive seconds. */
  l2: 100,
  /**
   * Learnt only where the lossy region is confidently clean (score below −margin)
   * in this interval and the `history` before it: the seconds whose loss the
   * counters' level does not explain.
   */
  margin: 2,
  history: 2,
  /** Fewer lossy seconds than this in those stretches: no transient detector. */
  minLossy: 5,
};

/**
 * The transient detector of the loss model (see TransientLossModel): a logistic
 * boundary over the robustly scaled changes of the raw z vectors, fitted on the
 * labelled intervals that the level-based region confidently calls clean.
 * `rawZs[i]` is sample i's z before the multiplexing shrink, `levelScores[i]`
 * its log-odds from the lossy region. Samples are in interval order per source.
 */
export function fitTransientLoss(samples: Sample[], rawZs: Float64Array[], levelScores: ArrayLike<number>, opts: Partial<typeof TRANSIENT_DEFAULTS> = {}): TransientLossModel | null {
  const o = { ...TRANSIENT_DEFAULTS, ...opts };
  if (samples.length === 0) return null;
  const d = rawZs[0]!.length;
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  let history = new ChangeHistory(o.lags);
  let source = '';
  let calm = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.source !== source) {
      history = new ChangeHistory(o.lags);
      source = s.source;
      calm = 0;
    }
    history.push(rawZs[i]!, s.fp.t, s.fp.dt);
    calm = levelScores[i]! < -o.margin ? calm + 1 : 0;
    if (s.loss === undefined || calm <= o.history) continue;
    rows.push(history.features(d));
    labels.push(s.loss === 'lossy' ? 1 : 0);
  }
  const nLossy = labels.reduce((a, b) => a + b, 0);
  if (nLossy < o.minLossy || nLossy === labels.length) return null;
  // Typical size of each change: the median absolute change (×1.4826, a robust σ),
  // floored at a fifth of the RMS and at 1e-3 so that a counter that is nearly
  // always flat does not turn its rare blips into huge features.
  const nf = o.lags * d;
  const scale = new Array<number>(nf);
  const abs = new Float64Array(rows.length);
  for (let j = 0; j < nf; j++) {
    let ss = 0;
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![j]!;
      abs[r] = Math.abs(v);
      ss += v * v;
    }
    abs.sort();
    const mad = abs[Math.floor(abs.length / 2)]! * 1.4826;
    scale[j] = Math.max(mad, 0.2 * Math.sqrt(ss / rows.length), 1e-3);
  }
  const x = rows.map((r) => Array.from(r, (v, j) => v / scale[j]!));
  const fit = fitLogistic(x, labels, { l2: o.l2 });
  return { method: 'delta-logistic', lags: o.lags, scale: scale.map(round), weights: fit.weights.map(round), bias: round(fit.bias) };
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
