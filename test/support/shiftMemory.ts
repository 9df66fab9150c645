import type { Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { MEMORY_TRAFFIC } from '../../src/core/inference/stateDetector.ts';

/** The fingerprint with every memory-traffic rate multiplied by 10^decades: a router unlike the known ones. */
export function shiftMemory(fp: Fingerprint, decades: number): Fingerprint {
  const rates = { ...fp.rates };
  for (const e in rates) if (MEMORY_TRAFFIC.test(e)) rates[e]! *= 10 ** decades;
  return { ...fp, rates };
}
