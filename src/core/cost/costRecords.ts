import type { ElementCostView } from '../../protocol.ts';
import type { CostRecord } from '../recording/format.ts';
import type { CostWindow } from './costSampler.ts';
import { type VppNodeCost, topNodesByClocksPerPacket } from './vppRuntime.ts';

/** A sampled window as the recording keeps it. */
export function windowRecord(w: CostWindow, stream: string): CostRecord {
  const r = w.report;
  const rec: CostRecord = {
    stream,
    at: w.at,
    source: 'perf-record',
    windowS: w.windowS,
    frequencyHz: w.frequencyHz,
    samples: r.samples,
    classes: r.classes.map((c) => ({ className: c.className, elements: c.elements, samples: c.samples, share: round(c.share), cpuNs: c.cpuNs })),
    modules: r.modules.map((m) => ({ dso: m.dso, samples: m.samples, share: round(m.share) })),
  };
  if (w.perfCpuMs !== undefined) rec.perfCpuMs = w.perfCpuMs;
  if (r.stripped) rec.stripped = r.stripped.note;
  return rec;
}

/** VPP's per-node deltas over a window, for the recording (every node that worked). */
export function vppRecord(nodes: readonly VppNodeCost[], at: string, windowS: number, stream: string): CostRecord {
  return { stream, at, source: 'vpp-runtime', windowS, nodes: nodes.map((n) => ({ name: n.name, calls: n.calls, vectors: n.vectors, suspends: n.suspends, clocks: Math.round(n.clocks) })) };
}

/** The top nodes by clocks per packet; the share is of the clocks every node spent in the window. */
export function vppView(nodes: readonly VppNodeCost[], at: string, windowS: number, pps: number | null): ElementCostView {
  const total = nodes.reduce((a, n) => a + n.clocks, 0);
  return {
    source: 'vpp-runtime',
    at,
    windowS,
    pps,
    byModule: false,
    bars: topNodesByClocksPerPacket(nodes, 12).map((n) => ({
      label: n.name,
      detail: `${n.vectors} packets in ${n.calls} calls${n.vectorsPerCall !== null ? ` (${n.vectorsPerCall.toFixed(1)} per call)` : ''}`,
      share: total > 0 ? n.clocks / total : null,
      perPacket: n.clocksPerPacket,
      perPacketUnit: 'clocks',
    })),
  };
}

/** OVS PMD threads: cycles per packet each, between two readings. */
export function ovsView(pmds: NonNullable<CostRecord['pmds']>, at: string, windowS: number, pps: number | null): ElementCostView {
  const total = pmds.reduce((a, p) => a + p.cycles, 0);
  return {
    source: 'ovs-pmd',
    at,
    windowS,
    pps,
    byModule: false,
    bars: pmds.map((p) => ({ label: p.thread, detail: `${p.packets} packets`, share: total > 0 ? p.cycles / total : null, perPacket: p.cyclesPerPacket, perPacketUnit: 'cycles' })),
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
