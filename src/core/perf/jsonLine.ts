import type { LineResult, Reading } from './reading.ts';
import { NOT_COUNTED, NOT_SUPPORTED, isPlainNumber } from './values.ts';

/** Aggregation keys perf's `-j` output may carry, in the order we prefer them as the breakdown key. */
const PREFIX_KEYS = ['cpu', 'thread', 'core', 'cache', 'cluster', 'die', 'socket', 'node'] as const;

/** Reads one `perf stat -j -I` line (perf 6.x keys). */
export function readJsonLine(line: string): LineResult {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    return { kind: 'error', message: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { kind: 'error', message: 'JSON line is not an object' };
  const r = o as Record<string, unknown>;
  const t = toNumber(r['interval']);
  if (t === undefined) {
    // A summary line or a header without an interval is not interval data.
    return { kind: 'error', message: 'JSON object has no numeric "interval" (was perf run with -I?)' };
  }
  const event = r['event'];
  if (typeof event !== 'string' || event === '') {
    // perf emits metric-only objects (no event) for derived metrics; they carry no counter.
    if ('metric-value' in r || 'metric-unit' in r) return { kind: 'skip' };
    return { kind: 'error', message: 'JSON object has no "event"' };
  }
  const reading: Reading = {
    t,
    value: null,
    status: 'counted',
    unit: typeof r['unit'] === 'string' ? r['unit'] : '',
    event,
    running: 100,
  };
  const raw = r['counter-value'];
  if (raw === NOT_COUNTED) reading.status = 'not-counted';
  else if (raw === NOT_SUPPORTED) reading.status = 'not-supported';
  else {
    const v = toNumber(raw);
    if (v === undefined) return { kind: 'error', message: `"counter-value" is not a number: ${JSON.stringify(raw)}` };
    reading.value = v;
  }
  const pct = toNumber(r['pcnt-running']);
  if (pct !== undefined && pct >= 0 && pct <= 100) reading.running = pct;
  const runtime = toNumber(r['event-runtime']);
  if (runtime !== undefined) reading.runtime = runtime;
  const variance = toNumber(typeof r['variance'] === 'string' ? r['variance'].replace('%', '') : r['variance']);
  if (variance !== undefined) reading.variance = variance;
  if (typeof r['cgroup'] === 'string') reading.cgroup = r['cgroup'];
  for (const key of PREFIX_KEYS) {
    const p = r[key];
    if (p === undefined || p === null) continue;
    reading.prefix = key === 'cpu' ? `CPU${String(p)}` : String(p);
    break;
  }
  const nr = toNumber(r['aggregate-number']);
  if (nr !== undefined) reading.aggrCount = nr;
  return { kind: 'reading', reading };
}

function toNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x === 'string') {
    const s = x.trim();
    return isPlainNumber(s) ? Number(s) : undefined;
  }
  return undefined;
}
