import type { PacketCounts, PortPackets } from '../perf/interval.ts';
import type { CounterTotals } from './counterSource.ts';

/** What two readings of cumulative totals say about the interval between them. */
export type TotalsDelta =
  | { kind: 'packets'; packets: PacketCounts }
  /** A counter went down: the router or a port restarted; what the interval saw before the restart is unknown. */
  | { kind: 'restart'; detail: string }
  /** The readings do not have the same ports: the interval has no count for the ports not in both. */
  | { kind: 'ports-changed'; detail: string };

const COUNTED = ['rx', 'tx', 'dropped', 'rxBytes', 'txBytes'] as const;

/**
 * The packets of one interval from two valid readings (see totalsProblems). Ports
 * are matched by id. The interval gets packets only when both readings have the
 * same ports and no counter of any port went down; otherwise it is a restart or a
 * change of ports, and the caller takes `cur` as the next interval's baseline.
 */
export function totalsDelta(prev: CounterTotals, cur: CounterTotals, source: string): TotalsDelta {
  const before = new Map(prev.ports.map((p) => [p.port, p]));
  const now = new Set(cur.ports.map((p) => p.port));
  const gone = prev.ports.filter((p) => !now.has(p.port)).map((p) => p.port);
  const added = cur.ports.filter((p) => !before.has(p.port)).map((p) => p.port);
  if (gone.length > 0 || added.length > 0) {
    const parts = [gone.length > 0 ? `port ${gone.join(', ')} missing from the reading` : '', added.length > 0 ? `port ${added.join(', ')} new in the reading` : ''];
    return { kind: 'ports-changed', detail: parts.filter((x) => x !== '').join('; ') };
  }
  const down: string[] = [];
  for (const p of cur.ports) {
    const b = before.get(p.port)!;
    for (const f of COUNTED) {
      const was = b[f];
      const is = p[f];
      if (was !== undefined && is !== undefined && is < was) down.push(`port ${p.port} ${f} ${was} → ${is}`);
    }
  }
  if (down.length > 0) return { kind: 'restart', detail: down.join(', ') };

  const ports: PortPackets[] = [];
  const out: PacketCounts = { rx: 0, tx: 0, dropped: 0, source };
  let rxBytes: number | undefined;
  let txBytes: number | undefined;
  for (const p of cur.ports) {
    const b = before.get(p.port)!;
    const d: PortPackets = { port: p.port, rx: p.rx - b.rx, tx: p.tx - b.tx, dropped: p.dropped - b.dropped };
    ports.push(d);
    out.rx += d.rx;
    out.tx += d.tx;
    out.dropped += d.dropped;
    // Bytes count only when both readings have them (a source may lack them on some ports).
    if (p.rxBytes !== undefined && b.rxBytes !== undefined) rxBytes = (rxBytes ?? 0) + (p.rxBytes - b.rxBytes);
    if (p.txBytes !== undefined && b.txBytes !== undefined) txBytes = (txBytes ?? 0) + (p.txBytes - b.txBytes);
  }
  if (rxBytes !== undefined) out.rxBytes = rxBytes;
  if (txBytes !== undefined) out.txBytes = txBytes;
  if (ports.length > 1) out.ports = ports;
  return { kind: 'packets', packets: out };
}
