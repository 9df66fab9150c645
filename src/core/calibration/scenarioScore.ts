import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../inference/engine.ts';
import type { Model, StateParams } from '../model/model.ts';
import { calibrateRows, onoffRows } from './referenceData.ts';

/**
 * The scenario protocols of `npm run eval` and the tests: per router, scenarios
 * `RATE-SIZE` calibrated on seconds 21-25 of its on-off runs.
 * - unseen seconds: judged on seconds 26-29 of every run (top-1);
 * - leave-one-scenario-out: one run left out of the calibration, judged on its
 *   processing seconds (21-29): the right answer is "no match".
 */
export interface ScenarioTally {
  n: number;
  right: number;
  noMatch: number;
  /** Named a scenario of the same packet size (a neighbouring rate). */
  sameSize: number;
}

const sizeOf = (label: string) => label.slice(label.lastIndexOf('-') + 1);

export async function routerScenarioModel(datasets: string, file: string, router: string, stateFallback: StateParams, leaveOut?: string): Promise<Model> {
  const rows = onoffRows(file, router, { state: false, scenarioPrefix: '', scenarioFrom: 20.5, scenarioTo: 25.5 }).filter((r) => leaveOut === undefined || !r.file.endsWith(`#${leaveOut}`));
  return calibrateRows(rows, datasets, stateFallback, `${router}-scenarios`);
}

/** Each run a fresh session; rows from `fromRow` on are judged against the run's own name (`prefix` + run). */
export function tallyScenarios(model: Model, runs: Iterable<[string, Fingerprint[]]>, fromRow: number, prefix = ''): ScenarioTally {
  const t: ScenarioTally = { n: 0, right: 0, noMatch: 0, sameSize: 0 };
  for (const [run, fps] of runs) {
    const e = createInferenceEngine(model);
    fps.forEach((fp, i) => {
      const inf = e.next(fp);
      if (i < fromRow) return;
      t.n++;
      if (inf.scenario === null) t.noMatch++;
      else if (inf.scenario === prefix + run) t.right++;
      else if (sizeOf(inf.scenario) === sizeOf(run)) t.sameSize++;
    });
  }
  return t;
}

/** Leave-one-scenario-out over every run of a router: how its left-out intervals were answered. */
export async function leaveOneScenarioOut(datasets: string, file: string, router: string, runs: Map<string, Fingerprint[]>, stateFallback: StateParams): Promise<ScenarioTally> {
  const all: ScenarioTally = { n: 0, right: 0, noMatch: 0, sameSize: 0 };
  for (const [run, fps] of runs) {
    const model = await routerScenarioModel(datasets, file, router, stateFallback, run);
    const t = tallyScenarios(model, [[run, fps]], 20);
    for (const k of Object.keys(all) as (keyof ScenarioTally)[]) all[k] += t[k];
  }
  return all;
}
