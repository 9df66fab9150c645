import { ByteWriter } from './byteWriter.ts';
import { SLOT_DATA, type EventSchema, type SlotData } from './eventSchema.ts';
import type { Interval } from './interval.ts';

/**
 * One interval as the JSON object `vnf-lens replay --format jsonl` prints:
 * {t, dt, counters, running, notCounted, unsupported[, run][, stream][, packets]}.
 * Intervals from the parser carry their slot values, written with keys encoded once
 * per stream; anything else goes through JSON.stringify. Both give the same text.
 */
export function writeIntervalJson(w: ByteWriter, iv: Interval): void {
  const slots = (iv as unknown as { [SLOT_DATA]?: SlotData })[SLOT_DATA];
  w.bytes(T);
  w.fixed(iv.t, 9);
  w.bytes(DT);
  w.fixed(roundNs(iv.dt), 9);
  if (slots && slots.values.length > 0) {
    const keys = keysFor(slots);
    const v = slots.values;
    const r = slots.running;
    w.bytes(COUNTERS);
    for (let i = 0; i < v.length; i++) {
      w.bytes(keys[i]!);
      const x = v[i]!;
      // Counts are integers; times in msec (task-clock) have perf's 6 decimals at most.
      if (Math.floor(x) === x) w.num(x);
      else w.fixed(x, 6);
    }
    w.bytes(RUNNING);
    for (let i = 0; i < r.length; i++) {
      w.bytes(keys[i]!);
      w.percent(r[i]!);
    }
    w.byte(125);
  } else {
    w.ascii(',"counters":');
    w.text(JSON.stringify(iv.counters));
    w.ascii(',"running":');
    w.text(JSON.stringify(iv.running));
  }
  w.ascii(',"notCounted":');
  if (iv.notCounted.length === 0) w.ascii('[]');
  else w.text(JSON.stringify(iv.notCounted));
  w.ascii(',"unsupported":');
  if (iv.unsupported.length === 0) w.ascii('[]');
  else w.text(JSON.stringify(iv.unsupported));
  if (iv.run !== undefined) {
    w.ascii(',"run":');
    w.jsonString(iv.run);
  }
  if (iv.stream !== undefined) {
    w.ascii(',"stream":');
    w.jsonString(iv.stream);
  }
  if (iv.packets !== undefined) {
    w.ascii(',"packets":');
    w.text(JSON.stringify(iv.packets));
  }
  w.ascii('}\n');
}

/** The same object as a string, without the line end. */
export function intervalToJson(iv: Interval): string {
  const parts: Buffer[] = [];
  const w = new ByteWriter((b) => parts.push(b), 4096);
  writeIntervalJson(w, iv);
  w.flush();
  const s = Buffer.concat(parts).toString('utf8');
  return s.slice(0, -1);
}

/** dt is a difference of printed times: round away the float noise (perf prints ns). */
function roundNs(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

const T = Buffer.from('{"t":');
const DT = Buffer.from(',"dt":');
const COUNTERS = Buffer.from(',"counters":{');
const RUNNING = Buffer.from('},"running":{');
const keyCache = new WeakMap<EventSchema, { version: number; keys: Buffer[] }>();

/** `"name":` (with the comma before all but the first) per slot, as UTF-8, once per schema version. */
function keysFor(slots: SlotData): Buffer[] {
  const cached = keyCache.get(slots.schema);
  if (cached && cached.version === slots.schemaVersion && cached.keys.length >= slots.values.length) return cached.keys;
  const keys = slots.schema.names.map((n, i) => Buffer.from((i === 0 ? '' : ',') + JSON.stringify(n) + ':'));
  keyCache.set(slots.schema, { version: slots.schemaVersion, keys });
  return keys;
}
