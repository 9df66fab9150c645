import type { LineResult, Reading } from './reading.ts';
import { isPlainNumber, isValueField, parseValue } from './values.ts';

const KNOWN_UNITS = new Set(['msec', 'ms', 'ns', 'us', 'sec', 's', 'Joules', 'MiB', 'KiB', 'GiB', 'MB', 'W', 'C', 'MHz', 'GHz', '%']);
const PCT_AT_END = /\((\d+(?:\.\d+)?)%\)\s*$/;

/**
 * Reads one line of perf's default, human-readable `-I` output, e.g.
 * `     1.001   15,064,353,371      instructions   #  2.48 insn per cycle   (10.96%)`.
 */
export function readHumanLine(line: string): LineResult {
  const pctMatch = PCT_AT_END.exec(line);
  let body = line;
  // perf pads before its `#` metric comments; a `#` stuck to a token is not one (`0#` is garbage, not a metric line).
  const hash = metricHash(body);
  if (hash >= 0) body = body.slice(0, hash);
  else if (pctMatch) body = body.slice(0, pctMatch.index);
  body = body.replace('<not supported>', '<not_supported>').replace('<not counted>', '<not_counted>');
  const tokens = body.trim().split(/\s+/);
  if (tokens.length === 0 || tokens[0] === '') return { kind: 'skip' };
  const t = Number(tokens[0]);
  if (!isPlainNumber(tokens[0]!)) return { kind: 'error', message: 'expected an interval time at the start of the line (was perf run with -I?)' };
  // A time followed by metrics only (after `#`) carries no counter; a bare number is not a perf line.
  if (tokens.length === 1) return hash >= 0 || pctMatch ? { kind: 'skip' } : { kind: 'error', message: 'a time alone, with no counter value or event' };
  let v = -1;
  for (let i = 1; i < tokens.length - 1 && i <= 3; i++) {
    const tok = tokens[i]!;
    const isValue = tok === '<not_supported>' || tok === '<not_counted>' || isValueField(tok, true);
    if (!isValue) continue;
    const next = tokens[i + 1]!;
    if (isValueField(next, true) || next.startsWith('<not_')) continue;
    v = i;
    break;
  }
  if (v < 0) return { kind: 'error', message: 'no counter value followed by an event name' };
  const rest = tokens.slice(v + 1);
  let unit = '';
  if (rest.length >= 2 && KNOWN_UNITS.has(rest[0]!)) unit = rest.shift()!;
  const event = rest.shift()!;
  const valueText = tokens[v]!;
  const reading: Reading = {
    t,
    value: null,
    status: 'counted',
    unit,
    event,
    running: 100,
  };
  if (valueText === '<not_counted>') reading.status = 'not-counted';
  else if (valueText === '<not_supported>') reading.status = 'not-supported';
  else reading.value = parseValue(valueText);
  if (v > 1) {
    reading.prefix = tokens[1]!;
    if (v > 2) reading.aggrCount = Number(tokens[2]);
  }
  if (rest.length > 0) reading.cgroup = rest.join(' ');
  if (pctMatch) reading.running = Number(pctMatch[1]);
  return { kind: 'reading', reading };
}

function metricHash(line: string): number {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
    const before = line.charCodeAt(i - 1);
    if (i === 0 || before === 32 || before === 9) return i;
  }
  return -1;
}
