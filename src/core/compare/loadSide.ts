import { basename } from 'node:path';
import { fingerprint } from '../fingerprint/fingerprint.ts';
import { withPacketFeatures } from '../fingerprint/packetMetrics.ts';
import { readAllIntervals } from '../source/readIntervals.ts';
import type { CompareSide } from './compareRuns.ts';
import { describeTimeRange, selectIntervals, type TimeRange } from './selectIntervals.ts';

/** One side of a comparison from a file (a run of a multi-run file, a time range), labelled for reports. */
export async function loadCompareSide(file: string, run?: string, range?: TimeRange): Promise<CompareSide> {
  const ivs = await readAllIntervals(file);
  if (ivs.length === 0) throw new Error(`no intervals in ${file} (is it 'perf stat -I' output?)`);
  const picked = selectIntervals(ivs, file, run, range);
  const label = `${basename(file)}${run !== undefined ? ` [${run}]` : ''}${range ? ` (${describeTimeRange(range)})` : ''}`;
  // Intervals with the router's own counters add cost per packet, throughput and drop ratio as features.
  return { label, fingerprints: picked.map((iv) => withPacketFeatures(fingerprint(iv), iv)) };
}
