import type { Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { buildModel } from '../../src/core/calibration/calibrate.ts';
import { parseManifest } from '../../src/core/calibration/manifest.ts';
import { manifestText, type ManifestRow } from '../../src/core/calibration/referenceData.ts';
import { loadSamples } from '../../src/core/calibration/samples.ts';
import { logRate } from '../../src/core/model/featureSpace.ts';
import type { Model, StateParams } from '../../src/core/model/model.ts';

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

/**
 * A model calibrated on manifest rows, as `calibrateRows` does, with the intervals of the
 * rows marked as the router's own moved by `shift`: one labelled run of the busy-idle router.
 */
export async function calibrateShiftedOwn(rows: ManifestRow[], baseDir: string, shift: Record<string, number>, stateFallback: StateParams): Promise<Model> {
  const entries = parseManifest(manifestText(rows), 'busy-idle manifest', baseDir).map((e, i) => (rows[i]!.own ? { ...e, own: true } : e));
  const loaded = await loadSamples(entries, 'busy-idle manifest');
  const samples = loaded.samples.map((s) => (s.own ? { ...s, fp: applyShift(s.fp, shift) } : s));
  return buildModel({ ...loaded, samples }, { name: 'busy-idle', stateFallback });
}
