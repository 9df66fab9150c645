import type { PacketCounts, PortPackets } from '../perf/interval.ts';
import type { CounterTotals, PortTotals } from './counterSource.ts';

/**
 * The packets of one interval from two readings of cumulative totals. A port
 * whose totals went down was reset (the router or the port restarted): its count
 * since the reset is what the interval saw of it. A port new in `cur` counts from zero.
 */
export function totalsDelta(prev: CounterTotals, cur: CounterTotals, source: string): PacketCounts {
  const before = new Map(prev.ports.map((p) => [p.port, p]));
  const ports: PortPackets[] = [];
  const out: PacketCounts = { rx: 0, tx: 0, dropped: 0, source };
  let rxBytes: number | undefined;
  let txBytes: number | undefined;
  for (const p of cur.ports) {
    const b = before.get(p.port);
    const reset = b !== undefined && (p.rx < b.rx || p.tx < b.tx || p.dropped < b.dropped);
    const base: PortTotals = b === undefined || reset ? { port: p.port, rx: 0, tx: 0, dropped: 0, rxBytes: 0, txBytes: 0 } : b;
    const d: PortPackets = { port: p.port, rx: p.rx - base.rx, tx: p.tx - base.tx, dropped: p.dropped - base.dropped };
    ports.push(d);
    out.rx += d.rx;
    out.tx += d.tx;
    out.dropped += d.dropped;
    if (p.rxBytes !== undefined) rxBytes = (rxBytes ?? 0) + Math.max(0, p.rxBytes - (base.rxBytes ?? 0));
    if (p.txBytes !== undefined) txBytes = (txBytes ?? 0) + Math.max(0, p.txBytes - (base.txBytes ?? 0));
  }
  if (rxBytes !== undefined) out.rxBytes = rxBytes;
  if (txBytes !== undefined) out.txBytes = txBytes;
  if (ports.length > 1) out.ports = ports;
  return out;
}
