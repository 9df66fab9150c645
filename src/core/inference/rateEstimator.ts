import { rateSlots, type Fingerprint } from '../fingerprint/fingerprint.ts';
import type { RateModel } from '../model/model.ts';
import { runningShare } from './runningShare.ts';

/** What the CPU counters say of the packet rate of one interval. */
export interface RateEstimate {
  pps: number;
  /** ≈ 90 % range: [low, high]. */
  range: [number, number];
}

/** Share of the rate model's events an interval must have counted. */
const MIN_PRESENT = 0.7;
/** Estimates beyond the calibrated rates by more than this factor are refused: a line fitted on a range says little far outside it. */
const MAX_EXTRAPOLATION = 2;

/**
 * Packets per second of a processing interval from its CPU counters (see RateModel).
 * Null, with the reason, when the interval lacks too many events or the estimate
 * falls outside what the calibration can speak for.
 */
export class RateEstimator {
  private readonly inv: Float64Array;
  /** The slot list last read from, and where each event sits in it (−1: not there). */
  private slotNames: readonly string[] | undefined;
  private slotOf = new Int32Array(0);

  /** Where the running-share clock sits in the slot list (−1: not there). */
  private clockSlot = -1;
  private readonly runInv: Float64Array | undefined;

  constructor(private readonly m: RateModel) {
    this.inv = Float64Array.from(m.scale, (s) => 1 / s);
    this.runInv = m.running ? Float64Array.from(m.running.scale, (s) => 1 / s) : undefined;
  }

  estimate(fp: Fingerprint): RateEstimate | string {
    const m = this.m;
    let y = m.bias;
    let present = 0;
    // By position when the fingerprint has its rates by slot (the fast reader's), else by name.
    const slots = rateSlots(fp);
    if (slots && slots.names !== this.slotNames) {
      this.slotNames = slots.names;
      this.slotOf = Int32Array.from(m.events, (e) => slots.names.indexOf(e));
      this.clockSlot = m.running ? slots.names.indexOf(m.running.clock) : -1;
    }
    const run = m.running;
    const alt = run?.absolute;
    let yAlt = alt ? alt.bias : 0;
    const share = run ? runningShare(slots ? (this.clockSlot >= 0 ? slots.rates[this.clockSlot] : undefined) : fp.rates[run.clock]) : NaN;
    for (let k = 0; k < m.events.length; k++) {
      const at = slots ? this.slotOf[k]! : 0;
      const r = slots ? (at >= 0 ? slots.rates[at]! : undefined) : fp.rates[m.events[k]!];
      const counted = r !== undefined && Number.isFinite(r);
      if (counted) present++;
      const x = counted ? r * this.inv[k]! : m.fill[k]!;
      y += m.weights[k]! * x;
      if (alt) yAlt += alt.weights[k]! * x;
      if (run) y += run.weights[k]! * (counted && share === share ? (r / share) * this.runInv![k]! : run.fill[k]!);
    }
    if (present < MIN_PRESENT * m.events.length) return `too few of the rate model's events counted (${present} of ${m.events.length})`;
    if (!(y >= m.seen[0] / MAX_EXTRAPOLATION && y <= m.seen[1] * MAX_EXTRAPOLATION)) {
      return `the estimate (${Math.round(y)} packets/s) is outside the calibrated rates (${Math.round(m.seen[0])} to ${Math.round(m.seen[1])}) by more than ${MAX_EXTRAPOLATION}x`;
    }
    const range: [number, number] = [y * m.ratio[0], y * m.ratio[1]];
    // Where the absolute-only fit disagrees, the range spans its range too (RunningRates.absolute).
    if (alt && yAlt > 0) {
      range[0] = Math.min(range[0], yAlt * alt.ratio[0]);
      range[1] = Math.max(range[1], yAlt * alt.ratio[1]);
    }
    return { pps: y, range };
  }
}
