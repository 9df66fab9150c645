import { ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { fingerprint, type Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';
import { dataset } from './paths.ts';

/** The on-off runs of one router: run name (`RATE-SIZE`) → its fingerprints, second by second. */
export type OnOffRuns = Map<string, Fingerprint[]>;

/** The on-off runs of the four reference routers (itc21/on-off/ROUTER.csv), router → runs. */
export async function loadOnOffRuns(): Promise<Map<string, OnOffRuns>> {
  const out = new Map<string, OnOffRuns>();
  for (const r of ONOFF_ROUTERS) {
    const runs: OnOffRuns = new Map();
    for (const iv of await readAllIntervals(dataset('itc21/on-off', `${r}.csv`))) {
      const list = runs.get(iv.run!) ?? [];
      list.push(fingerprint(iv));
      runs.set(iv.run!, list);
    }
    out.set(r, runs);
  }
  return out;
}
