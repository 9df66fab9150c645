import { logRate, normalise, shrinkToward } from '../model/featureSpace.ts';
import type { FeatureSpace } from '../model/model.ts';
import type { Sample } from './samples.ts';

/** Spread floor in decades: a counter that never moved in calibration must not blow up z. */
export const MIN_STD_DECADES = 0.01;
/** Default shrink of multiplexed estimates (see FeatureSpace.shrink). */
export const DEFAULT_SHRINK = 0.3;

/**
 * Events counted in (nearly) every calibration interval, with the mean and
 * spread of their log rates: the normalisation of the fingerprint.
 */
export function fitFeatureSpace(samples: Sample[], shrink = DEFAULT_SHRINK): FeatureSpace {
  const seen = new Map<string, number>();
  for (const s of samples) for (const e in s.fp.rates) if (Number.isFinite(s.fp.rates[e]!)) seen.set(e, (seen.get(e) ?? 0) + 1);
  const events = [...seen.entries()]
    .filter(([, n]) => n >= 0.95 * samples.length)
    .map(([e]) => e)
    .sort();
  if (events.length === 0) throw new Error('calibration: no perf event is counted in 95 % of the selected intervals');
  const mean = events.map(() => 0);
  const m2 = events.map(() => 0);
  const n = events.map(() => 0);
  for (const s of samples) {
    events.forEach((e, k) => {
      const r = s.fp.rates[e];
      if (r === undefined || !Number.isFinite(r)) return;
      const v = logRate(r);
      n[k]!++;
      const delta = v - mean[k]!;
      mean[k]! += delta / n[k]!;
      m2[k]! += delta * (v - mean[k]!);
    });
  }
  const std = events.map((_, k) => Math.max(Math.sqrt(m2[k]! / Math.max(1, n[k]! - 1)), MIN_STD_DECADES));
  return { transform: 'log10-rate-plus-1', events, mean, std, shrink };
}

/** z of every sample, with the multiplexing shrink applied along each source in order (as the engine does). */
export function normaliseAll(samples: Sample[], fs: FeatureSpace): Float64Array[] {
  const out: Float64Array[] = [];
  let prev: Float64Array | undefined;
  let prevSource = '';
  for (const s of samples) {
    const { z, counted } = normalise(s.fp, fs);
    if (s.source === prevSource) shrinkToward(z, counted, prev, fs.shrink);
    out.push(z);
    prev = z;
    prevSource = s.source;
  }
  return out;
}
