import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../inference/engine.ts';
import type { Model } from '../model/model.ts';

/**
 * How a session sees an on-off run of the reference data (rows 0-14 idle,
 * 15-19 transition, 20-28 processing): `idle-first` as recorded; `traffic-first`
 * re-ordered as a session that starts under traffic, the processing rows then
 * the idle rows (transition left out), re-timed to run forward.
 */
export type StartOrder = 'idle-first' | 'traffic-first';

export const START_ORDERS: readonly StartOrder[] = ['idle-first', 'traffic-first'];

export interface StateScore {
  /** Scored intervals (transition rows are not scored). */
  total: number;
  answered: number;
  correct: number;
  /** The same over the intervals after the run's first true state change. */
  afterTotal: number;
  afterAnswered: number;
  afterCorrect: number;
  /** The same from the second interval after the change on (the first of a new state may stay unknown). */
  settledTotal: number;
  settledAnswered: number;
  settledCorrect: number;
  /** Answers given at confidence ≥ 0.9, and how many of them were right. */
  confident: number;
  confidentCorrect: number;
}

export const emptyScore = (): StateScore => ({ total: 0, answered: 0, correct: 0, afterTotal: 0, afterAnswered: 0, afterCorrect: 0, settledTotal: 0, settledAnswered: 0, settledCorrect: 0, confident: 0, confidentCorrect: 0 });

export function addScores(a: StateScore, b: StateScore): StateScore {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof StateScore)[]) out[k] += b[k];
  return out;
}

const isIdle = (i: number) => i <= 14;
const isProcessing = (i: number) => i >= 20;

/** The rows of one on-off run in session order, each with its truth (undefined: transition, not scored). */
export function sessionRows(fps: Fingerprint[], order: StartOrder): { fp: Fingerprint; truth: 'idle' | 'processing' | undefined }[] {
  const idx = fps.map((_, i) => i);
  const rows = order === 'idle-first' ? idx : [...idx.filter(isProcessing), ...idx.filter(isIdle)];
  const dt = fps[0]?.dt ?? 1;
  return rows.map((i, n) => ({
    fp: order === 'idle-first' ? fps[i]! : { ...fps[i]!, t: (n + 1) * dt },
    truth: isIdle(i) ? 'idle' : isProcessing(i) ? 'processing' : undefined,
  }));
}

/** Scores the model's state answers on each run, each run a fresh session in the given order. */
export function scoreState(model: Model, runs: Iterable<Fingerprint[]>, order: StartOrder): StateScore {
  const s = emptyScore();
  for (const fps of runs) {
    const engine = createInferenceEngine(model);
    const rows = sessionRows(fps, order);
    const first = rows.find((r) => r.truth !== undefined)?.truth;
    let changed = false;
    let since = 0;
    for (const { fp, truth } of rows) {
      const inf = engine.next(fp);
      if (truth === undefined) continue;
      if (truth !== first) changed = true;
      if (changed) since++;
      const answered = inf.state !== 'unknown';
      const right = inf.state === truth;
      s.total++;
      if (answered) s.answered++;
      if (right) s.correct++;
      if (changed) {
        s.afterTotal++;
        if (answered) s.afterAnswered++;
        if (right) s.afterCorrect++;
        if (since >= 2) {
          s.settledTotal++;
          if (answered) s.settledAnswered++;
          if (right) s.settledCorrect++;
        }
      }
      if (answered && inf.stateConfidence >= 0.9) {
        s.confident++;
        if (right) s.confidentCorrect++;
      }
    }
  }
  return s;
}

export const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);
