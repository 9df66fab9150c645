import type { LineResult, Reading } from './reading.ts';
import { NOT_COUNTED, NOT_SUPPORTED, isInteger, isPlainNumber, isValueField, parseValue } from './values.ts';

/**
 * Reads one `perf stat -x<sep> -I` line. The layout differs across perf versions and
 * options (aggregation prefixes, `-r` variance, cgroup column, metric fields), so the
 * fields are located by what they look like, not by fixed positions:
 *   time, [prefix…], value, unit, event, [cgroup] [variance%], [run, pct, [metric, metric-unit]]
 */
export function readCsvLine(line: string, sep: string): LineResult {
  const fields = line.split(sep);
  const t = Number(fields[0]!.trim());
  if (!Number.isFinite(t) || fields[0]!.trim() === '') {
    return { kind: 'error', message: 'expected an interval time in the first field (was perf run with -I?)' };
  }
  const allowThousands = sep !== ',';
  const n = fields.length;
  // Locate the value: the first value-like field whose next field is not a number
  // (that one is the unit) and whose field after is a non-numeric event name.
  let v = -1;
  for (let i = 1; i + 2 < n && i <= 4; i++) {
    const f = fields[i]!;
    if (!isValueField(f, allowThousands)) continue;
    const unit = fields[i + 1]!;
    const ev = fields[i + 2]!;
    if (unit !== '' && isValueField(unit, allowThousands)) continue;
    if (ev === '' || isPlainNumber(ev)) continue;
    v = i;
    break;
  }
  if (v < 0) {
    // Metric-only continuation lines (time, empty value/unit/event, metric) carry no counter.
    if (n > 3 && fields[1] === '' && fields[3] === '') return { kind: 'skip' };
    return { kind: 'error', message: `no counter value followed by a unit and an event name (${n} fields)` };
  }
  const valueText = fields[v]!;
  const unit = fields[v + 1]!;
  // Event names with PMU terms (`cpu/event=0x3c,umask=0x1/`) may contain the separator: rejoin them.
  let event = fields[v + 2]!;
  let k = v + 3;
  while (countSlashes(event) % 2 === 1 && k < n) {
    event += sep + fields[k]!;
    k++;
  }
  const reading: Reading = {
    t,
    value: null,
    status: 'counted',
    unit,
    event,
    running: 100,
  };
  if (v > 1) {
    reading.prefix = fields[1]!;
    if (v > 2 && isInteger(fields[2]!)) reading.aggrCount = Number(fields[2]!);
    else if (v > 2) reading.prefix = fields.slice(1, v).join(sep);
  }
  if (valueText === NOT_COUNTED) reading.status = 'not-counted';
  else if (valueText === NOT_SUPPORTED) reading.status = 'not-supported';
  else reading.value = parseValue(valueText);

  // Tail: optional cgroup and variance, then run time and percentage counted.
  for (; k < n; k++) {
    const f = fields[k]!;
    if (isInteger(f) && k + 1 < n && isPlainNumber(fields[k + 1]!)) {
      reading.runtime = Number(f);
      const pct = Number(fields[k + 1]!);
      if (pct >= 0 && pct <= 100) reading.running = pct;
      break;
    }
    if (f.endsWith('%') && isPlainNumber(f.slice(0, -1))) reading.variance = Number(f.slice(0, -1));
    else if (f !== '' && reading.cgroup === undefined && !isPlainNumber(f)) reading.cgroup = f;
  }
  return { kind: 'reading', reading };
}

function countSlashes(s: string): number {
  let c = 0;
  for (let i = s.indexOf('/'); i >= 0; i = s.indexOf('/', i + 1)) c++;
  return c;
}
