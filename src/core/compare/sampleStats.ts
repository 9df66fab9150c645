import { levelShifts } from './levelShifts.ts';
import { tCritical } from './tDistribution.ts';

/**
 * Summary of one feature's values over a run, with a standard error suited
 * to perf intervals, which are neither independent nor stationary:
 *  - the series is read as steady levels (a traffic state each; see
 *    levelShifts) plus noise. The levels are part of what was run (the
 *    traffic schedule); what would change on a re-run is the noise, so the
 *    standard error of the mean comes from the residuals around the levels;
 *  - the noise is serially correlated: the effective sample size is
 *    n(1−ρ)/(1+ρ) (the AR(1) approximation, Bretherton et al. 1999), with
 *    ρ the residuals' lag-1 autocorrelation corrected for its small-sample
 *    bias, ρ̂ + (1 + 3ρ̂)/n (Kendall 1954). Negative ρ counts as 0.
 */
export interface SampleStats {
  n: number;
  mean: number;
  /** Sample standard deviation of the values (n − 1). */
  sd: number;
  /** Indices where the series changes level (a value starting a new level). */
  levelShifts: number[];
  /** Standard deviation around the levels (n − levels degrees of freedom). */
  noiseSd: number;
  /** Lag-1 autocorrelation of the noise, bias-corrected; NaN for fewer than 3 values or no noise. */
  rho1: number;
  /** Effective number of independent values, between 2 and n (n when n < 2). */
  nEff: number;
  /** Standard error of the mean. */
  se: number;
  /** Degrees of freedom of the standard error: nEff less the levels estimated, at least 1. */
  df: number;
  /** 95 % confidence interval of the mean. */
  ciLow: number;
  ciHigh: number;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length > 0 ? s / xs.length : NaN;
}

export function sampleVariance(xs: ArrayLike<number>, m = mean(xs)): number {
  if (xs.length < 2) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / (xs.length - 1);
}

/** The usual estimator: Σ(xₜ−x̄)(xₜ₊₁−x̄) / Σ(xₜ−x̄)². */
export function lag1Autocorrelation(xs: ArrayLike<number>, m = mean(xs)): number {
  if (xs.length < 3) return NaN;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    den += d * d;
    if (i + 1 < xs.length) num += d * (xs[i + 1]! - m);
  }
  return den > 0 ? num / den : NaN;
}

/** Kendall's first-order correction of the lag-1 estimator's downward bias. */
export function unbiasedRho1(rho: number, n: number): number {
  if (Number.isNaN(rho)) return NaN;
  return rho + (1 + 3 * Math.max(0, rho)) / n;
}

export function effectiveSampleSize(n: number, rho1: number): number {
  if (n < 2) return n;
  const r = Number.isNaN(rho1) ? 0 : Math.min(Math.max(rho1, 0), 0.999);
  return Math.min(n, Math.max(2, (n * (1 - r)) / (1 + r)));
}

export interface SampleStatsOptions {
  confidence?: number;
  /** Treat the whole series as one level (no change points). */
  singleLevel?: boolean;
}

export function sampleStats(xs: readonly number[], opts: SampleStatsOptions = {}): SampleStats {
  const n = xs.length;
  const m = mean(xs);
  const sd = Math.sqrt(sampleVariance(xs, m));
  const shifts = opts.singleLevel ? [] : levelShifts(xs);
  const residuals = residualsAroundLevels(xs, shifts);
  const levels = shifts.length + 1;
  let ss = 0;
  for (const r of residuals) ss += r * r;
  const noiseSd = n > levels ? Math.sqrt(ss / (n - levels)) : NaN;
  const rho1 = n >= 3 ? unbiasedRho1(lag1Autocorrelation(residuals, 0), n) : NaN;
  const nEff = effectiveSampleSize(n, rho1);
  const se = n >= 2 ? noiseSd / Math.sqrt(nEff) : NaN;
  const df = Math.max(1, nEff - levels);
  const half = se === 0 ? 0 : se * tCritical(opts.confidence ?? 0.95, df);
  return { n, mean: m, sd, levelShifts: shifts, noiseSd, rho1, nEff, se, df, ciLow: m - half, ciHigh: m + half };
}

function residualsAroundLevels(xs: readonly number[], shifts: readonly number[]): number[] {
  const out: number[] = [];
  const bounds = [0, ...shifts, xs.length];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const a = bounds[s]!;
    const b = bounds[s + 1]!;
    let sum = 0;
    for (let i = a; i < b; i++) sum += xs[i]!;
    const lm = sum / (b - a);
    for (let i = a; i < b; i++) out.push(xs[i]! - lm);
  }
  return out;
}
