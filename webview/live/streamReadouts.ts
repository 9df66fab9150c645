import { PACKET_FIELDS } from '../../src/core/ui/chartGroups.ts';
import type { PacketsAt } from './packetCard.ts';
import type { MarkerLine } from './plugins.ts';
import type { StreamHistory } from './streamHistory.ts';
import type { Theme } from './theme.ts';

// What the charts and cards read from the streams for one view: marker lines, the PCA trail, packet figures.

/** Intervals of the live point's trail in the PCA plane. */
const TRAIL = 20;

/** The state-change and restart lines between `start` and `end`, in time order. */
export function markerLinesBetween(streams: StreamHistory[], start: number, end: number, t: Theme): MarkerLine[] {
  const multi = streams.length > 1;
  const out: MarkerLine[] = [];
  for (const s of streams) {
    // Markers are in time order: start at the first one in the window.
    let lo = 0;
    let hi = s.markers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.markers[mid]!.t < start) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < s.markers.length; k++) {
      const m = s.markers[k]!;
      if (m.t > end) break;
      const who = multi ? ` (${s.name || 'default'})` : '';
      if (m.kind === 'state') out.push({ t: m.t, color: m.to === 'processing' ? t.green : m.to === 'idle' ? t.blue : t.muted, label: `→ ${m.to ?? '?'}${who}`, dashed: false });
      else out.push({ t: m.t, color: t.muted, label: m.revision !== undefined ? `revision ${m.revision}${who}` : m.run !== undefined ? `run ${m.run}${who}` : `perf restarted${who}`, dashed: true });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/** The live point's recent positions in the PCA plane, oldest first, up to interval `idx` and after `start`. */
export function pcaTrail(sel: StreamHistory | undefined, idx: number, start: number): [number, number][] {
  const trail: [number, number][] = [];
  if (sel) {
    for (let i = idx; i >= 0 && trail.length < TRAIL && sel.tAt(i) > start; i--) {
      const p = sel.phys(i);
      const x = sel.pcaX[p]!;
      const y = sel.pcaY[p]!;
      if (!Number.isNaN(x) && !Number.isNaN(y)) trail.push([x, y]);
    }
    trail.reverse();
  }
  return trail;
}

/** The packet figures of interval i, or null when the router reported none then. */
export function packetsAt(s: StreamHistory, i: number): PacketsAt | null {
  const v: Record<string, number | null> = {};
  for (const k of PACKET_FIELDS) {
    const x = s.valueOf({ kind: 'packets', key: k }, i);
    v[k] = Number.isNaN(x) ? null : x;
  }
  if (v['pps'] === null) return null;
  return {
    t: s.tAt(i),
    pps: v['pps']!,
    txPps: v['txPps'] ?? 0,
    dropsPerSecond: v['dropsPerSecond'] ?? 0,
    dropRatio: v['dropRatio'] ?? null,
    bps: v['bps'] ?? null,
    cyclesPerPacket: v['cyclesPerPacket'] ?? null,
    instructionsPerPacket: v['instructionsPerPacket'] ?? null,
    cpuNsPerPacket: v['cpuNsPerPacket'] ?? null,
  };
}
