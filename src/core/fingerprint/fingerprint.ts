import { SLOT_DATA, type SlotData, compileRecordFactory, getOwn, setOwn } from '../perf/eventSchema.ts';
import type { Interval } from '../perf/interval.ts';
import { DERIVED_METRICS, type DerivedMetric } from './derivedMetrics.ts';
import { canonicalEventName } from './eventNames.ts';

/** The CPU fingerprint of one interval: per-second rates plus derived ratios. */
export interface Fingerprint {
  t: number;
  dt: number;
  /** Event (canonical name) → value per second. `msec` events (task-clock) stay in msec per second. */
  rates: Record<string, number>;
  /** Event → percentage of the interval it was counted (below 100: a multiplexed estimate). */
  running: Record<string, number>;
  /** Derived metric → value, for those whose inputs were counted. */
  derived: Record<string, number>;
  /** Events perf could not count or does not support here, and derived metrics lacking an input. */
  missing: string[];
  run?: string;
  stream?: string;
}

/**
 * Kept on a fingerprint the fast path made (under a symbol, invisible to JSON and
 * messages): its rates by slot, rates[i] that of names[i] (canonical names, all distinct),
 * so that a reader of many events can find them by position instead of by name.
 */
export const RATE_SLOTS: unique symbol = Symbol('vnf-lens.rateSlots');
export interface RateSlots {
  names: readonly string[];
  rates: ArrayLike<number>;
  /** Percentage counted, by slot. */
  running: ArrayLike<number>;
}

/** The rates by slot of a fingerprint, when it has them. */
export function rateSlots(fp: Fingerprint): RateSlots | undefined {
  return (fp as { [RATE_SLOTS]?: RateSlots })[RATE_SLOTS];
}

export function fingerprint(iv: Interval): Fingerprint {
  const slots = (iv as unknown as { [SLOT_DATA]?: SlotData })[SLOT_DATA];
  const fast = slots ? fastPlan(slots) : undefined;
  let rates: Record<string, number>;
  let running: Record<string, number>;
  let slotRates: number[] | undefined;
  let derived: Record<string, number> | undefined;
  const dt = iv.dt > 0 ? iv.dt : NaN;
  if (fast) {
    // Every event of the stream was counted and no two share a canonical name: one literal each.
    const v = slots!.values;
    const r = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) r[i] = v[i]! / dt;
    slotRates = r;
    rates = fast.rates(r);
    running = fast.sameNames ? iv.running : fast.rates(slots!.running);
    derived = fast.derived?.(r);
  } else {
    rates = {};
    running = {};
    for (const name in iv.counters) {
      const key = canonicalEventName(name);
      const rate = iv.counters[name]! / dt;
      // Event names come from the input: `constructor` or `__proto__` must stay plain keys.
      const prev = getOwn(rates, key);
      setOwn(rates, key, prev === undefined ? rate : prev + rate);
      setOwn(running, key, Math.min(getOwn(running, key) ?? 100, getOwn(iv.running, name) ?? 100));
    }
  }
  const missing: string[] = [];
  for (const e of iv.notCounted) pushOnce(missing, canonicalEventName(e), rates);
  for (const e of iv.unsupported) pushOnce(missing, canonicalEventName(e), rates);
  derived ??= {};
  // The fast path's plan has the metrics of its slots already; the rest are looked up by name.
  for (const m of fast ? fast.otherMetrics : DERIVED_METRICS) {
    const num = rates[m.numerator];
    const den = rates[m.denominator];
    if (num === undefined || den === undefined) {
      // Only worth reporting when the user asked for one of the inputs.
      if (num !== undefined || den !== undefined || missing.includes(m.numerator) || missing.includes(m.denominator)) missing.push(m.name);
      continue;
    }
    derived[m.name] = den > 0 ? num / den : 0;
  }
  const fp: Fingerprint = { t: iv.t, dt: iv.dt, rates, running, derived, missing };
  if (iv.run !== undefined) fp.run = iv.run;
  if (iv.stream !== undefined) fp.stream = iv.stream;
  if (fast) (fp as { [RATE_SLOTS]?: RateSlots })[RATE_SLOTS] = { names: fast.names, rates: slotRates!, running: slots!.running };
  return fp;
}

interface FastPlan {
  version: number;
  /** Canonical name of each slot. */
  names: readonly string[];
  /** The derived metrics whose inputs are both slots, as one literal, from the slots' rates. */
  derived: ((r: ArrayLike<number>) => Record<string, number>) | undefined;
  /** The other derived metrics (an input is not among the slots). */
  otherMetrics: readonly DerivedMetric[];
  rates: (v: ArrayLike<number>) => Record<string, number>;
  sameNames: boolean;
}

const plans = new WeakMap<object, FastPlan | null>();

/** A compiled record factory over the canonical names, when they are all distinct. */
function fastPlan(slots: SlotData): FastPlan | undefined {
  const cached = plans.get(slots.schema);
  if (cached !== undefined && (cached === null || cached.version === slots.schemaVersion)) return cached ?? undefined;
  const names = slots.schema.names.slice(0, slots.values.length);
  const canonical = names.map(canonicalEventName);
  const factory = new Set(canonical).size === canonical.length ? compileRecordFactory(canonical) : undefined;
  const plan = factory ? { version: slots.schemaVersion, names: canonical, ...derivedPlan(canonical), rates: factory, sameNames: canonical.every((c, i) => c === names[i]) } : null;
  plans.set(slots.schema, plan);
  return plan ?? undefined;
}

/** The derived metrics computable from slots with these names, compiled into one function. */
function derivedPlan(names: readonly string[]): Pick<FastPlan, 'derived' | 'otherMetrics'> {
  const inSlots = DERIVED_METRICS.filter((m) => names.includes(m.numerator) && names.includes(m.denominator));
  const otherMetrics = DERIVED_METRICS.filter((m) => !inSlots.includes(m));
  const record = compileRecordFactory(inSlots.map((m) => m.name));
  if (!record) return { derived: undefined, otherMetrics: DERIVED_METRICS };
  const at = inSlots.map((m) => [names.indexOf(m.numerator), names.indexOf(m.denominator)] as const);
  const values = new Float64Array(inSlots.length);
  // `den > 0 ? num / den : 0`, as for the metrics looked up by name.
  const derived = (r: ArrayLike<number>) => {
    for (let j = 0; j < at.length; j++) {
      const den = r[at[j]![1]]!;
      values[j] = den > 0 ? r[at[j]![0]]! / den : 0;
    }
    return record(values);
  };
  return { derived, otherMetrics };
}

/** A feature is an event's rate or a derived metric; NaN where the fingerprint lacks it. */
export function featureValue(fp: Fingerprint, feature: string): number {
  const r = fp.rates[feature];
  if (r !== undefined) return r;
  const d = fp.derived[feature];
  return d === undefined ? NaN : d;
}

export function featureVector(fp: Fingerprint, features: readonly string[]): Float64Array {
  const out = new Float64Array(features.length);
  for (let i = 0; i < features.length; i++) out[i] = featureValue(fp, features[i]!);
  return out;
}

function pushOnce(list: string[], e: string, present: Record<string, number>): void {
  if (!Object.hasOwn(present, e) && !list.includes(e)) list.push(e);
}
