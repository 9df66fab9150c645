import type { Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { logRate } from '../../src/core/model/featureSpace.ts';

/**
 * A router whose idle loop looks like the known routers' packet work: every event of
 * the left-out router shifted (in log rate) by `share` of the way from its own idle
 * median to the median of the other routers' processing intervals, the same shift
 * for all its intervals (it is a property of the router, not of the traffic). With
 * share 1 its idle sits where the others process; its processing moves as far.
 */
export function busyIdleShift(ownIdle: Fingerprint[], othersProcessing: Fingerprint[], share: number): Record<string, number> {
  const shift: Record<string, number> = {};
  const events = new Set(ownIdle.flatMap((fp) => Object.keys(fp.rates)));
  for (const e of events) {
    const a = median(ownIdle.map((fp) => fp.rates[e]).filter(finite).map(logRate));
    const b = median(othersProcessing.map((fp) => fp.rates[e]).filter(finite).map(logRate));
    if (Number.isFinite(a) && Number.isFinite(b)) shift[e] = share * (b - a);
  }
  return shift;
}

/** The fingerprint with each event's log rate moved by `shift` decades. */
export function applyShift(fp: Fingerprint, shift: Record<string, number>): Fingerprint {
  const rates = { ...fp.rates };
  for (const e in rates) {
    const s = shift[e];
    if (s !== undefined && Number.isFinite(rates[e]!)) rates[e] = Math.max(0, (rates[e]! + 1) * 10 ** s - 1);
  }
  return { ...fp, rates };
}

const finite = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}
