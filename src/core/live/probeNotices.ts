import type { DroppedEvent, PerfProbe } from './probe.ts';

/**
 * What a probe has to tell the user, one notice per reason: 25 unsupported hardware
 * events make one notice, not 25. `notSupported` marks the notice about events perf
 * reported `<not supported>` (no PMU), which the panel words in its own way.
 */
export function probeNotices(p: PerfProbe): { text: string; notSupported: boolean }[] {
  const byReason = new Map<string, DroppedEvent[]>();
  for (const d of p.dropped) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d]);
  const out = [...byReason].map(([reason, ds]) => ({ text: `not counting ${ds.map((d) => d.event).join(', ')}: ${reason}`, notSupported: ds.every((d) => d.kind === 'not-supported') }));
  if (p.userSpaceOnly.length > 0) {
    out.push({ text: `${p.userSpaceOnly.join(', ')} count user space only on ${p.host}: perf_event_paranoid is ${p.paranoid ?? '?'} and ${p.user || 'this user'} may not count kernel mode`, notSupported: false });
  }
  return out;
}
