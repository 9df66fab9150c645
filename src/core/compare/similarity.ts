import type { Fingerprint } from '../fingerprint/fingerprint.ts';

/**
 * How alike two CPU fingerprints are, as the cosine of their mean z-scored log
 * rates. Without a reference the log-rate vector of each side is z-scored
 * across its events (its "profile"), so the cosine is the correlation of the
 * two profiles: 1 when every event keeps its relative level. (Z-scoring each
 * event over the two sides alone would make the two mean vectors exact
 * opposites, a cosine of −1 whatever the data.) With a reference — per-event
 * mean and standard deviation of log rates over many runs, as the scenario
 * model keeps — each event is z-scored against it, as in the ITC 2021 paper.
 */
export interface LogRateReference {
  mean: Record<string, number>;
  std: Record<string, number>;
}

export interface Similarity {
  cosine: number;
  /** Events that entered the vectors. */
  features: string[];
  basis: 'profile' | 'reference';
}

/** log10(1 + rate): defined at 0, and rates span ten orders of magnitude. */
export function logRate(rate: number): number {
  return Math.log10(1 + Math.max(0, rate));
}

export function meanLogRates(fps: readonly Fingerprint[], features: readonly string[]): number[] {
  return features.map((f) => {
    let s = 0;
    let n = 0;
    for (const fp of fps) {
      const r = fp.rates[f];
      if (r === undefined || !Number.isFinite(r)) continue;
      s += logRate(r);
      n++;
    }
    return n > 0 ? s / n : NaN;
  });
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : NaN;
}

function standardize(v: readonly number[]): number[] {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
  return v.map((x) => (sd > 0 ? (x - m) / sd : 0));
}

export function fingerprintSimilarity(a: readonly Fingerprint[], b: readonly Fingerprint[], rateFeatures: readonly string[], reference?: LogRateReference): Similarity {
  const ma = meanLogRates(a, rateFeatures);
  const mb = meanLogRates(b, rateFeatures);
  const keep = rateFeatures.map((f, i) => ({ f, i })).filter(({ f, i }) => Number.isFinite(ma[i]!) && Number.isFinite(mb[i]!) && (!reference || (reference.std[f] ?? 0) > 0));
  const features = keep.map((k) => k.f);
  if (reference) {
    const za = keep.map(({ f, i }) => (ma[i]! - reference.mean[f]!) / reference.std[f]!);
    const zb = keep.map(({ f, i }) => (mb[i]! - reference.mean[f]!) / reference.std[f]!);
    return { cosine: cosine(za, zb), features, basis: 'reference' };
  }
  return { cosine: cosine(standardize(keep.map((k) => ma[k.i]!)), standardize(keep.map((k) => mb[k.i]!))), features, basis: 'profile' };
}
