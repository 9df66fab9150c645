import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import type { FeatureSpace } from './model.ts';

/** log10(rate + 1): counts per second span ten decades; +1 keeps zero counts finite. */
export function logRate(rate: number): number {
  return Math.log10(Math.max(rate, 0) + 1);
}

/**
 * The fingerprint in the model's normalised space. `z` is NaN for events the
 * fingerprint lacks; `counted` is the share (0..1) of the interval each event was counted.
 */
export function normalise(fp: Fingerprint, fs: FeatureSpace, z: Float64Array = new Float64Array(fs.events.length), counted: Float64Array = new Float64Array(fs.events.length)): { z: Float64Array; counted: Float64Array; present: number } {
  let present = 0;
  for (let k = 0; k < fs.events.length; k++) {
    const e = fs.events[k]!;
    const rate = fp.rates[e];
    if (rate === undefined || !Number.isFinite(rate)) {
      z[k] = NaN;
      counted[k] = 0;
      continue;
    }
    z[k] = (logRate(rate) - fs.mean[k]!) / fs.std[k]!;
    counted[k] = Math.min(1, Math.max(0, (fp.running[e] ?? 100) / 100));
    present++;
  }
  return { z, counted, present };
}

/**
 * Multiplexed estimates: pull each z toward the stream's previous value with
 * weight p / (p + shrink·(1 − p)), p the counted share. Fully counted events keep
 * their value; an event counted 7 % of the time leans on its history.
 */
export function shrinkToward(z: Float64Array, counted: Float64Array, prev: Float64Array | undefined, shrink: number): void {
  if (!prev || shrink <= 0) return;
  for (let k = 0; k < z.length; k++) {
    const p = prev[k]!;
    if (Number.isNaN(z[k]!) || Number.isNaN(p)) continue;
    const c = counted[k]!;
    const w = c / (c + shrink * (1 - c));
    z[k] = w * z[k]! + (1 - w) * p;
  }
}
