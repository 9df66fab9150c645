import type { LevelParams } from '../model/model.ts';

/** A run of intervals whose memory-traffic level stays within a band. */
interface Stretch {
  /** Its levels in arrival order (the last KEEP), and the same sorted, for the median. */
  values: number[];
  sorted: number[];
  /** Intervals of it the absolute rule called processing, being sure and on familiar ground. */
  knownBusy: number;
  /** Intervals of it close to a known busy interval (a router the model knows, working). */
  closeBusy: number;
}

export interface LevelStep {
  /** Set on the interval where a level change between two steady stretches is first seen. */
  change?: { from: number; to: number };
  /** The run's idle floor (log10 level), once a change has shown it. */
  floor: number | undefined;
  /** The interval is away from its stretch and not yet confirmed by a second one: possibly a spike. */
  pending: boolean;
  /** When pending: the level of the stretch it moved away from. */
  stretch?: number;
  /** This interval starts a new steady stretch (the first of a run, or a confirmed change of level). */
  newStretch?: boolean;
}

/** Longest stretch history kept for its level (median). */
const KEEP = 30;

/**
 * The run's own levels, learnt causally. The memory-traffic level of each
 * interval joins the current steady stretch when it lies within `jump` of the
 * stretch's median; otherwise it starts a candidate, which becomes the new
 * stretch once `minSteady` consecutive intervals agree with one another. When a
 * new stretch follows a steady one and the two differ by more than `jump`, the
 * lower one is the router's idle floor, unless the absolute rule, sure and on
 * familiar ground, called most of both stretches processing and the lower one came
 * close to a known busy interval (a step of the input rate between two levels the
 * model knows as traffic, not the end of traffic). Being nearer a busy interval than
 * an idle one is not enough: the idle loop of a router unlike the known ones can lie
 * nearer the others' traffic, yet not close to it. When
 * the upper stretch is unlike the known traffic (not known busy, or above every
 * calibrated processing level), the model's word on the lower one is not trusted:
 * the run's own levels win. The floor only moves down.
 */
export class LevelTracker {
  private cur: Stretch | undefined;
  private candidate: { v: number; busy: boolean; close: boolean }[] = [];
  private floorLevel: number | undefined;
  private doubtLevel: number | undefined;
  /**
   * A floor set at a drop, while its lower stretch goes on: the two intervals that set it
   * may be the transition seconds of a step of the input rate, not yet close to the known
   * traffic they step down to. If the stretch then comes close, the floor is withdrawn.
   */
  private provisional: { stretch: Stretch; level: number; before: number | undefined } | undefined;

  constructor(private readonly p: LevelParams) {}

  get floor(): number | undefined {
    return this.floorLevel;
  }

  /**
   * The lowest level the model called processing below a level change the run went on to
   * show: a step of the input rate, or this router's idle misjudged. Undefined until then.
   */
  get doubt(): number | undefined {
    return this.doubtLevel;
  }

  /** `closeBusy`: the interval is close to a known busy one (see StateTracker). */
  push(level: number, knownBusy: boolean, closeBusy = knownBusy): LevelStep {
    if (!Number.isFinite(level)) return { floor: this.floorLevel, pending: false };
    if (!this.cur) {
      this.cur = { values: doubles([level]), sorted: doubles([level]), knownBusy: knownBusy ? 1 : 0, closeBusy: closeBusy ? 1 : 0 };
      return { floor: this.floorLevel, pending: false, newStretch: true };
    }
    const here = median(this.cur.sorted);
    if (Math.abs(level - here) <= this.p.jump) {
      add(this.cur, level, knownBusy, closeBusy);
      this.candidate = [];
      if (this.provisional?.stretch === this.cur && knownStep(this.cur)) this.withdraw(this.provisional);
      return { floor: this.floorLevel, pending: false };
    }
    this.candidate.push({ v: level, busy: knownBusy, close: closeBusy });
    if (this.candidate.length > this.p.minSteady) this.candidate.shift();
    const c = doubles(this.candidate.map((x) => x.v));
    const agree = c.length >= this.p.minSteady && Math.max(...c) - Math.min(...c) <= this.p.jump;
    if (!agree) return { floor: this.floorLevel, pending: true, stretch: here };
    const prev = this.cur;
    const prevLevel = here;
    this.cur = { values: c, sorted: doubles(c).sort((a, b) => a - b), knownBusy: this.candidate.filter((x) => x.busy).length, closeBusy: this.candidate.filter((x) => x.close).length };
    this.candidate = [];
    const to = median(this.cur.sorted);
    const out: LevelStep = { floor: this.floorLevel, pending: false, newStretch: true };
    if (prev.values.length >= this.p.minSteady && Math.abs(to - prevLevel) > this.p.jump) {
      out.change = { from: prevLevel, to };
      const lower = to < prevLevel ? this.cur : prev;
      const upper = to < prevLevel ? prev : this.cur;
      const lowerLevel = Math.min(to, prevLevel);
      const upperLevel = Math.max(to, prevLevel);
      // At least half: a stretch is confirmed on minSteady intervals, the first of which straddles the step.
      const upperKnown = upper.knownBusy >= upper.values.length / 2 && !(upperLevel > (this.p.busyTop ?? Infinity) + this.p.idleBand);
      const vetoed = knownStep(lower) && upperKnown;
      this.provisional = undefined;
      if (!vetoed && (this.floorLevel === undefined || lowerLevel < this.floorLevel)) {
        if (lower === this.cur && upperKnown) this.provisional = { stretch: lower, level: lowerLevel, before: this.floorLevel };
        this.floorLevel = lowerLevel;
      }
      if (vetoed) this.doubtAt(lowerLevel);
      out.floor = this.floorLevel;
    }
    return out;
  }

  private doubtAt(level: number): void {
    if (this.doubtLevel === undefined || level < this.doubtLevel) this.doubtLevel = level;
  }

  private withdraw(p: { level: number; before: number | undefined }): void {
    this.floorLevel = p.before;
    this.doubtAt(p.level);
    this.provisional = undefined;
  }

  reset(): void {
    this.provisional = undefined;
    this.cur = undefined;
    this.candidate = [];
    this.floorLevel = undefined;
    this.doubtLevel = undefined;
  }
}

/** The rule called most of the stretch processing on familiar ground, and it came close to a known busy interval. */
function knownStep(s: Stretch): boolean {
  return s.knownBusy > s.values.length / 2 && s.closeBusy > 0;
}

function add(s: Stretch, v: number, knownBusy: boolean, closeBusy: boolean): void {
  s.values.push(v);
  s.sorted.splice(upperBound(s.sorted, v), 0, v);
  if (s.values.length > KEEP) {
    const old = s.values.shift()!;
    s.sorted.splice(upperBound(s.sorted, old) - 1, 1);
  }
  if (knownBusy) s.knownBusy = Math.min(s.knownBusy + 1, s.values.length);
  if (closeBusy) s.closeBusy = Math.min(s.closeBusy + 1, s.values.length);
}

/** Index of the first value above v in the sorted list. */
function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A copy of `xs` that V8 keeps as an array of unboxed doubles whatever it holds: a literal, a
 * map() result and a spread get different element kinds (packed or holey, small integers or
 * doubles), and a stretch's arrays of mixed kinds deoptimize push(), add() and median() again
 * and again (each TurboFan recompilation of push() costs ~20 ms of CPU).
 */
function doubles(xs: readonly number[]): number[] {
  const out = [0.5];
  out.pop();
  for (const x of xs) out.push(x);
  return out;
}

/** Median of a sorted list. */
function median(s: readonly number[]): number {
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
