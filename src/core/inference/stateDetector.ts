import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { logRateOf, type EventLogs } from '../model/featureSpace.ts';
import type { LevelParams, StateParams } from '../model/model.ts';
import { FamiliarityIndex, type Familiarity } from './familiarity.ts';
import { LevelTracker, type LevelStep } from './levelTracker.ts';

export type RouterState = 'idle' | 'processing' | 'unknown';

/** What an answer rests on: the model's absolute rule, the rise over the run's own idle floor, or over the highest idle level of the router the model was taught on. */
export type StateBasis = 'model' | 'run-levels' | 'own-idle';

/**
 * Least evidence one interval must carry on its own (log-odds 1: about 3 to 1) for the
 * absolute rule to answer: the filter smooths single flips, but the intervals of a
 * steady stretch are not independent, so a weak lean repeated must not add up to a
 * confident answer.
 */
const MIN_EVIDENCE = 1;

/** Confidences stop short of certainty: the data behind them never is. */
export const MAX_CONFIDENCE = 0.99;

/**
 * Memory-traffic events: what the state rule reads on a host with a PMU. The
 * familiarity check looks at every other event, so that it is a second,
 * independent view of the state.
 */
export const MEMORY_TRAFFIC = /^(LLC-|cache-|node-|L1-dcache-load-misses$)/;

/** Whether the state rule reads memory-traffic events (not the software events of a host without a PMU). */
export function readsMemoryTraffic(p: Pick<StateParams, 'features'>): boolean {
  return p.features.some((e) => MEMORY_TRAFFIC.test(e));
}

/** Levels of models calibrated before the run-relative part existed. */
export const LEVEL_DEFAULTS: LevelParams = { jump: 0.6, minSteady: 2, idleBand: 0.3, processingRise: 0.6 };

export const STATE_REASONS = {
  unfamiliar: 'unlike the routers this model knows: teach it this router',
  disagree: 'unlike the routers this model knows (its rule and its nearest known intervals disagree): teach it this router',
  fewEvents: 'too few events counted to tell whether this router is like the ones the model knows: teach it this router',
  pending: 'the memory traffic just changed level: waiting for a second interval to tell a change from a spike',
  between: "memory traffic between this run's idle floor and its traffic level",
  unsure: 'not sure enough yet',
  doubt: 'the run has shown memory traffic far above this level, which the model calls processing: it may be this router\'s idle; teach VNF Lens this router',
} as const;

/**
 * Evidence of one interval for "processing" (log-odds, clipped), from the log
 * rates of memory-traffic events. A busy-polling loop with no packets touches
 * the same few cache lines, so these rates sit orders of magnitude below their
 * values once packets arrive (DMA'd buffers and descriptors have to be pulled in).
 * `coverage` is the share of the evidence weight whose inputs were counted.
 */
export function stateEvidence(fp: Fingerprint, p: StateParams, logs?: EventLogs): { evidence: number; coverage: number } {
  let score = p.bias;
  let have = 0;
  let total = 0;
  const pos = logs?.positions(p.features);
  for (let k = 0; k < p.features.length; k++) {
    const w = p.weights[k]!;
    total += Math.abs(w);
    const x = logs ? logs.logOf(fp, p.features, pos!, k) : logRateOf(fp, p.features[k]!);
    if (x !== x) continue;
    score += w * (x - p.neutral[k]!);
    have += Math.abs(w);
  }
  const evidence = Math.max(-p.maxEvidence, Math.min(p.maxEvidence, score));
  return { evidence, coverage: total > 0 ? have / total : 0 };
}

/**
 * The memory-traffic level of an interval: mean log10 rate of the state rule's
 * features weighted by their positive weights; NaN when none was counted.
 */
export function memoryLevel(fp: Fingerprint, p: StateParams, logs?: EventLogs): number {
  let s = 0;
  let w = 0;
  const pos = logs?.positions(p.features);
  for (let k = 0; k < p.features.length; k++) {
    const wk = p.weights[k]!;
    if (wk <= 0) continue;
    const x = logs ? logs.logOf(fp, p.features, pos!, k) : logRateOf(fp, p.features[k]!);
    if (x !== x) continue;
    s += wk * x;
    w += wk;
  }
  return w > 0 ? s / w : NaN;
}

/** What one interval looks like to the tracker, before it decides. */
interface View {
  evidence: number;
  absState: 'idle' | 'processing';
  absConf: number;
  sure: boolean;
  level: number;
  fam: Familiarity | undefined;
  nearest: 'idle' | 'processing';
  lv: LevelStep;
  t: number;
}

export interface StateStep {
  state: RouterState;
  /** Probability that the reported state is right (of the likelier one when unknown). */
  confidence: number;
  /** Why the state is unknown. */
  reason?: string;
  /** The interval is unlike what the model knows (its loss and scenario answers are then not backed either). */
  unfamiliar?: boolean;
  basis?: StateBasis;
  change?: { from: 'idle' | 'processing'; to: 'idle' | 'processing'; t: number };
}

/**
 * One stream's state, causally. Once a level change shows the run's idle floor,
 * the state is the rise of the memory traffic over that floor. Before that, a model
 * taught on this router answers from the rise over its own idle level; otherwise the
 * model's absolute rule answers (a logistic score filtered by a two-state HMM) where
 * the nearest known intervals in the other events back it (see `backs`). A rise not
 * yet confirmed by a second interval never flips idle to processing (spikes).
 */
export class StateTracker {
  private logOdds: number | undefined;
  private decided: 'idle' | 'processing' | undefined;
  private readonly levels: LevelTracker;
  private readonly lp: LevelParams;
  private readonly familiarity: FamiliarityIndex | undefined;
  /** The rule reads memory traffic (not a software-event rule of a host without a PMU), so its "idle" bounds the packet rate. */
  private readonly memoryRule: boolean;
  /** Intervals of the current steady stretch that were / were not like the known ones. */
  private stretchKnown = 0;
  private stretchOdd = 0;

  constructor(private readonly p: StateParams) {
    this.lp = p.levels ?? LEVEL_DEFAULTS;
    this.levels = new LevelTracker(this.lp);
    this.familiarity = p.familiarity ? new FamiliarityIndex(p.familiarity) : undefined;
    this.memoryRule = readsMemoryTraffic(p);
  }

  /** `logs`, when given, holds this interval's log rates already looked up (EventLogs.load). */
  step(fp: Fingerprint, logs?: EventLogs): StateStep {
    const { evidence, coverage } = stateEvidence(fp, this.p, logs);
    if (coverage < 0.5) return this.unknown(0.5, noCountersReason(this.p));
    const prior = this.logOdds === undefined ? 0 : predictLogOdds(this.logOdds, this.p.switchProbability);
    const post = prior + evidence;
    this.logOdds = post;
    const pProc = 1 / (1 + Math.exp(-post));
    const absConf = Math.min(MAX_CONFIDENCE, Math.max(pProc, 1 - pProc));
    const absState = pProc > 0.5 ? 'processing' : 'idle';
    const sure = absConf >= this.p.minConfidence && Math.abs(evidence) >= MIN_EVIDENCE;
    const level = memoryLevel(fp, this.p, logs);
    // Once the floor is known, familiarity only matters where a new, lower floor could form (the search is the costly part).
    const floor = this.levels.floor;
    const needed = floor === undefined || (sure && absState === 'processing' && !(level >= floor + this.lp.jump));
    const fam = needed ? this.familiarity?.measure(fp, logs) : undefined;
    const nearest = fam ? (fam.idle <= fam.processing ? 'idle' : 'processing') : absState;
    // Known busy: the rule is sure of processing and a known busy interval is the nearer, on familiar ground.
    const knownBusy = sure && absState === 'processing' && nearest === 'processing' && (!fam || (fam.judged && fam.familiar));
    // Like known traffic (close to a busy interval, or clearly nearer busy than idle): what a step of the input rate down needs, to keep the lower level from being the floor.
    const lv = this.levels.push(level, knownBusy, knownBusy && (!fam || fam.processing <= CLOSE || fam.idle >= CLEAR_MARGIN * fam.processing));

    const v: View = { evidence, absState, absConf, sure, level, fam, nearest, lv, t: fp.t };
    if (lv.floor !== undefined) return this.fromRunLevels(v, lv.floor);
    return this.fromOwnIdle(v) ?? this.fromModel(v);
  }

  /** Once a level change has shown the run's idle floor: the rise over it. */
  private fromRunLevels(v: View, floor: number): StateStep {
    const rise = v.level - floor;
    const cat = rise <= this.lp.idleBand ? 'idle' : rise >= this.lp.processingRise ? 'processing' : undefined;
    const mid = (this.lp.idleBand + this.lp.processingRise) / 2;
    const conf = Math.min(MAX_CONFIDENCE, 0.5 + 0.5 * Math.tanh(Math.abs(rise - mid) / 0.1));
    // Where the run's levels cannot tell (between them, or a level not yet confirmed), a sure rule that keeps the state answers.
    const ruleKeeps = v.sure && v.absState === this.decided;
    if (cat === undefined) return ruleKeeps ? this.answer(v.absState, v.absConf, 'model', v.t) : this.unknown(conf, STATE_REASONS.between);
    // Back at the run's own idle floor: a second without packets, even a single one, is idle.
    if (v.lv.pending && cat !== this.decided && cat !== 'idle') return ruleKeeps ? this.answer(v.absState, v.absConf, 'model', v.t) : this.unknown(conf, STATE_REASONS.pending);
    return this.answer(cat, conf, 'run-levels', v.t);
  }

  /**
   * A model taught on this router knows its own idle range: the levels its labelled idle
   * loop showed, widened by how far an idle level moves between runs. A rise over the top
   * of it (and at least the processing step) is packets, unless the rule is sure of idle;
   * the other events are not asked: the model may know this router's processing only at
   * other rates. Within the range, where the nearest known interval is an idle one, it is
   * idle even when the rule says processing: the rule was fitted on other routers, whose
   * idle may lie far below this one's.
   */
  private fromOwnIdle(v: View): StateStep | undefined {
    const own = this.p.ownIdle;
    if (!own) return undefined;
    const move = own.movement ?? 0;
    const ownRise = v.level - own.level;
    const inRange = own.low !== undefined && v.level >= own.low - move && ownRise <= move;
    if (inRange && v.nearest === 'idle' && v.fam?.judged && v.fam.familiar) {
      return this.answer('idle', Math.min(MAX_CONFIDENCE, 0.5 + 0.5 * Math.tanh((move - ownRise) / 0.1)), 'own-idle', v.t);
    }
    if (!(ownRise >= Math.max(this.lp.processingRise, move)) || (v.sure && v.absState === 'idle')) return undefined;
    const conf = Math.min(MAX_CONFIDENCE, 0.5 + 0.5 * Math.tanh((ownRise - Math.max(this.lp.idleBand, move - this.lp.idleBand)) / 0.1));
    // A level that just jumped (either way) is not trusted until a second interval confirms it.
    if (v.lv.pending) return this.unknown(conf, STATE_REASONS.pending);
    return this.answer('processing', conf, 'own-idle', v.t);
  }

  /** Before any level change: the model's rule, where the other events back it. */
  private fromModel(v: View): StateStep {
    const { evidence, absState, absConf, sure, level, fam, nearest, lv } = v;
    // Familiarity is judged over the current steady stretch: one odd interval in a familiar stretch does not silence the model.
    const known = (!fam || (fam.judged && fam.familiar)) && backs(absState, fam, this.memoryRule);
    if (lv.newStretch) this.stretchKnown = this.stretchOdd = 0;
    if (!lv.pending) {
      if (known) this.stretchKnown++;
      else this.stretchOdd++;
    }
    const stretchKnown = lv.pending ? known : this.stretchKnown > this.stretchOdd;
    if (!stretchKnown) {
      const reason = fam && !fam.judged ? STATE_REASONS.fewEvents : fam && !fam.familiar ? STATE_REASONS.unfamiliar : STATE_REASONS.disagree;
      return { ...this.unknown(absConf, reason), unfamiliar: true };
    }
    // A rise of the memory traffic may be the router's own housekeeping: it waits for a second interval before "processing" follows "idle".
    const rose = lv.pending && lv.stretch !== undefined && level > lv.stretch + this.lp.jump;
    if (rose && absState === 'processing' && this.decided === 'idle') return this.unknown(absConf, STATE_REASONS.pending);
    // The run has shown memory traffic well above a level the model calls processing: unless the
    // interval is close to a known busy one (a router the model knows, at a lower rate), that
    // level may be this router's idle misjudged.
    const doubt = this.levels.doubt;
    const closeBusy = fam !== undefined && nearest === 'processing' && fam.processing <= CLOSE;
    if (doubt !== undefined && absState === 'processing' && level <= doubt + this.lp.idleBand && !closeBusy) return this.unknown(absConf, STATE_REASONS.doubt);
    // The same for a drop not yet confirmed: it may be the first second of that idle.
    const dropped = lv.pending && lv.stretch !== undefined && level < lv.stretch - this.lp.jump;
    if (dropped && absState === 'processing' && !closeBusy) return this.unknown(absConf, STATE_REASONS.pending);
    if (!sure) {
      // A drop of the memory traffic that this interval alone calls idle, surely: a second
      // without packets is idle even if it is the only one (the filter would wait; only a
      // rise could be the router's own housekeeping).
      const alone = 1 / (1 + Math.exp(-Math.abs(evidence)));
      if (dropped && evidence < 0 && alone >= this.p.minConfidence) return this.answer('idle', Math.min(MAX_CONFIDENCE, alone), 'model', v.t);
      return this.unknown(absConf, STATE_REASONS.unsure);
    }
    return this.answer(absState, absConf, 'model', v.t);
  }

  reset(): void {
    this.logOdds = undefined;
    this.decided = undefined;
    this.levels.reset();
    this.stretchKnown = this.stretchOdd = 0;
  }

  private answer(state: 'idle' | 'processing', confidence: number, basis: StateBasis, t: number): StateStep {
    const out: StateStep = { state, confidence, basis };
    if (this.decided !== undefined && this.decided !== state) out.change = { from: this.decided, to: state, t };
    this.decided = state;
    return out;
  }

  private unknown(confidence: number, reason: string): StateStep {
    return { state: 'unknown', confidence, reason };
  }
}

/**
 * Within this distance (RMS, in spreads) an interval is like a known interval of the
 * same router: a router's own runs sit well inside it, other routers' intervals
 * mostly beyond one spread.
 */
const CLOSE = 0.6;

/**
 * Nearer a known busy interval than any known idle one by this factor (distance), an
 * interval is like known traffic even beyond CLOSE: a router the model knows from
 * another run, at a rate between the calibrated ones. The idle loop of a router unlike
 * the known ones can lie a little nearer the others' traffic than their idle too (a
 * factor 1.1-2.0 on the reference routers with their idle moved halfway to the others'
 * traffic), and the two overlap: a step down of OpenNetVM's input rate, judged by a
 * model calibrated on its other run and the on-off runs, lies 1.4-2.5 times nearer
 * known traffic. Taking a rate step for the end of traffic is a wrong "idle" on a
 * router under load; taking the end of traffic for a rate step leaves it `unknown`
 * (the doubt reason). Precision first: at 2.5, 132 of exp-7's 1025 seconds were called
 * idle; at 1.4 none are, and the moved routers' idle after the drop stays unknown
 * more often (npm run eval, busy-idle table).
 */
const CLEAR_MARGIN = 1.4;

/**
 * Whether the other events back the memory rule's answer. The two answers are not
 * alike: packet work pulls every received buffer and descriptor through the cache
 * hierarchy, so memory traffic as low as a known idle loop's bounds the packet rate
 * near zero, and the nearest known interval of another router overrules "idle"
 * only when the interval is close to a known busy one. An idle loop can have a big
 * working set of its own, so "processing" needs the nearest known interval to be a
 * busy one too. A rule on software events has no such bound: both answers need it.
 */
function backs(state: 'idle' | 'processing', fam: { idle: number; processing: number } | undefined, memoryRule: boolean): boolean {
  if (!fam) return true;
  const nearest = fam.idle <= fam.processing ? 'idle' : 'processing';
  if (state === 'idle' && memoryRule) return nearest === 'idle' || fam.processing > CLOSE;
  return nearest === state;
}

function noCountersReason(p: StateParams): string {
  return `no memory-traffic counters (${p.features.join(', ')}) in this interval: a host without a hardware PMU counts only software events; the router's own packet counters can tell the state instead`;
}

/** One step of the Markov chain: the state may have switched since the last interval. */
function predictLogOdds(logOdds: number, a: number): number {
  const p = 1 / (1 + Math.exp(-logOdds));
  const q = p * (1 - a) + (1 - p) * a;
  return Math.log(q / (1 - q));
}
