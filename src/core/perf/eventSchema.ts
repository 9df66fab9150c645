/**
 * The events of a perf stream, each given a slot in first-seen order. An interval's
 * values are gathered in typed arrays by slot and turned into records at the end by a
 * function compiled for this exact list of names: one object literal instead of dozens
 * of keyed stores per interval, which is what keeps replay above a million lines a second.
 */
export class EventSchema {
  readonly names: string[] = [];
  /** UTF-8 bytes of each name, for comparing against raw lines. */
  readonly bytes: Buffer[] = [];
  private readonly slots = new Map<string, number>();
  private factory: ((v: ArrayLike<number>) => Record<string, number>) | undefined;
  /** Changes whenever a name is added; caches derived from the schema check it. */
  version = 0;

  get size(): number {
    return this.names.length;
  }

  slotOf(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.names.length;
      this.names.push(name);
      this.bytes.push(Buffer.from(name));
      this.slots.set(name, s);
      this.factory = undefined;
      this.version++;
    }
    return s;
  }

  find(name: string): number | undefined {
    return this.slots.get(name);
  }

  /** `{name: values[slot]}` for the slots marked present, in slot order. */
  record(values: ArrayLike<number>, present: ArrayLike<number>, count: number): Record<string, number> {
    if (count === this.names.length) {
      this.factory ??= compileRecordFactory(this.names);
      if (this.factory) return this.factory(values);
    }
    const o: Record<string, number> = {};
    for (let i = 0; i < this.names.length; i++) if (present[i]) setOwn(o, this.names[i]!, values[i]!);
    return o;
  }
}

/**
 * `o[key] = value` that also works for `__proto__`, which a plain assignment would
 * turn into a prototype change (and lose). Event names, prefixes and labels come from
 * input files, so every record keyed by them is written through this.
 */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** `o[key]` when `key` is o's own property (not `constructor`, `toString`… from the prototype). */
export function getOwn<T>(o: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/**
 * `(v) => ({"a": v[0], "b": v[1], …})`. Names are embedded as JSON string literals, so
 * no event name can inject code; `__proto__` would set the prototype in a literal, so a
 * list holding it gets no factory and takes the generic path.
 */
export function compileRecordFactory(names: readonly string[]): ((v: ArrayLike<number>) => Record<string, number>) | undefined {
  if (names.includes('__proto__') || names.length === 0) return undefined;
  const body = 'return {' + names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ') + '};';
  const factory = new Function('v', body) as (v: ArrayLike<number>) => Record<string, number>;
  // One call without values first, so the literal's fields start as general (tagged) ones.
  // Fields first given doubles get V8's boxed-double layout, and optimizing code that
  // fills 31 of them costs far more CPU than the records themselves; either holds the same numbers.
  factory([]);
  return factory;
}

/**
 * Slot data kept on an emitted Interval whose every stream event was counted (under a
 * symbol, invisible to JSON and equality): values[i] belongs to schema.names[i].
 */
export interface SlotData {
  schema: EventSchema;
  schemaVersion: number;
  values: number[];
  /** Percentage counted per slot, like values. */
  running: number[];
}

export const SLOT_DATA: unique symbol = Symbol('vnf-lens.slotData');
