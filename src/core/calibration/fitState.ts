import { logRate } from '../model/featureSpace.ts';
import type { StateParams } from '../model/model.ts';
import { fitLogistic } from './logistic.ts';
import type { Sample } from './samples.ts';

/**
 * Memory-traffic events whose rates separate busy polling from packet work on
 * every router we have data for: LLC stores and loads (DMA'd packets and
 * descriptors), cache references, L1-d misses, plus branch misses.
 */
export const STATE_EVENTS = ['LLC-stores', 'LLC-loads', 'cache-references', 'L1-dcache-load-misses', 'branch-misses'];

export const STATE_DEFAULTS = { maxEvidence: 8, switchProbability: 0.02, minConfidence: 0.9, l2: 0.1 };

/** Fits the state evidence on idle/processing-labelled intervals (classes weighted equally). */
export function fitState(samples: Sample[], events: readonly string[] = STATE_EVENTS, opts: Partial<typeof STATE_DEFAULTS> = {}): StateParams {
  const o = { ...STATE_DEFAULTS, ...opts };
  const labelled = samples.filter((s) => s.state !== undefined);
  const usable = events.filter((e) => labelled.every((s) => s.fp.rates[e] !== undefined && Number.isFinite(s.fp.rates[e]!)));
  if (usable.length === 0) throw new Error(`calibration: none of the state events (${events.join(', ')}) is counted in every state-labelled interval`);
  const nIdle = labelled.filter((s) => s.state === 'idle').length;
  const nProc = labelled.length - nIdle;
  if (nIdle === 0 || nProc === 0) throw new Error('calibration: state needs both idle and processing intervals');
  const x = labelled.map((s) => usable.map((e) => logRate(s.fp.rates[e]!)));
  const y = labelled.map((s) => (s.state === 'processing' ? 1 : 0));
  const w = labelled.map((s) => (s.state === 'processing' ? labelled.length / (2 * nProc) : labelled.length / (2 * nIdle)));
  const fit = fitLogistic(x, y, { l2: o.l2, rowWeights: w });
  // Re-express around each feature's class midpoint, so a missing feature can be taken as "no evidence".
  const neutral = usable.map((_, k) => {
    let si = 0;
    let sp = 0;
    x.forEach((row, i) => (y[i] ? (sp += row[k]!) : (si += row[k]!)));
    return (si / nIdle + sp / nProc) / 2;
  });
  let bias = fit.bias;
  usable.forEach((_, k) => (bias += fit.weights[k]! * neutral[k]!));
  const fittedOn = [...new Set(labelled.map((s) => s.source.replace(/#.*$/, '')))].sort();
  const relative = relativeEvidence(fit.weights);
  return {
    method: 'logistic-hmm',
    features: usable,
    weights: fit.weights,
    neutral,
    bias,
    maxEvidence: o.maxEvidence,
    switchProbability: o.switchProbability,
    minConfidence: o.minConfidence,
    fittedOn,
    ...(relative ? { relative } : {}),
  };
}

/** Intervals a stream must have shown idle before its own idle level is trusted. */
const MIN_IDLE = 3;
/** A rise of this many decades (weighted mean over the features) over the stream's idle level is neutral. */
const RISE_NEUTRAL = 0.4;
/** Log-odds per decade of rise. */
const RISE_GAIN = 10;

/**
 * Session-relative evidence: the weighted mean rise (in decades) of the state
 * features over the stream's own idle level, minus RISE_NEUTRAL, times RISE_GAIN.
 * The weights are the absolute detector's positive ones, normalised. Not fitted:
 * on the reference routers processing lifts these rates by one to four decades
 * and idle bursts stay well under half a decade, so any boundary in between fits;
 * a fixed one in the middle generalises best to routers whose rise is weaker.
 */
function relativeEvidence(weights: number[]): StateParams['relative'] {
  const pos = weights.map((w) => Math.max(w, 0));
  const total = pos.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  return { weights: pos.map((w) => (RISE_GAIN * w) / total), bias: -RISE_GAIN * RISE_NEUTRAL, minIdle: MIN_IDLE };
}
