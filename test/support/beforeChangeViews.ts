import type { Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { IDLE_MOVEMENT } from '../../src/core/calibration/fitState.ts';
import { emptyScore, sessionRows, type StartOrder, type StateScore } from '../../src/core/calibration/stateScore.ts';
import { createInferenceEngine } from '../../src/core/inference/engine.ts';
import { memoryLevel } from '../../src/core/inference/stateDetector.ts';
import { logRate } from '../../src/core/model/featureSpace.ts';
import type { Model } from '../../src/core/model/model.ts';

/**
 * Views that could hold back the model's "processing" before a run has shown any level
 * change, on a router it was not taught (issue: an idle loop that looks like the known
 * routers' light traffic). Each is derived from the calibration routers alone, in the
 * model's own terms, and says "withhold" for one interval.
 */
export interface BeforeChangeView {
  name: string;
  withhold: (fp: Fingerprint) => boolean;
}

/** One calibration router's labelled seconds. */
export interface KnownRouter {
  idle: Fingerprint[];
  processing: Fingerprint[];
}

/** Share of the calibration that sets a view's cut: a new router's traffic should pass 95 % of the time. */
const CUT = 0.05;

export function beforeChangeViews(model: Model, known: KnownRouter[]): BeforeChangeView[] {
  const st = model.state;
  const fam = st.familiarity;
  const level = (fp: Fingerprint) => memoryLevel(fp, st);
  const views: BeforeChangeView[] = [];
  if (fam) {
    const vec = (fp: Fingerprint) => fam.events.map((e) => logRate(fp.rates[e] ?? NaN));
    const rows = known.map((r) => r.processing.map(vec));
    const nearest = (x: number[], among: number[][]) => {
      let best = Infinity;
      for (const row of among) {
        let s = 0;
        let n = 0;
        for (let k = 0; k < x.length; k++) {
          if (!Number.isFinite(x[k]!)) continue;
          s += Math.min(16, ((x[k]! - row[k]!) / fam.scale[k]!) ** 2);
          n++;
        }
        if (n > 0) best = Math.min(best, s / n);
      }
      return Math.sqrt(best);
    };
    // How far a router's traffic lies from the other known routers' traffic: the distances a new router's traffic is expected at.
    const loro = rows.flatMap((own, i) => own.map((x) => nearest(x, rows.filter((_, j) => j !== i).flat())));
    const cut = quantile(loro, 1 - CUT);
    // The idle seconds' distances are not asked: an idle loop like no known one is what is to be caught.
    const all = rows.flat();
    views.push({ name: `novelty: the nearest known busy second farther than a known router's traffic from the others' (95th percentile, ${cut.toFixed(2)} spreads)`, withhold: (fp) => nearest(vec(fp), all) > cut });
  }
  // Agreement of views: the memory traffic as a share of the work done, not only its level.
  const perInstr = (fp: Fingerprint) => level(fp) - logRate(fp.rates.instructions ?? NaN);
  for (const cut of [CUT, CUT / 5]) {
    const low = quantile(known.flatMap((r) => r.processing.map(perInstr)), cut);
    if (Number.isFinite(low)) views.push({ name: `memory traffic per instruction below the known traffic's ${percentile(cut)} (${low.toFixed(2)} decades)`, withhold: (fp) => perInstr(fp) < low });
  }
  const lowLevel = quantile(known.flatMap((r) => r.processing.map(level)), CUT);
  views.push({ name: `memory-traffic level below the known traffic's ${percentile(CUT)} (${lowLevel.toFixed(2)})`, withhold: (fp) => level(fp) < lowLevel });
  const idleTop = Math.max(...known.map((r) => quantile(r.idle.map(level), 0.5))) + IDLE_MOVEMENT;
  views.push({ name: `level within reach of a known idle loop: under the highest known router's idle median + ${IDLE_MOVEMENT} decades (${idleTop.toFixed(2)})`, withhold: (fp) => level(fp) < idleTop });
  const each = [...views];
  views.push({ name: 'any of the above', withhold: (fp) => each.some((v) => v.withhold(fp)) });
  return views;
}

/** One session's intervals in order, each with its truth (undefined: not scored), as sessionRows gives them. */
export type Session = { fp: Fingerprint; truth: 'idle' | 'processing' | undefined }[];

/** Sessions of on-off runs in a start order (see sessionRows). */
export const onoffSessions = (runs: Iterable<Fingerprint[]>, order: StartOrder): Session[] => [...runs].map((fps) => sessionRows(fps, order));

/**
 * The engine's state answers on each session (a fresh engine each), with the model rule's
 * "processing" withheld where `view` says so while the run's own levels have not yet taken
 * over (basis "model"): what the view would change, scored as scoreState scores. The
 * engine runs as shipped: a withheld answer does not feed back into its later ones.
 */
export function scoreWithView(model: Model, sessions: Session[], view: BeforeChangeView | undefined): StateScore {
  const s = emptyScore();
  for (const rows of sessions) {
    const engine = createInferenceEngine(model);
    for (const { fp, truth } of rows) {
      const inf = engine.next(fp);
      if (truth === undefined) continue;
      const withheld = view !== undefined && inf.state === 'processing' && inf.stateBasis === 'model' && view.withhold(fp);
      const state = withheld ? 'unknown' : inf.state;
      s.total++;
      if (state !== 'unknown') s.answered++;
      if (state === truth) s.correct++;
    }
  }
  return s;
}

const percentile = (q: number): string => `${Math.round(q * 100)}${q === 0.01 ? 'st' : 'th'} percentile`;

function quantile(xs: number[], q: number): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
