import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../inference/engine.ts';
import type { Model } from '../model/model.ts';

/** The packet rate one side ran at, from the CPU counters alone (the model's estimate, interval by interval). */
export interface SideCpuRate {
  /** Median over the intervals with an estimate, and the medians of their range bounds. */
  pps: number;
  low: number;
  high: number;
  /** Intervals with an estimate, of all. */
  answered: number;
  intervals: number;
}

/** Null when the model has no packet-rate fit or estimated none of the side's intervals. */
export function sideCpuRate(model: Model, fps: readonly Fingerprint[]): SideCpuRate | null {
  if (!model.pps) return null;
  const e = createInferenceEngine(model);
  const est: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const fp of fps) {
    const inf = e.next(fp);
    if (inf.pps === null || inf.ppsRange === null) continue;
    est.push(inf.pps);
    lo.push(inf.ppsRange[0]);
    hi.push(inf.ppsRange[1]);
  }
  if (est.length === 0) return null;
  return { pps: median(est), low: median(lo), high: median(hi), answered: est.length, intervals: fps.length };
}

function median(xs: number[]): number {
  const s = xs.sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
