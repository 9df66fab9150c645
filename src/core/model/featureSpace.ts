import { rateSlots, type Fingerprint, type RateSlots } from '../fingerprint/fingerprint.ts';
import type { FeatureSpace } from './model.ts';

/** log10(rate + 1): counts per second span ten decades; +1 keeps zero counts finite. */
export function logRate(rate: number): number {
  return Math.log10(Math.max(rate, 0) + 1);
}

/** log10(rate + 1) of an event of the fingerprint; NaN where it was not counted (or is not finite). */
export function logRateOf(fp: Fingerprint, event: string): number {
  const r = fp.rates[event];
  return r === undefined || !Number.isFinite(r) ? NaN : logRate(r);
}

/**
 * The log10 rates and counted shares of a list of events in one interval, looked up once
 * (`load`) for every part of the model that reads them: the normalised spaces, the state
 * rule, the familiarity check. `positions` maps another list of events onto this one.
 */
export class EventLogs {
  /** logRate of each event (NaN where not counted); share 0..1 of the interval it was counted. */
  readonly logs: Float64Array;
  readonly counted: Float64Array;
  /** Events counted in the loaded interval. */
  present = 0;
  private readonly at = new Map<string, number>();
  private readonly maps = new WeakMap<readonly string[], Int32Array>();

  constructor(readonly events: readonly string[]) {
    this.logs = new Float64Array(events.length);
    this.counted = new Float64Array(events.length);
    events.forEach((e, k) => {
      if (!this.at.has(e)) this.at.set(e, k);
    });
  }

  load(fp: Fingerprint): void {
    const slots = rateSlots(fp);
    if (slots) {
      this.loadSlots(slots);
      return;
    }
    let present = 0;
    for (let k = 0; k < this.events.length; k++) {
      const e = this.events[k]!;
      const rate = fp.rates[e];
      if (rate === undefined || !Number.isFinite(rate)) {
        this.logs[k] = NaN;
        this.counted[k] = 0;
        continue;
      }
      this.logs[k] = logRate(rate);
      this.counted[k] = Math.min(1, Math.max(0, (fp.running[e] ?? 100) / 100));
      present++;
    }
    this.present = present;
  }

  /** The slot list last loaded from, and where each event sits in it (−1: not there). */
  private slotNames: readonly string[] | undefined;
  private slotOf = new Int32Array(0);

  /** load() by position: the same numbers, without looking each event up by name. */
  private loadSlots(slots: RateSlots): void {
    if (slots.names !== this.slotNames) {
      this.slotNames = slots.names;
      this.slotOf = Int32Array.from(this.events, (e) => slots.names.indexOf(e));
    }
    let present = 0;
    for (let k = 0; k < this.events.length; k++) {
      const i = this.slotOf[k]!;
      const rate = i >= 0 ? slots.rates[i]! : NaN;
      if (!Number.isFinite(rate)) {
        this.logs[k] = NaN;
        this.counted[k] = 0;
        continue;
      }
      this.logs[k] = logRate(rate);
      this.counted[k] = Math.min(1, Math.max(0, slots.running[i]! / 100));
      present++;
    }
    this.present = present;
  }

  /** Where each of `events` sits in this list (−1: not in it), worked out once per list. */
  positions(events: readonly string[]): Int32Array {
    let p = this.maps.get(events);
    if (!p) {
      p = Int32Array.from(events, (e) => this.at.get(e) ?? -1);
      this.maps.set(events, p);
    }
    return p;
  }

  /** logRateOf(fp, events[k]) for the interval loaded from fp, given positions(events). */
  logOf(fp: Fingerprint, events: readonly string[], pos: Int32Array, k: number): number {
    const at = pos[k]!;
    return at >= 0 ? this.logs[at]! : logRateOf(fp, events[k]!);
  }
}

/** normalise() from the logs loaded into `logs`, when `fs` reads the same events in the same order. */
export function normaliseLoaded(logs: EventLogs, fs: FeatureSpace, z: Float64Array, counted: Float64Array): number {
  for (let k = 0; k < fs.events.length; k++) {
    const v = logs.logs[k]!;
    z[k] = v === v ? (v - fs.mean[k]!) / fs.std[k]! : NaN;
    counted[k] = logs.counted[k]!;
  }
  return logs.present;
}

/** Whether two lists name the same events in the same order. */
export function sameEvents(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((e, k) => e === b[k]);
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
