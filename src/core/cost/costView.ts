import type { CostBar, ElementCostView } from '../../protocol.ts';
import type { CostWindow } from './costSampler.ts';
import { basename } from './elementCost.ts';

/**
 * The view of a sampled window: per config class (its elements named, a shared class
 * flagged), then what ran outside the config's elements; per module when the
 * executable is stripped. CPU ns per packet is the class's CPU time in the window
 * over the packets the router received in it (`pps` × window), when a rate is known.
 */
export function elementCostView(w: CostWindow, pps: number | null): ElementCostView {
  const r = w.report;
  const perPacket = (cpuNs: number) => (pps !== null && pps > 0 ? cpuNs / w.windowS / pps : null);
  const nsPerSample = r.samples > 0 ? r.cpuNs / r.samples : 0;
  const byModule = r.stripped !== undefined || r.classes.every((c) => c.samples === 0);
  const bars: CostBar[] = byModule
    ? r.modules.map((m) => ({ label: basename(m.dso), detail: m.dso, share: m.share, perPacket: perPacket(m.samples * nsPerSample), perPacketUnit: 'ns' }))
    : [
        ...r.classes
          .filter((c) => c.elements.length > 0 || c.share >= 0.01)
          .map((c): CostBar => {
            const bar: CostBar = { label: c.className, share: c.share, shareError: shareError(c.share, r.samples), perPacket: perPacket(c.cpuNs), perPacketUnit: 'ns' };
            if (c.elements.length > 1) {
              bar.detail = `${c.elements.join(', ')} (one class: the share is for all ${c.elements.length})`;
              bar.shared = true;
            } else if (c.elements.length === 1) bar.detail = c.elements[0]!;
            else bar.detail = 'not in the config';
            return bar;
          }),
        ...(r.outside.samples > 0 ? [{ label: 'outside the elements', detail: r.outside.top.slice(0, 3).map((t) => t.name).join(', '), share: r.outside.share, perPacket: perPacket(r.outside.samples * nsPerSample), perPacketUnit: 'ns' as const }] : []),
      ];
  const view: ElementCostView = {
    source: 'perf-record',
    at: w.at,
    windowS: w.windowS,
    frequencyHz: w.frequencyHz,
    samples: r.samples,
    perfShare: w.perfShare ?? (w.perfCpuMs !== undefined ? w.perfCpuMs / (w.windowS * 1000) : null),
    pps,
    byModule,
    bars: bars.sort((a, b) => (b.share ?? 0) - (a.share ?? 0)),
  };
  if (r.stripped) view.note = r.stripped.note;
  else if (byModule && r.samples > 0) view.note = 'no sample fell in a class of the config: shown per module';
  else if (r.samples === 0) view.note = 'no samples in the window: the router did not run';
  return view;
}

/** One standard error of a share estimated from n samples (binomial). */
export function shareError(share: number, n: number): number {
  return n > 0 ? Math.sqrt((share * (1 - share)) / n) : 1;
}
