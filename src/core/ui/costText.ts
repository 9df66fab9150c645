import type { CostBar, ElementCostView } from '../../protocol.ts';
import { formatCost, formatPps } from './packetText.ts';

/** `60.4 %` of the router's CPU. */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '– %';
  const p = share * 100;
  return p > 0 && p < 0.1 ? '<0.1 %' : `${p.toFixed(1)} %`;
}

/** `6.12 µs/pkt`, `1.2k clocks/pkt`; '' when there is no packet rate. */
export function formatPerPacket(bar: CostBar): string {
  if (bar.perPacket === null) return '';
  if (bar.perPacketUnit === 'ns') return formatCost({ value: bar.perPacket, unit: 'ns' });
  const v = bar.perPacket;
  return `${v >= 1e4 ? `${(v / 1e3).toPrecision(3)}k` : Math.round(v)} ${bar.perPacketUnit}/pkt`;
}

/** How the window was measured, for hovers and the card's caption. */
export function costProvenance(v: ElementCostView): string {
  const parts = [v.source === 'perf-record' ? `perf record -e cpu-clock at ${v.frequencyHz} Hz, ${v.windowS} s window, ${v.samples} samples` : v.source === 'vpp-runtime' ? `VPP show runtime over ${v.windowS} s` : `OVS pmd-perf-show over ${v.windowS} s`];
  if (v.perfShare !== undefined && v.perfShare !== null) parts.push(`perf used ${(v.perfShare * 100).toFixed(2)} % of one CPU`);
  if (v.pps !== null) parts.push(`per packet at ${formatPps(v.pps)}`);
  else parts.push('no packet rate: shares only');
  return parts.join(' · ');
}
