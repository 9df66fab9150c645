import type { SampleStats } from './sampleStats.ts';
import { tTwoSidedP } from './tDistribution.ts';

export interface WelchResult {
  /** (mean B − mean A) / standard error. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  p: number;
}

/**
 * Welch's unequal-variance t-test on two summaries. With `effective` (the
 * default) each mean's variance is its standard error squared — noise around
 * the levels, over the effective sample size — and the Welch–Satterthwaite
 * degrees of freedom use each side's matching df; without it this is the
 * textbook test on sd²/n with n − 1 degrees of freedom.
 */
export function welchTest(a: SampleStats, b: SampleStats, effective = true): WelchResult {
  if (a.n < 2 || b.n < 2) return { t: NaN, df: NaN, p: NaN };
  const va = effective ? a.se * a.se : (a.sd * a.sd) / a.n;
  const vb = effective ? b.se * b.se : (b.sd * b.sd) / b.n;
  const dfa = effective ? a.df : a.n - 1;
  const dfb = effective ? b.df : b.n - 1;
  const diff = b.mean - a.mean;
  const se = Math.sqrt(va + vb);
  if (se === 0) return diff === 0 ? { t: 0, df: dfa + dfb, p: 1 } : { t: Math.sign(diff) * Infinity, df: dfa + dfb, p: 0 };
  const df = (va + vb) ** 2 / ((va * va) / dfa + (vb * vb) / dfb);
  const t = diff / se;
  return { t, df, p: tTwoSidedP(t, df) };
}

/**
 * Cohen's d with the pooled standard deviation, and Hedges' g, its
 * small-sample correction (1 − 3/(4(nA+nB) − 9)). Positive when B is higher.
 */
export function effectSize(a: SampleStats, b: SampleStats): { d: number; g: number } {
  const dfPooled = a.n + b.n - 2;
  if (dfPooled <= 0) return { d: NaN, g: NaN };
  const pooled = Math.sqrt(((a.n - 1) * a.sd * a.sd + (b.n - 1) * b.sd * b.sd) / dfPooled);
  const diff = b.mean - a.mean;
  const d = pooled > 0 ? diff / pooled : diff === 0 ? 0 : Math.sign(diff) * Infinity;
  const j = 1 - 3 / (4 * (a.n + b.n) - 9);
  return { d, g: d * j };
}

/** Holm's step-down adjustment (controls the family-wise error under any dependence). NaNs stay NaN. */
export function holmAdjust(p: readonly number[]): number[] {
  const idx = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]!));
  idx.sort((x, y) => p[x]! - p[y]!);
  const m = idx.length;
  const out = p.map(() => NaN);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]!));
    out[i] = running;
  });
  return out;
}

/** Benjamini–Hochberg step-up adjustment (controls the false discovery rate). NaNs stay NaN. */
export function bhAdjust(p: readonly number[]): number[] {
  const idx = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]!));
  idx.sort((x, y) => p[x]! - p[y]!);
  const m = idx.length;
  const out = p.map(() => NaN);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = idx[rank]!;
    running = Math.min(running, (m / (rank + 1)) * p[i]!);
    out[i] = Math.min(1, running);
  }
  return out;
}
