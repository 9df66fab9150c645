import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../inference/engine.ts';
import type { Model } from '../model/model.ts';

/** One run as a session sees it, with the true packet rate of each interval (undefined: not scored). */
export interface RateRun {
  fps: Fingerprint[];
  truth: (number | undefined)[];
}

export interface RateScore {
  /** Scored intervals (a true rate above 0). */
  total: number;
  /** Of them, those with an estimate. */
  answered: number;
  /** |estimate / truth − 1| of each answered interval. */
  errors: number[];
  /** Answered intervals whose truth lies in the ≈ 90 % range. */
  covered: number;
}

/** The packet-rate estimate of a model on runs with a known rate, each run a fresh session. */
export function scoreRate(model: Model, runs: Iterable<RateRun>): RateScore {
  const out: RateScore = { total: 0, answered: 0, errors: [], covered: 0 };
  for (const run of runs) {
    const e = createInferenceEngine(model);
    run.fps.forEach((fp, i) => {
      const inf = e.next(fp);
      const truth = run.truth[i];
      if (truth === undefined || !(truth > 0)) return;
      out.total++;
      if (inf.pps === null || inf.ppsRange === null) return;
      out.answered++;
      out.errors.push(Math.abs(inf.pps / truth - 1));
      if (truth >= inf.ppsRange[0] && truth <= inf.ppsRange[1]) out.covered++;
    });
  }
  return out;
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
