import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { PACKET_FEATURES } from '../fingerprint/packetMetrics.ts';
import type { FeatureComparison } from './featureComparison.ts';
import { sampleStats } from './sampleStats.ts';
import type { LogRateReference, Similarity } from './similarity.ts';
import { fingerprintSimilarity } from './similarity.ts';
import { bhAdjust, effectSize, holmAdjust, welchTest } from './tests.ts';
import { HEADLINE, importance } from './ranking.ts';
import { buildVerdict } from './verdict.ts';
import type { Model } from '../model/model.ts';
import { sideCpuRate, type SideCpuRate } from './cpuRates.ts';

// The row type lives in its own file so verdict.ts can use it without importing this one.
export type { FeatureComparison } from './featureComparison.ts';

export interface CompareSide {
  /** How reports name the side, e.g. `fastclick.csv [5000-64]`. */
  label: string;
  fingerprints: readonly Fingerprint[];
}

export interface CompareOptions {
  /** Family-wise (Holm) or false-discovery (BH) level. Default 0.05. */
  alpha?: number;
  adjust?: 'holm' | 'bh';
  /**
   * Smallest relative change of a mean worth reporting, default 0.05 (5 %):
   * perf counters of a busy-polling router are so steady that a 1 % drift
   * between two minutes is "significant" without meaning anything.
   */
  minRelativeDifference?: number;
  /** Restrict to these features (event names or derived metrics). */
  features?: readonly string[];
  reference?: LogRateReference;
  /** How many features the time-series charts show. Default 4. */
  chartFeatures?: number;
  /** A model with a packet-rate fit: each side's packet rate from the CPU alone is reported too. */
  model?: Model;
}

export interface SideSummary {
  label: string;
  intervals: number;
  /** Start of the first and end of the last interval, in the input's time (s). */
  from: number;
  to: number;
  meanIntervalSeconds: number;
  /** Lowest share of time any counter was counting, in percent (below 100: multiplexed). */
  minRunningPercent: number;
}

export interface TimeSeries {
  feature: string;
  unit: string;
  /** [seconds since the side's first interval started, value]. */
  a: [number, number][];
  b: [number, number][];
}

export interface ComparisonResult {
  a: SideSummary;
  b: SideSummary;
  method: {
    test: string;
    autocorrelation: string;
    adjustment: 'holm' | 'bh';
    alpha: number;
    minRelativeDifference: number;
    confidence: number;
  };
  /** Different features first (most important first), then the rest by adjusted p. */
  features: FeatureComparison[];
  onlyInA: string[];
  onlyInB: string[];
  /** Features that are zero throughout on both sides. */
  allZero: string[];
  similarity: Similarity;
  verdict: string;
  /** Features the verdict names, in its order. */
  highlights: string[];
  warnings: string[];
  series: TimeSeries[];
  /** Each side's packet rate from the CPU alone (with a model that estimates it). */
  cpuRate?: { a: SideCpuRate | null; b: SideCpuRate | null };
}

const PACKET_UNITS = new Map(PACKET_FEATURES.map((f) => [f.name, f.unit]));
const TIME_EVENTS = new Set(['task-clock', 'cpu-clock', 'duration_time', 'user_time', 'system_time']);

export function compareRuns(a: CompareSide, b: CompareSide, opts: CompareOptions = {}): ComparisonResult {
  const alpha = opts.alpha ?? 0.05;
  const adjust = opts.adjust ?? 'holm';
  const minRel = opts.minRelativeDifference ?? 0.05;
  if (a.fingerprints.length === 0) throw new Error(`${a.label} has no intervals to compare`);
  if (b.fingerprints.length === 0) throw new Error(`${b.label} has no intervals to compare`);

  const fa = featureSet(a.fingerprints);
  const fb = featureSet(b.fingerprints);
  let common = [...fa.keys()].filter((f) => fb.has(f));
  if (opts.features) {
    const unknown = opts.features.filter((f) => !fa.has(f) && !fb.has(f));
    if (unknown.length > 0) throw new Error(`no such feature in either side: ${unknown.join(', ')}`);
    common = common.filter((f) => opts.features!.includes(f));
  }
  const onlyInA = [...fa.keys()].filter((f) => !fb.has(f)).sort();
  const onlyInB = [...fb.keys()].filter((f) => !fa.has(f)).sort();
  const allZero: string[] = [];

  const rows: Omit<FeatureComparison, 'pAdjusted' | 'significant' | 'different'>[] = [];
  // Start time of each value's interval, to say when a level shift happened.
  const starts = new Map<string, { a: number[]; b: number[] }>();
  for (const feature of common) {
    const kind = fa.get(feature)!;
    const { v: va, t: ta } = values(a.fingerprints, feature, kind);
    const { v: vb, t: tb } = values(b.fingerprints, feature, kind);
    starts.set(feature, { a: ta, b: tb });
    if (va.length < 2 || vb.length < 2) continue;
    if (va.every((x) => x === 0) && vb.every((x) => x === 0)) {
      allZero.push(feature);
      continue;
    }
    const sa = sampleStats(va);
    const sb = sampleStats(vb);
    const w = welchTest(sa, sb);
    const es = effectSize(sa, sb);
    const difference = sb.mean - sa.mean;
    const relativeDifference = sa.mean !== 0 ? difference / Math.abs(sa.mean) : difference === 0 ? 0 : Math.sign(difference) * Infinity;
    const ratio = sa.mean !== 0 ? sb.mean / sa.mean : sb.mean === 0 ? 1 : Infinity;
    rows.push({
      feature,
      kind,
      unit: kind === 'derived' ? (PACKET_UNITS.get(feature) ?? '') : TIME_EVENTS.has(feature) ? 'ms/s' : '/s',
      a: sa,
      b: sb,
      difference,
      relativeDifference,
      ratio,
      cohensD: es.d,
      hedgesG: es.g,
      t: w.t,
      df: w.df,
      p: w.p,
      material: Math.abs(relativeDifference) >= minRel,
    });
  }
  const adjusted = (adjust === 'holm' ? holmAdjust : bhAdjust)(rows.map((r) => r.p));
  const features: FeatureComparison[] = rows.map((r, i) => {
    const pAdjusted = adjusted[i]!;
    const significant = pAdjusted < alpha;
    return { ...r, pAdjusted, significant, different: significant && r.material };
  });
  const { verdict, highlights } = buildVerdict(features, { alpha, adjust, minRelativeDifference: minRel });
  features.sort((x, y) => order(x, highlights) - order(y, highlights) || (x.different ? importance(y) - importance(x) : 0) || x.pAdjusted - y.pAdjusted || x.feature.localeCompare(y.feature));

  const rateFeatures = common.filter((f) => fa.get(f) === 'rate');
  const summaryA = summarize(a);
  const summaryB = summarize(b);
  return {
    a: summaryA,
    b: summaryB,
    method: {
      test: "Welch's t-test on per-interval values (unequal variances)",
      autocorrelation: 'variances of the means and degrees of freedom use effective sample sizes n(1−ρ₁)/(1+ρ₁) from the lag-1 autocorrelation',
      adjustment: adjust,
      alpha,
      minRelativeDifference: minRel,
      confidence: 0.95,
    },
    features,
    onlyInA,
    onlyInB,
    allZero,
    similarity: fingerprintSimilarity(a.fingerprints, b.fingerprints, rateFeatures, opts.reference),
    verdict,
    highlights,
    warnings: warnings(summaryA, summaryB, features, highlights, starts),
    series: chartSeries(a.fingerprints, b.fingerprints, features, highlights, opts.chartFeatures ?? 4),
    ...(opts.model?.pps ? { cpuRate: { a: sideCpuRate(opts.model, a.fingerprints), b: sideCpuRate(opts.model, b.fingerprints) } } : {}),
  };
}

/** Highlights first in verdict order, then the other different features, then the rest. */
function order(f: FeatureComparison, highlights: string[]): number {
  const h = highlights.indexOf(f.feature);
  if (h >= 0) return h;
  return f.different ? 100 : 200;
}

function featureSet(fps: readonly Fingerprint[]): Map<string, 'rate' | 'derived'> {
  const m = new Map<string, 'rate' | 'derived'>();
  for (const fp of fps) {
    for (const k in fp.rates) if (!m.has(k)) m.set(k, 'rate');
    for (const k in fp.derived) if (!m.has(k)) m.set(k, 'derived');
  }
  return m;
}

function values(fps: readonly Fingerprint[], feature: string, kind: 'rate' | 'derived'): { v: number[]; t: number[] } {
  const v: number[] = [];
  const t: number[] = [];
  for (const fp of fps) {
    const x = kind === 'rate' ? fp.rates[feature] : fp.derived[feature];
    if (x === undefined || !Number.isFinite(x)) continue;
    v.push(x);
    t.push(fp.t - fp.dt);
  }
  return { v, t };
}

function summarize(side: CompareSide): SideSummary {
  const fps = side.fingerprints;
  const first = fps[0]!;
  const last = fps[fps.length - 1]!;
  let dt = 0;
  let minRunning = 100;
  for (const fp of fps) {
    dt += fp.dt;
    for (const k in fp.running) minRunning = Math.min(minRunning, fp.running[k]!);
  }
  return { label: side.label, intervals: fps.length, from: first.t - first.dt, to: last.t, meanIntervalSeconds: dt / fps.length, minRunningPercent: minRunning };
}

function warnings(a: SideSummary, b: SideSummary, features: FeatureComparison[], highlights: string[], starts: Map<string, { a: number[]; b: number[] }>): string[] {
  const out: string[] = [];
  for (const [name, s] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (s.intervals < 5) out.push(`${name} has only ${s.intervals} interval${s.intervals === 1 ? '' : 's'}: too few for a reliable comparison`);
    if (s.minRunningPercent < 100) out.push(`${name}'s counters were multiplexed (some counted only ${s.minRunningPercent.toFixed(1)}% of the time): its values are perf's scaled estimates`);
  }
  const offered = (side: 'a' | 'b') => {
    const pps = features.find((f) => f.feature === 'packets-per-second')?.[side].mean;
    const drop = features.find((f) => f.feature === 'drop-ratio')?.[side].mean ?? 0;
    return pps !== undefined && drop < 1 ? pps / (1 - drop) : undefined;
  };
  const [oa, ob] = [offered('a'), offered('b')];
  if (oa !== undefined && ob !== undefined && oa > 0 && ob > 0 && Math.abs(oa / ob - 1) > 0.05) {
    out.push(
      `A and B were offered different loads (about ${(oa / 1e6).toFixed(3)} and ${(ob / 1e6).toFixed(3)} Mpps): a busy-polling router's cost per packet falls as its load rises, so compare cost per packet at equal offered load`,
    );
  }
  const dtRatio = a.meanIntervalSeconds / b.meanIntervalSeconds;
  if (dtRatio > 1.1 || dtRatio < 1 / 1.1) {
    out.push(`A and B were sampled at different intervals (${a.meanIntervalSeconds.toFixed(3)} s and ${b.meanIntervalSeconds.toFixed(3)} s): means compare, but shorter intervals vary more`);
  }
  // Serial correlation this strong means a drift or a change of state inside the range.
  const watch = [...new Set([...highlights, ...HEADLINE])].map((f) => features.find((x) => x.feature === f)).filter((f): f is FeatureComparison => f !== undefined);
  for (const side of ['a', 'b'] as const) {
    const shifted = watch.find((f) => f[side].levelShifts.length > 0);
    if (shifted) {
      const times = shifted[side].levelShifts.map((i) => `${starts.get(shifted.feature)![side][i]!.toFixed(1)} s`);
      out.push(
        `${side.toUpperCase()} changes level during its range (${shifted.feature} at ${times.join(', ')}): its means mix those states. ` +
          `The test takes the levels as part of the run, as when both sides follow the same traffic schedule; for a per-state answer compare one steady stretch of each`,
      );
    }
    const unsteady = watch.filter((f) => f[side].n >= 8 && f[side].rho1 > 0.8);
    if (unsteady.length === 0) continue;
    const worst = unsteady.reduce((x, y) => (y[side].rho1 > x[side].rho1 ? y : x));
    out.push(
      `${side.toUpperCase()} is not steady over its range: ${worst.feature} drifts or changes level (lag-1 autocorrelation ${worst[side].rho1.toFixed(2)}), ` +
        `so the test counts only ~${worst[side].nEff.toFixed(1)} independent intervals out of ${worst[side].n}; compare steady stretches (one traffic state each) for a sharper answer`,
    );
  }
  return out;
}

function chartSeries(a: readonly Fingerprint[], b: readonly Fingerprint[], features: FeatureComparison[], highlights: string[], count: number): TimeSeries[] {
  const chosen: FeatureComparison[] = [];
  const add = (f: FeatureComparison | undefined) => {
    if (f && chosen.length < count && !chosen.includes(f)) chosen.push(f);
  };
  for (const h of highlights) add(features.find((f) => f.feature === h));
  for (const h of HEADLINE) add(features.find((f) => f.feature === h));
  for (const f of features) add(f);
  const points = (fps: readonly Fingerprint[], f: FeatureComparison): [number, number][] => {
    const t0 = fps[0]!.t - fps[0]!.dt;
    const out: [number, number][] = [];
    for (const fp of fps) {
      const v = f.kind === 'rate' ? fp.rates[f.feature] : fp.derived[f.feature];
      if (v !== undefined && Number.isFinite(v)) out.push([fp.t - t0, v]);
    }
    return out;
  };
  return chosen.map((f) => ({ feature: f.feature, unit: f.unit, a: points(a, f), b: points(b, f) }));
}
