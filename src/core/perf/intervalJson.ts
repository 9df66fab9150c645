import { SLOT_DATA, type SlotData } from './eventSchema.ts';
import type { Interval } from './interval.ts';

/**
 * One interval as the JSON object `vnf-lens replay --format jsonl` prints:
 * {t, dt, counters, running, notCounted, unsupported[, run][, stream]}.
 * Intervals from the parser carry their slot values, and a serializer compiled for
 * the stream's event list writes them without walking the records; anything else goes
 * through JSON.stringify. Both give the same text.
 */
export function intervalToJson(iv: Interval): string {
  const slots = (iv as unknown as { [SLOT_DATA]?: SlotData })[SLOT_DATA];
  let body: string;
  if (slots && slots.values.length > 0) {
    body = serializerFor(slots)(slots.values, Object.values(iv.running), pctText);
  } else body = '"counters":' + JSON.stringify(iv.counters) + ',"running":' + JSON.stringify(iv.running);
  let s = '{"t":' + num(iv.t) + ',"dt":' + num(roundNs(iv.dt)) + ',' + body + ',"notCounted":' + JSON.stringify(iv.notCounted) + ',"unsupported":' + JSON.stringify(iv.unsupported);
  if (iv.run !== undefined) s += ',"run":' + JSON.stringify(iv.run);
  if (iv.stream !== undefined) s += ',"stream":' + JSON.stringify(iv.stream);
  return s + '}';
}

/** dt is a difference of printed times: round away the float noise (perf prints ns). */
function roundNs(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

// Percentages repeat (100 most of all): their text is worth keeping.
const pctCache = new Map<number, string>();
function pctText(x: number): string {
  let s = pctCache.get(x);
  if (s === undefined) {
    s = num(x);
    if (pctCache.size < 20000) pctCache.set(x, s);
  }
  return s;
}

type Serializer = (values: ArrayLike<number>, running: ArrayLike<number>, pct: (x: number) => string) => string;
const serializers = new WeakMap<object, { version: number; fn: Serializer }>();

function serializerFor(slots: SlotData): Serializer {
  const cached = serializers.get(slots.schema);
  if (cached && cached.version === slots.schemaVersion) return cached.fn;
  const names = slots.schema.names.slice(0, slots.values.length);
  // Keys become JS string literals of their JSON text: no name can break out of them.
  const key = (n: string, i: number) => JSON.stringify((i === 0 ? '' : ',') + JSON.stringify(n) + ':');
  const counters = names.map((n, i) => `${key(n, i)} + (Number.isFinite(v[${i}]) ? v[${i}] : null)`).join(' + ');
  const running = names.map((n, i) => `${key(n, i)} + p(r[${i}])`).join(' + ');
  const fn = new Function('v', 'r', 'p', `return '"counters":{' + ${counters} + '},"running":{' + ${running} + '}';`) as Serializer;
  serializers.set(slots.schema, { version: slots.schemaVersion, fn });
  return fn;
}
