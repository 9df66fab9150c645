import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { logRate } from '../model/featureSpace.ts';
import type { StateParams } from '../model/model.ts';

export type RouterState = 'idle' | 'processing' | 'unknown';

/**
 * Evidence of one interval for "processing" (log-odds, clipped), from the log
 * rates of memory-traffic events. A busy-polling loop with no packets touches
 * the same few cache lines, so these rates sit orders of magnitude below their
 * values once packets arrive (DMA'd buffers and descriptors have to be pulled in).
 * `coverage` is the share of the evidence weight whose inputs were counted.
 */
export function stateEvidence(fp: Fingerprint, p: StateParams): { evidence: number; coverage: number } {
  let score = p.bias;
  let have = 0;
  let total = 0;
  for (let k = 0; k < p.features.length; k++) {
    const w = p.weights[k]!;
    total += Math.abs(w);
    const rate = fp.rates[p.features[k]!];
    if (rate === undefined || !Number.isFinite(rate)) continue;
    score += w * (logRate(rate) - p.neutral[k]!);
    have += Math.abs(w);
  }
  const evidence = Math.max(-p.maxEvidence, Math.min(p.maxEvidence, score));
  return { evidence, coverage: total > 0 ? have / total : 0 };
}

export interface StateStep {
  state: RouterState;
  /** Posterior probability of the reported state (of the likelier one when unknown). */
  confidence: number;
  /** Posterior probability of processing. */
  pProcessing: number;
  change?: { from: 'idle' | 'processing'; to: 'idle' | 'processing'; t: number };
}

/** Causal two-state filter (HMM forward pass) over the per-interval evidence; one per stream. */
export class StateTracker {
  private logOdds: number | undefined;
  private decided: 'idle' | 'processing' | undefined;
  /** The stream's own idle level: running mean of the features over confidently idle intervals. */
  private readonly idleSum: Float64Array;
  private readonly idleN: Float64Array;
  private readonly x: Float64Array;

  constructor(private readonly p: StateParams) {
    this.idleSum = new Float64Array(p.features.length);
    this.idleN = new Float64Array(p.features.length);
    this.x = new Float64Array(p.features.length);
  }

  step(fp: Fingerprint): StateStep {
    const { evidence, coverage } = stateEvidence(fp, this.p);
    const usable = coverage >= 0.5;
    const rel = usable ? this.relativeEvidence(fp) : undefined;
    const prior = this.logOdds === undefined ? 0 : predictLogOdds(this.logOdds, this.p.switchProbability);
    // Once the stream's own idle level is known it speaks for this router; the levels
    // learnt on other routers then count half.
    const post = prior + (!usable ? 0 : rel === undefined ? evidence : rel + evidence / 2);
    this.logOdds = post;
    if (usable && post < IDLE_LEARN_LOG_ODDS) this.learnIdle();
    const pProc = 1 / (1 + Math.exp(-post));
    const confidence = Math.max(pProc, 1 - pProc);
    const state: RouterState = !usable || confidence < this.p.minConfidence ? 'unknown' : pProc > 0.5 ? 'processing' : 'idle';
    const out: StateStep = { state, confidence, pProcessing: pProc };
    if (state !== 'unknown') {
      if (this.decided !== undefined && this.decided !== state) out.change = { from: this.decided, to: state, t: fp.t };
      this.decided = state;
    }
    return out;
  }

  reset(): void {
    this.logOdds = undefined;
    this.decided = undefined;
    this.idleSum.fill(0);
    this.idleN.fill(0);
  }

  /** Evidence from the rise over the stream's idle level; undefined until that level is known. Leaves the features in this.x. */
  private relativeEvidence(fp: Fingerprint): number | undefined {
    const r = this.p.relative;
    const f = this.p.features;
    for (let k = 0; k < f.length; k++) {
      const rate = fp.rates[f[k]!];
      this.x[k] = rate === undefined || !Number.isFinite(rate) ? NaN : logRate(rate);
    }
    if (!r) return undefined;
    let score = r.bias;
    for (let k = 0; k < f.length; k++) {
      if (this.idleN[k]! < r.minIdle) return undefined;
      const v = this.x[k]!;
      if (v !== v) continue;
      score += r.weights[k]! * (v - this.idleSum[k]! / this.idleN[k]!);
    }
    return Math.max(-this.p.maxEvidence, Math.min(this.p.maxEvidence, score));
  }

  private learnIdle(): void {
    for (let k = 0; k < this.x.length; k++) {
      const v = this.x[k]!;
      if (v !== v) continue;
      // A running mean that turns into an exponential one, so a slow drift is followed.
      if (this.idleN[k]! >= IDLE_MEMORY) {
        this.idleSum[k] = (this.idleSum[k]! * (IDLE_MEMORY - 1)) / IDLE_MEMORY;
        this.idleN[k] = IDLE_MEMORY - 1;
      }
      this.idleSum[k]! += v;
      this.idleN[k]!++;
    }
  }
}

/** Only intervals this surely idle (posterior log-odds of processing) teach the idle level. */
const IDLE_LEARN_LOG_ODDS = -4.6;
const IDLE_MEMORY = 60;

/** One step of the Markov chain: the state may have switched since the last interval. */
function predictLogOdds(logOdds: number, a: number): number {
  const p = 1 / (1 + Math.exp(-logOdds));
  const q = p * (1 - a) + (1 - p) * a;
  return Math.log(q / (1 - q));
}
