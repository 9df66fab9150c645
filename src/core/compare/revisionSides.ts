import { fingerprint } from '../fingerprint/fingerprint.ts';
import { withPacketFeatures } from '../fingerprint/packetMetrics.ts';
import type { Interval } from '../perf/interval.ts';
import type { RevisionSide } from './revisionAb.ts';
import { runNames } from './selectIntervals.ts';

/**
 * The intervals of the given revisions of one stream of a recording, as fingerprints with
 * their packet features. A recording of several streams needs the stream named; a
 * revision it does not hold is an error that lists those it does.
 */
export function revisionFingerprints(ivs: readonly Interval[], source: string, stream: string | undefined, revisions: readonly number[]): RevisionSide[] & { stream?: string } {
  const streams = runNames(ivs);
  if (stream !== undefined && !streams.includes(stream)) throw new Error(`stream ${JSON.stringify(stream)} is not in ${source}; it has ${streams.join(', ') || 'no named streams'}`);
  if (stream === undefined && streams.length > 1) throw new Error(`${source} holds ${streams.length} streams (${streams.slice(0, 8).join(', ')}); choose one with --run-a`);
  const name = stream ?? streams[0];
  const mine = ivs.filter((iv) => (iv.run ?? iv.stream) === name);
  const held = [...new Set(mine.map((iv) => iv.revision).filter((r): r is number => r !== undefined))].sort((a, b) => a - b);
  const out: RevisionSide[] & { stream?: string } = revisions.map((revision) => {
    if (!held.includes(revision)) {
      throw new Error(
        held.length === 0
          ? `${source} has no revisions: it was recorded without following restarts (record --restart-timeout), so it is one revision`
          : `revision ${revision} is not in ${source}${name ? ` [${name}]` : ''}; it holds revision${held.length > 1 ? 's' : ''} ${held.join(', ')}`,
      );
    }
    return { revision, fingerprints: mine.filter((iv) => iv.revision === revision).map((iv) => withPacketFeatures(fingerprint(iv), iv)) };
  });
  if (name !== undefined) out.stream = name;
  return out;
}
