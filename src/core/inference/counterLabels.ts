import type { PacketCounts } from '../perf/interval.ts';

/** Loss over this share of the packets offered (received + dropped) makes a lossy interval. */
export const LOSSY_DROP_SHARE = 0.01;

/** What the router's own counters say of one interval. */
export interface CountersLabel {
  state: 'idle' | 'processing';
  /** Absent when nothing was offered (nothing to lose). */
  loss?: 'lossy' | 'clean';
}

/**
 * Free labels from the router's packet counters: idle when it received no
 * packets, processing otherwise; lossy when drops exceed 1 % of what was
 * offered (received + dropped), clean otherwise.
 */
export function countersLabel(p: PacketCounts): CountersLabel {
  const offered = p.rx + p.dropped;
  const out: CountersLabel = { state: p.rx > 0 ? 'processing' : 'idle' };
  if (offered > 0) out.loss = p.dropped > LOSSY_DROP_SHARE * offered ? 'lossy' : 'clean';
  return out;
}
