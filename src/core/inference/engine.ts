import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { EventLogs, normalise, normaliseLoaded, sameEvents, shrinkToward } from '../model/featureSpace.ts';
import type { Model } from '../model/model.ts';
import { lossScore, Projector, type LossRegime } from './lossDetector.ts';
import { NO_SIMILARITIES, ScenarioIndex, type SimilarityTable } from './scenarioMatcher.ts';
import { ChangeHistory, transientScore } from './transientLoss.ts';
import { StateTracker, MAX_CONFIDENCE, STATE_REASONS, type RouterState, type StateBasis } from './stateDetector.ts';
import { countersLabel, type CountersLabel } from './counterLabels.ts';
import type { PacketCounts } from '../perf/interval.ts';
import { RateEstimator } from './rateEstimator.ts';

export type { LossRegime } from './lossDetector.ts';
export type { RouterState, StateBasis } from './stateDetector.ts';
export type { SimilarityTable } from './scenarioMatcher.ts';

/** Running tally of the CPU-only state answers against the router's own counters, per stream. */
export interface Agreement {
  agree: number;
  disagree: number;
  /** Intervals with router counters where the CPU-only answer was unknown. */
  abstained: number;
}

/** What the fingerprint of one interval says about the router. */
export interface Inference {
  t: number;
  run?: string;
  stream?: string;
  state: RouterState;
  stateConfidence: number;
  stateChange?: { from: 'idle' | 'processing'; to: 'idle' | 'processing'; t: number };
  /** Why the state is unknown. */
  stateReason?: string;
  /** What a known state rests on: the model's rule, the rise over the run's own idle floor, or the router's packet counters (when the CPU view abstains). */
  stateBasis?: StateBasis | 'router-counters';
  loss: LossRegime;
  /** Why the loss regime is unknown. */
  lossReason?: string;
  /** Log-odds of the lossy regime (> 0: lossy); null when the model has no loss region or the fingerprint lacks too many events. */
  lossScore: number | null;
  /** First two principal coordinates, for the PCA panel. */
  pca: [number, number] | null;
  scenario: string | null;
  similarity: number | null;
  runnerUp: string | null;
  runnerUpSimilarity: number | null;
  margin: number | null;
  /** Cosine similarity to every scenario's representative vector (the paper's measure); empty when not compared. */
  similarities: SimilarityTable;
  /** Why no scenario is named. */
  scenarioReason?: string;
  /** Packets per second estimated from the CPU counters alone (0 when idle); null when the model cannot estimate it. */
  pps: number | null;
  /** ≈ 90 % range of that estimate, [low, high]; null with it. */
  ppsRange: [number, number] | null;
  /** Why pps is null. */
  ppsReason?: string;
  /** What the router's own counters say of this interval, when the interval carries them. */
  counters?: CountersLabel;
  /** CPU-only answers against the router's counters so far on this stream; set once the stream has counters. */
  agreement?: Agreement;
}

export interface InferenceEngine {
  /** Causal: uses this interval and what the engine has seen before on the same run/stream. */
  next(fp: Fingerprint, packets?: PacketCounts): Inference;
  /** Forgets every stream's history. */
  reset(): void;
}

/** Share of the model's events a fingerprint must have for loss and scenario answers. */
const MIN_PRESENT = 0.7;
/**
 * When an interval is matched to its nearest scenario, judged against the model's own
 * spread rather than a fixed similarity. Distances are mean squared differences in
 * units of the within-scenario spread (1 = as far as a scenario's own intervals lie
 * from their mean, on average).
 * - maxRatio: the nearest scenario must be clearly nearer than the runner-up (squared
 *   distance at most half the runner-up's: √2 times nearer). An interval between two
 *   calibrated scenarios (a rate the model never saw) is about as near to both, and so
 *   is refused, while one of a calibrated scenario is near its own. A radius learnt per
 *   scenario from its few steady seconds would be tiny and noisy; a ratio needs none.
 * - maxDistance: a loose cap (3 spreads, root mean square) for intervals unlike every
 *   scenario: traffic of another platform, where "nearest" means nothing.
 */
export const SCENARIO_MATCH = { maxRatio: 0.5, maxDistance: 9 };
/** The similarity (exp(−distance/2)) at the distance cap. */
export const MIN_SIMILARITY = Math.exp(-SCENARIO_MATCH.maxDistance / 2);

interface StreamState {
  tracker: StateTracker;
  prevZ: Float64Array | undefined;
  /** The same in the loss region's own space, when the model has one. */
  prevLossZ: Float64Array | undefined;
  /** Raw z (loss space) of the last intervals, for the transient loss detector. */
  changes: ChangeHistory | undefined;
  /** The arrays of the interval before last, done with: the next interval's z are written into them. */
  spareZ: Float64Array | undefined;
  spareLossZ: Float64Array | undefined;
  agreement: Agreement | undefined;
}

export function createInferenceEngine(model: Model): InferenceEngine {
  const streams = new Map<string, StreamState>();
  const d = model.features.events.length;
  const nPcs = model.loss ? Math.max(2, model.loss.components) : 0;
  const counted = new Float64Array(d);
  const pcs = new Float64Array(nPcs);
  const projector = model.loss ? new Projector(model.loss.basis, nPcs) : undefined;
  const scenarios = model.scenarios ? new ScenarioIndex(model.scenarios) : undefined;
  const rate = model.pps ? new RateEstimator(model.pps) : undefined;
  const transient = model.loss?.transient;
  const changeFeatures = transient ? new Float64Array(transient.weights.length) : undefined;
  // Older models learnt the lossy region in the model's own space.
  const lossSpace = model.loss?.features;
  const dl = lossSpace ? lossSpace.events.length : d;
  const lossCounted = lossSpace ? new Float64Array(dl) : undefined;
  // Each event's rate is looked up and its log taken once per interval, for every part that reads it.
  const logs = new EventLogs(model.features.events);
  const lossFromLogs = lossSpace !== undefined && sameEvents(lossSpace.events, model.features.events);

  // Intervals of one stream mostly follow each other: the last one's state is kept at hand.
  let last: { run: string | undefined; stream: string | undefined; s: StreamState } | undefined;
  function streamOf(fp: Fingerprint): StreamState {
    if (last !== undefined && last.run === fp.run && last.stream === fp.stream) return last.s;
    const key = `${fp.run ?? ''}\u0000${fp.stream ?? ''}`;
    let s = streams.get(key);
    if (!s) {
      s = { tracker: new StateTracker(model.state), prevZ: undefined, prevLossZ: undefined, changes: transient ? new ChangeHistory(transient.lags) : undefined, agreement: undefined, spareZ: undefined, spareLossZ: undefined };
      streams.set(key, s);
    }
    last = { run: fp.run, stream: fp.stream, s };
    return s;
  }

  /** The packet rate from the CPU view's state: none when idle, the fit's estimate when processing on a familiar router. */
  function estimateRate(out: Inference, fp: Fingerprint, st: { state: RouterState; unfamiliar?: boolean }): void {
    if (st.state === 'idle') {
      out.pps = 0;
      out.ppsRange = IDLE_RANGE;
    } else if (!rate) out.ppsReason = NO_RATE_MODEL;
    else if (st.state !== 'processing') out.ppsReason = 'the state is unknown';
    else if (st.unfamiliar) out.ppsReason = STATE_REASONS.unfamiliar;
    else {
      const e = rate.estimate(fp);
      if (typeof e === 'string') out.ppsReason = e;
      else {
        out.pps = e.pps;
        out.ppsRange = e.range;
      }
    }
  }

  return {
    next(fp: Fingerprint, packets?: PacketCounts): Inference {
      const s = streamOf(fp);
      logs.load(fp);
      const st = s.tracker.step(fp, logs);
      const z = s.spareZ ?? new Float64Array(d);
      const present = normaliseLoaded(logs, model.features, z, counted);
      let lossZ = z;
      let lossPresent = present;
      if (lossSpace) {
        lossZ = s.spareLossZ ?? new Float64Array(dl);
        lossPresent = lossFromLogs ? normaliseLoaded(logs, lossSpace, lossZ, lossCounted!) : normalise(fp, lossSpace, lossZ, lossCounted).present;
      }
      // Changes are taken before the shrink, which spreads a step over several intervals.
      s.changes?.push(lossZ, fp.t, fp.dt);
      shrinkToward(z, counted, s.prevZ, model.features.shrink);
      s.spareZ = s.prevZ;
      s.prevZ = z;
      if (lossSpace) {
        shrinkToward(lossZ, lossCounted!, s.prevLossZ, lossSpace.shrink);
        s.spareLossZ = s.prevLossZ;
        s.prevLossZ = lossZ;
      }
      const enough = present >= MIN_PRESENT * d;

      const out: Inference = {
        t: fp.t,
        state: st.state,
        stateConfidence: st.confidence,
        loss: 'unknown',
        lossScore: null,
        pca: null,
        scenario: null,
        similarity: null,
        runnerUp: null,
        runnerUpSimilarity: null,
        margin: null,
        similarities: NO_SIMILARITIES,
        pps: null,
        ppsRange: null,
      };
      if (fp.run !== undefined) out.run = fp.run;
      if (fp.stream !== undefined) out.stream = fp.stream;
      if (st.change) out.stateChange = st.change;
      if (st.reason) out.stateReason = st.reason;
      if (st.basis) out.stateBasis = st.basis;
      if (!model.loss) out.lossReason = 'the model has no loss region (its calibration labelled no lossy and clean intervals)';
      else if (lossPresent < MIN_PRESENT * dl) out.lossReason = `too few of the model's events counted (${lossPresent} of ${dl})`;
      else {
        projector!.project(lossZ, pcs);
        let score = lossScore(pcs, model.loss);
        // A short burst the level misses can still show as a sudden change: lossy if either says so.
        if (transient && s.changes) score = Math.max(score, transientScore(s.changes.features(dl, changeFeatures), transient));
        out.lossScore = score;
        out.pca = [pcs[0]!, pcs[1]!];
        // A router polling an empty queue has nothing to lose.
        if (st.state === 'idle') out.loss = 'clean';
        else if (st.unfamiliar) out.lossReason = STATE_REASONS.unfamiliar;
        else out.loss = score > 0 ? 'lossy' : 'clean';
      }
      if (!scenarios) out.scenarioReason = 'the model has no scenarios';
      else if (!enough) out.scenarioReason = `too few of the model's events counted (${present} of ${d})`;
      else {
        out.similarities = { labels: scenarios.labels, values: scenarios.cosine(z) };
        // An idle router carries no traffic scenario; the similarity table stays for the chart.
        // Beyond the distance cap only the nearest scenario is reported: the runner-up need not be searched for.
        const m = st.state === 'idle' ? null : scenarios.match(z, Infinity, MIN_SIMILARITY);
        if (st.state === 'idle') out.scenarioReason = 'idle: no traffic to classify';
        else if (!m) out.scenarioReason = 'no match';
        else if (m.distance > SCENARIO_MATCH.maxDistance) out.scenarioReason = farReason(m.scenario, Math.sqrt(m.distance).toFixed(1));
        else if (m.runnerUp !== null && m.runnerUpDistance !== null && m.distance > SCENARIO_MATCH.maxRatio * m.runnerUpDistance) {
          out.scenarioReason = tieReason(m.scenario, m.runnerUp, (m.distance / m.runnerUpDistance).toFixed(2));
        } else {
          out.scenario = m.scenario;
          out.similarity = m.similarity;
          out.runnerUp = m.runnerUp;
          out.runnerUpSimilarity = m.runnerUpSimilarity;
          out.margin = m.margin;
        }
      }
      estimateRate(out, fp, st);
      if (packets) applyCounters(out, s, packets);
      return out;
    },
    reset(): void {
      streams.clear();
      last = undefined;
    },
  };
}

const IDLE_RANGE: [number, number] = [0, 0];
const NO_RATE_MODEL = 'the model has no packet-rate fit (its calibration gave no packet rates)';

/** The last no-match reasons, kept: consecutive intervals mostly give the same one (and its writers look texts up). */
let lastFar = { key: '', text: '' };
function farReason(scenario: string, spreads: string): string {
  const key = `${scenario}\u0000${spreads}`;
  if (key !== lastFar.key) lastFar = { key, text: `no match: the closest scenario, ${scenario}, is ${spreads} within-scenario spreads away (a match needs at most ${Math.sqrt(SCENARIO_MATCH.maxDistance)})` };
  return lastFar.text;
}
let lastTie = { key: '', text: '' };
function tieReason(scenario: string, runnerUp: string, ratio: string): string {
  const key = `${scenario}\u0000${runnerUp}\u0000${ratio}`;
  if (key !== lastTie.key) {
    lastTie = { key, text: `no match: the closest scenario, ${scenario}, is hardly nearer than ${runnerUp} (squared distance ratio ${ratio}; a match needs at most ${SCENARIO_MATCH.maxRatio}): a scenario the model was not calibrated on?` };
  }
  return lastTie.text;
}

/**
 * The router's own counters: a free label for the interval, the running tally of
 * the CPU-only answer against it, and the answer itself where the CPU view abstains.
 */
function applyCounters(out: Inference, s: StreamState, packets: PacketCounts): void {
  const label = countersLabel(packets);
  out.counters = label;
  const a = (s.agreement ??= { agree: 0, disagree: 0, abstained: 0 });
  if (out.state === 'unknown') a.abstained++;
  else if (out.state === label.state) a.agree++;
  else a.disagree++;
  out.agreement = { ...a };
  if (out.state === 'unknown') {
    out.state = label.state;
    out.stateConfidence = MAX_CONFIDENCE;
    out.stateBasis = 'router-counters';
    delete out.stateReason;
  }
  if (out.loss === 'unknown' && label.loss) {
    out.loss = label.loss;
    delete out.lossReason;
  }
}
