import { ByteWriter } from './byteWriter.ts';
import { SLOT_DATA, type EventSchema, type SlotData } from './eventSchema.ts';
import type { Interval } from './interval.ts';
import { type KeyLayout, keyLayout } from './jsonKeys.ts';
import { writeCounts, writePercents } from './slotJson.ts';

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
    const n = slots.values.length;
    w.bytes(COUNTERS);
    writeCounts(w, keys, slots.values, n);
    w.bytes(RUNNING);
    writePercents(w, keys, slots.running, n);
  } else {
    w.ascii(',"counters":');
    w.text(JSON.stringify(iv.counters));
    w.ascii(',"running":');
    w.text(JSON.stringify(iv.running));
  }
  if (iv.notCounted.length === 0 && iv.unsupported.length === 0) w.bytes(NOTHING_MISSING);
  else {
    w.ascii(',"notCounted":');
    w.text(JSON.stringify(iv.notCounted));
    w.ascii(',"unsupported":');
    w.text(JSON.stringify(iv.unsupported));
  }
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
  w.bytes(END);
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
const COUNTERS = Buffer.from(',"counters":');
const NOTHING_MISSING = Buffer.from(',"notCounted":[],"unsupported":[]');
const END = Buffer.from('}\n');
const RUNNING = Buffer.from(',"running":');
const keyCache = new WeakMap<EventSchema, { version: number; size: number; keys: KeyLayout }>();

/** The slots' keys laid out once per schema version (a longer list starts with the same keys). */
function keysFor(slots: SlotData): KeyLayout {
  const cached = keyCache.get(slots.schema);
  if (cached && cached.version === slots.schemaVersion && cached.size >= slots.values.length) return cached.keys;
  const keys = keyLayout(slots.schema.names);
  keyCache.set(slots.schema, { version: slots.schemaVersion, size: slots.schema.names.length, keys });
  return keys;
}
