/** Interval lengths remembered to judge whether a new time is the plausible next one. */
const STEP_HISTORY = 8;

/** The stream's interval length, learnt from the times perf printed. */
export class IntervalStep {
  private readonly steps = new Float64Array(STEP_HISTORY);
  private count = 0;
  /** The interval length in seconds, once one is known. */
  value: number | undefined;

  /** The interval length is the smallest of the last few: stalls make longer ones, never shorter. */
  learn(dt: number): void {
    if (!(dt > 0)) return;
    this.steps[this.count++ % STEP_HISTORY] = dt;
    let m = Infinity;
    for (let i = 0; i < STEP_HISTORY && i < this.count; i++) if (this.steps[i]! < m) m = this.steps[i]!;
    this.value = m;
  }

  /** `t` is about one interval after `from` (or, before any interval length is known, not wildly far). */
  plausibleNext(from: number, t: number): boolean {
    const d = t - from;
    if (!(d > 0)) return false;
    const step = this.value;
    if (step === undefined) return d <= 1.5 * Math.max(Math.abs(from), 1);
    return d >= 0.5 * step && d <= 1.5 * step;
  }
}
