import { EventSchema, SLOT_DATA, getOwn, setOwn, type SlotData } from './eventSchema.ts';
import type { BreakdownEntry, Interval } from './interval.ts';
import type { Reading } from './reading.ts';

/**
 * The current interval's totals by event slot, gathered in typed arrays while its
 * lines are read and turned into the Interval's records once, when it is emitted.
 */
export class IntervalTotals {
  readonly schema = new EventSchema();
  /** Value, running %, lines summed, counted flag, by slot. */
  vals = new Float64Array(64);
  runs = new Float64Array(64);
  lines = new Uint32Array(64);
  present = new Uint8Array(64);
  /** The slot's lines carry an aggregation prefix (per CPU, per thread): those are summed. */
  prefixed = new Uint8Array(64);
  presentCount = 0;
  /** Slot of the last counted line: perf prints events in the same order every interval. */
  lastSlot = -1;
  private units: Record<string, string> = {};
  /** Copied for each interval's slot arrays (see doubles()). */
  private doublesTemplate: number[] = [];

  /** The slot perf's next line most likely names: the one after the last, round the schema. */
  expectedSlot(): number {
    return this.lastSlot + 1 < this.schema.size ? this.lastSlot + 1 : 0;
  }

  slotFor(event: string): number {
    const slot = this.schema.slotOf(event);
    if (slot >= this.vals.length) {
      const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.vals = grow(this.vals, (n) => new Float64Array(n));
      this.runs = grow(this.runs, (n) => new Float64Array(n));
      this.lines = grow(this.lines, (n) => new Uint32Array(n));
      this.present = grow(this.present, (n) => new Uint8Array(n));
      this.prefixed = grow(this.prefixed, (n) => new Uint8Array(n));
    }
    return slot;
  }

  /**
   * Adds a counted line to its slot. False for a repeated total: the same total twice
   * is a repeated line, not another CPU's share, and adding it would double the count.
   */
  count(slot: number, value: number, running: number, prefixed: boolean, event: string, unit: string): boolean {
    const n = this.lines[slot]!;
    if (n === 0) {
      this.lastSlot = slot;
      this.vals[slot] = value;
      this.runs[slot] = running;
      this.present[slot] = 1;
      this.prefixed[slot] = prefixed ? 1 : 0;
      this.presentCount++;
      if (unit !== '') setOwn(this.units, event, unit);
    } else if (!prefixed || this.prefixed[slot] === 0) return false;
    else {
      // Another CPU/thread of the same event: sum the values, average the coverage.
      this.lastSlot = slot;
      this.vals[slot] = this.vals[slot]! + value;
      this.runs[slot] = (this.runs[slot]! * n + running) / (n + 1);
    }
    this.lines[slot] = n + 1;
    return true;
  }

  /** A new interval starts: no slot has a line yet. */
  reset(): void {
    const n = this.schema.size;
    this.lines.fill(0, 0, n);
    this.present.fill(0, 0, n);
    this.presentCount = 0;
    this.units = {};
  }

  /**
   * Puts the totals into `iv` (its records, units, and the slot values when every event
   * counted). With `slotsOnly`, an interval with every event counted and nothing missing
   * gets no records: building them is a fifth of replay's work past reading, and a
   * consumer of the slot values alone never reads them.
   */
  finish(iv: Interval, slotsOnly = false): void {
    const schema = this.schema;
    const n = schema.size;
    const complete = this.presentCount === n && n > 0;
    if (!(slotsOnly && complete && iv.notCounted.length === 0 && iv.unsupported.length === 0)) {
      iv.counters = schema.record(this.vals, this.present, this.presentCount);
      iv.running = schema.record(this.runs, this.present, this.presentCount);
    }
    iv.units = this.units;
    if (complete) {
      // Every event counted: keep the values by slot for the compiled fingerprint and JSON paths.
      const values = this.doubles(n);
      const running = this.doubles(n);
      for (let i = 0; i < n; i++) {
        values[i] = this.vals[i]!;
        running[i] = this.runs[i]!;
      }
      const data: SlotData = { schema, schemaVersion: schema.version, values, running };
      Object.defineProperty(iv, SLOT_DATA, { value: data, enumerable: false });
    }
    // An event counted on some CPUs/threads and not on others is counted.
    if (iv.notCounted.length > 0) iv.notCounted = iv.notCounted.filter((e) => !Object.hasOwn(iv.counters, e));
    if (iv.unsupported.length > 0) iv.unsupported = iv.unsupported.filter((e) => !Object.hasOwn(iv.counters, e));
  }

  /** A double array of length n: a copy of one made once, so it is not created with holes and then converted to doubles. */
  private doubles(n: number): number[] {
    if (this.doublesTemplate.length !== n) this.doublesTemplate = new Array<number>(n).fill(0.5);
    return this.doublesTemplate.slice();
  }
}

/**
 * Adds a line with an aggregation prefix (CPU, core, thread) to the interval's
 * per-prefix breakdown; false when that prefix's event is already there (a repeated line).
 */
export function addToBreakdown(iv: Interval, r: Reading): boolean {
  const bd = (iv.breakdown ??= {});
  let entry = getOwn(bd, r.prefix!);
  if (entry === undefined) setOwn(bd, r.prefix!, (entry = { counters: {}, running: {} } as BreakdownEntry));
  if (r.status === 'counted' && getOwn(entry.counters, r.event) !== undefined) return false;
  if (r.aggrCount !== undefined) entry.aggrCount = r.aggrCount;
  if (r.status === 'counted') {
    setOwn(entry.counters, r.event, r.value!);
    setOwn(entry.running, r.event, r.running);
  }
  return true;
}

/** An interval ending at t, with nothing read yet. */
export function newInterval(t: number, dt: number): Interval {
  return { t, dt, counters: {}, running: {}, units: {}, notCounted: [], unsupported: [] };
}
