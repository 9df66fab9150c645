import type { PacketView } from '../../protocol.ts';
import type { Interval, PacketCounts } from '../perf/interval.ts';
import type { Fingerprint } from './fingerprint.ts';

/**
 * What the router's own packet counters say about one interval, beside its CPU
 * fingerprint: throughput, drops and what each packet cost the CPU.
 *
 * "Per packet" means per packet received (`rx`): a forwarder does its work on what it
 * takes in, and a packet it drops on the way out has cost as much as one it sent.
 */
export type PacketMetrics = PacketView;

/** The one cost figure to show: cycles when the PMU counts them, CPU time otherwise. */
export interface PacketCost {
  value: number;
  unit: 'cycles' | 'ns';
}

/**
 * Derived packet metrics of an interval; null when the interval carries no packet
 * counts (no counter source) or has no length. The fingerprint supplies the CPU side
 * (its rates are per second and keyed by canonical event name, so `cycles:u` counts).
 */
export function intervalPacketMetrics(iv: Interval, fp?: Fingerprint): PacketMetrics | null {
  if (!iv.packets) return null;
  return packetMetrics(iv.packets, iv.dt, fp);
}

export function packetMetrics(p: PacketCounts, dt: number, fp?: Fingerprint): PacketMetrics | null {
  if (!(dt > 0) || !validCount(p.rx) || !validCount(p.tx) || !validCount(p.dropped)) return null;
  const pps = p.rx / dt;
  const offered = p.rx + p.dropped;
  const bytes = p.rxBytes !== undefined && validCount(p.rxBytes) ? p.rxBytes : p.txBytes !== undefined && validCount(p.txBytes) ? p.txBytes : undefined;
  const perPacket = (perSecond: number | undefined): number | null => (perSecond !== undefined && Number.isFinite(perSecond) && pps > 0 ? perSecond / pps : null);
  const rates = fp?.rates ?? {};
  // task-clock and cpu-clock are msec per second in a fingerprint.
  const cpuMsPerSecond = rates['task-clock'] ?? rates['cpu-clock'];
  const cpuNs = perPacket(cpuMsPerSecond);
  const m: PacketMetrics = {
    pps,
    txPps: p.tx / dt,
    dropsPerSecond: p.dropped / dt,
    dropRatio: offered > 0 ? p.dropped / offered : null,
    bps: bytes !== undefined ? (bytes * 8) / dt : null,
    cyclesPerPacket: perPacket(rates['cycles']),
    instructionsPerPacket: perPacket(rates['instructions']),
    cpuNsPerPacket: cpuNs !== null ? cpuNs * 1e6 : null,
  };
  if (p.source !== undefined) m.source = p.source;
  return m;
}

/** Cycles per packet when counted, else CPU nanoseconds per packet, else null. */
export function packetCost(m: PacketMetrics): PacketCost | null {
  if (m.cyclesPerPacket !== null) return { value: m.cyclesPerPacket, unit: 'cycles' };
  if (m.cpuNsPerPacket !== null) return { value: m.cpuNsPerPacket, unit: 'ns' };
  return null;
}

/**
 * Packet metrics as features of a fingerprint (for A/B comparison): keyed like derived
 * ratios, with the unit reports print. Cost per packet is the fairest A/B figure when
 * both builds are offered the same load.
 */
export const PACKET_FEATURES: readonly { name: string; field: keyof PacketMetrics; unit: string }[] = [
  { name: 'cycles-per-packet', field: 'cyclesPerPacket', unit: 'cycles/pkt' },
  { name: 'instructions-per-packet', field: 'instructionsPerPacket', unit: 'instr/pkt' },
  { name: 'cpu-ns-per-packet', field: 'cpuNsPerPacket', unit: 'ns/pkt' },
  { name: 'packets-per-second', field: 'pps', unit: '/s' },
  { name: 'drop-ratio', field: 'dropRatio', unit: '' },
];

/** The fingerprint with the interval's packet metrics added to its derived features (the same object when it has none). */
export function withPacketFeatures(fp: Fingerprint, iv: Interval): Fingerprint {
  const m = intervalPacketMetrics(iv, fp);
  if (!m) return fp;
  const derived = { ...fp.derived };
  for (const f of PACKET_FEATURES) {
    const v = m[f.field];
    if (typeof v === 'number' && Number.isFinite(v)) derived[f.name] = v;
  }
  return { ...fp, derived };
}

function validCount(n: number): boolean {
  return Number.isFinite(n) && n >= 0;
}
