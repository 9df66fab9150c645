// What every section of `npm run eval` shares: the on-off runs as fingerprints, the scored rows, number formats.
import path from 'node:path';
import { onoffRuns } from '../../src/core/calibration/referenceData.ts';
import { fingerprint, type Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';

export const IDLE_ROWS = (i: number): boolean => i <= 14;
export const PROC_ROWS = (i: number): boolean => i >= 20;
/** The on-off run a user teaching VNF Lens a new router labels (a mid rate and size). */
export const TEACH_RUN = '5000-512';

/** One router's on-off runs by run name. */
export type Runs = Map<string, Fingerprint[]>;
export type Say = (s?: string) => void;

export async function loadRuns(file: string): Promise<Runs> {
  const runs: Runs = new Map();
  for (const iv of await readAllIntervals(file)) {
    const list = runs.get(iv.run!) ?? [];
    list.push(fingerprint(iv));
    runs.set(iv.run!, list);
  }
  for (const run of onoffRuns()) if (!runs.has(run)) throw new Error(`${file}: run ${run} missing`);
  return runs;
}

export function rel(datasets: string, p: string): string {
  return path.join(datasets, p);
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** A ratio with four decimals, '-' when undefined. */
export const f4 = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : '-');
