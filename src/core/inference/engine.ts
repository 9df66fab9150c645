import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { normalise, shrinkToward } from '../model/featureSpace.ts';
import type { Model } from '../model/model.ts';
import { lossScore, project, type LossRegime } from './lossDetector.ts';
import { ScenarioIndex } from './scenarioMatcher.ts';
import { ChangeHistory, transientScore } from './transientLoss.ts';
import { StateTracker, type RouterState } from './stateDetector.ts';

export type { LossRegime } from './lossDetector.ts';
export type { RouterState } from './stateDetector.ts';

/** What the fingerprint of one interval says about the router. */
export interface Inference {
  t: number;
  run?: string;
  stream?: string;
  state: RouterState;
  stateConfidence: number;
  stateChange?: { from: 'idle' | 'processing'; to: 'idle' | 'processing'; t: number };
  loss: LossRegime;
  /** Log-odds of the lossy regime (> 0: lossy); null when the model has no loss region or the fingerprint lacks too many events. */
  lossScore: number | null;
  /** First two principal coordinates, for the PCA panel. */
  pca: [number, number] | null;
  scenario: string | null;
  similarity: number | null;
  runnerUp: string | null;
  runnerUpSimilarity: number | null;
  margin: number | null;
  /** Cosine similarity to every scenario's representative vector (the paper's measure). */
  similarities: Record<string, number>;
}

export interface InferenceEngine {
  /** Causal: uses this interval and what the engine has seen before on the same run/stream. */
  next(fp: Fingerprint): Inference;
  /** Forgets every stream's history. */
  reset(): void;
}

/** Share of the model's events a fingerprint must have for loss and scenario answers. */
const MIN_PRESENT = 0.7;
/** Below this similarity no calibrated scenario is close enough to name (e.g. an idle router). */
const MIN_SIMILARITY = 0.01;
const MAX_DISTANCE = -2 * Math.log(MIN_SIMILARITY);

interface StreamState {
  tracker: StateTracker;
  prevZ: Float64Array | undefined;
  /** Raw z of the last intervals, for the transient loss detector. */
  changes: ChangeHistory | undefined;
}

export function createInferenceEngine(model: Model): InferenceEngine {
  const streams = new Map<string, StreamState>();
  const d = model.features.events.length;
  const nPcs = model.loss ? Math.max(2, model.loss.components) : 0;
  const counted = new Float64Array(d);
  const pcs = new Float64Array(nPcs);
  const scenarios = model.scenarios ? new ScenarioIndex(model.scenarios) : undefined;
  const transient = model.loss?.transient;
  const changeFeatures = transient ? new Float64Array(transient.weights.length) : undefined;

  function streamOf(fp: Fingerprint): StreamState {
    const key = `${fp.run ?? ''}\u0000${fp.stream ?? ''}`;
    let s = streams.get(key);
    if (!s) {
      s = { tracker: new StateTracker(model.state), prevZ: undefined, changes: transient ? new ChangeHistory(transient.lags) : undefined };
      streams.set(key, s);
    }
    return s;
  }

  return {
    next(fp: Fingerprint): Inference {
      const s = streamOf(fp);
      const st = s.tracker.step(fp);
      const z = new Float64Array(d);
      const { present } = normalise(fp, model.features, z, counted);
      // Changes are taken before the shrink, which spreads a step over several intervals.
      s.changes?.push(z, fp.t, fp.dt);
      shrinkToward(z, counted, s.prevZ, model.features.shrink);
      s.prevZ = z;
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
        similarities: {},
      };
      if (fp.run !== undefined) out.run = fp.run;
      if (fp.stream !== undefined) out.stream = fp.stream;
      if (st.change) out.stateChange = st.change;
      if (enough && model.loss) {
        project(z, model.loss.basis, nPcs, pcs);
        let score = lossScore(pcs, model.loss);
        // A short burst the level misses can still show as a sudden change: lossy if either says so.
        if (transient && s.changes) score = Math.max(score, transientScore(s.changes.features(d, changeFeatures), transient));
        out.lossScore = score;
        // A router polling an empty queue has nothing to lose.
        out.loss = st.state === 'idle' ? 'clean' : score > 0 ? 'lossy' : 'clean';
        out.pca = [pcs[0]!, pcs[1]!];
      }
      if (enough && scenarios) {
        out.similarities = scenarios.cosine(z);
        // An idle router carries no traffic scenario; the similarity table stays for the chart.
        const m = st.state === 'idle' ? null : scenarios.match(z, MAX_DISTANCE);
        if (m) {
          out.scenario = m.scenario;
          out.similarity = m.similarity;
          out.runnerUp = m.runnerUp;
          out.runnerUpSimilarity = m.runnerUpSimilarity;
          out.margin = m.margin;
        }
      }
      return out;
    },
    reset(): void {
      streams.clear();
    },
  };
}
