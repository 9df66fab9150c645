import { DERIVED_METRICS } from '../../src/core/fingerprint/derivedMetrics.ts';
import { isSoftwareEvent } from '../../src/core/ui/chartGroups.ts';
import type { Frame, PerfFacts } from '../../src/protocol.ts';
import type { StreamHistory } from './streamHistory.ts';

const DERIVED = new Set(DERIVED_METRICS.map((m) => m.name));

/** What the newest frames say about the host, across streams. */
export interface HostFacts {
  frames: Frame[];
  /** Hardware events perf could not count while others were counted: no PMU, or these events are not on this CPU. */
  hardwareMissing: string[];
  /** Of those, the ones perf reported `<not supported>` for (as opposed to refused for permissions). */
  notSupported: Set<string>;
  refused: string[];
  /** Lead with what counts: no hardware event counted, and perf said why. */
  noPmuLayout: boolean;
  /** Some stream has the router's packet counts. */
  packets: boolean;
  /** No hardware event was counted at all. */
  noHardware: boolean;
  softwareMissing: string[];
  nothingCounted: boolean;
  multiplexed: Map<string, number>;
}

export function hostFacts(streams: StreamHistory[], perf: PerfFacts | null): HostFacts {
  const frames = streams.map((s) => s.newest).filter((f): f is Frame => f !== undefined);
  const hw = new Set<string>();
  const sw = new Set<string>();
  const notSupported = new Set<string>();
  const multiplexed = new Map<string, number>();
  let hardwareCounted = false;
  let nothingCounted = frames.length > 0;
  for (const f of frames) {
    const counted = [...Object.keys(f.rates), ...Object.keys(f.multiplexed)];
    if (counted.length > 0) nothingCounted = false;
    if (counted.some((e) => !isSoftwareEvent(e))) hardwareCounted = true;
    for (const e of f.missing) {
      if (DERIVED.has(e)) continue;
      (isSoftwareEvent(e) ? sw : hw).add(e);
    }
    for (const [e, p] of Object.entries(f.multiplexed)) multiplexed.set(e, Math.min(p, multiplexed.get(e) ?? 100));
  }
  // Events the probe dropped before counting never show up in a frame: perf said so then.
  for (const e of perf?.unsupported ?? []) {
    notSupported.add(e);
    if (!isSoftwareEvent(e)) hw.add(e);
  }
  for (const e of perf?.refused ?? []) if (!isSoftwareEvent(e)) hw.add(e);
  // perf's own <not supported> in the stream (a replayed no-PMU run) says the same.
  if (!hardwareCounted) for (const e of hw) if (!(perf?.refused ?? []).includes(e)) notSupported.add(e);
  const hardwareMissing = nothingCounted ? [] : [...hw];
  const refused = (perf?.refused ?? []).filter((e) => !isSoftwareEvent(e));
  const noPmuLayout = !hardwareCounted && !nothingCounted && hardwareMissing.length > 0 && (frames.length > 0 || perf !== null);
  const packets = streams.some((s) => s.hasCounted({ kind: 'packets', key: 'pps' }));
  return { frames, hardwareMissing, notSupported, refused, noPmuLayout, packets, noHardware: !hardwareCounted, softwareMissing: [...sw], nothingCounted, multiplexed };
}
