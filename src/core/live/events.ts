import { LiveError } from './errors.ts';

/** The 31 events of the ITC 2021 measurements (their order), so fingerprints match the reference data. */
export const DEFAULT_EVENTS: readonly string[] = [
  'instructions', 'branches', 'branch-misses', 'branch-load-misses', 'cache-misses', 'cache-references', 'cycles',
  'context-switches', 'cpu-clock', 'minor-faults', 'page-faults', 'task-clock', 'bus-cycles', 'ref-cycles',
  'L1-dcache-load-misses', 'L1-dcache-loads', 'L1-dcache-stores', 'L1-icache-load-misses', 'LLC-load-misses',
  'LLC-store-misses', 'LLC-stores', 'LLC-loads', 'dTLB-stores', 'dTLB-load-misses', 'dTLB-store-misses',
  'iTLB-loads', 'iTLB-load-misses', 'node-load-misses', 'node-loads', 'node-store-misses', 'node-stores',
];

/**
 * perf event syntax: names, modifiers (`:u`), PMU terms (`cpu/event=0x3c,umask=0/`),
 * raw codes (`r003c`), tracepoints (`sched:sched_switch`) and groups (`{a,b}`).
 * Nothing a shell would interpret is among these characters.
 */
const EVENT = /^[A-Za-z0-9_.:/=,@{}+~-]+$/;

export function validateEvent(e: string): string {
  if (e === '') throw new LiveError('invalid-spec', 'empty event name in the event list');
  if (e.length > 256) throw new LiveError('invalid-spec', `event ${JSON.stringify(e.slice(0, 40) + '…')} is longer than 256 characters`);
  if (e.startsWith('-')) throw new LiveError('invalid-spec', `event ${JSON.stringify(e)} starts with '-'; perf would read it as an option`);
  if (!EVENT.test(e)) {
    const bad = [...e].find((c) => !EVENT.test(c))!;
    throw new LiveError('invalid-spec', `event ${JSON.stringify(e)} contains ${JSON.stringify(bad)}; perf event names use only letters, digits and _ . : / = , @ { } + ~ -`);
  }
  return e;
}

/** Splits `a,b,cpu/event=0x3c,umask=0/,{c,d}` at the commas that separate events. */
export function parseEventList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inPmu = false;
  let depth = 0;
  for (const c of text) {
    if (c === '/') inPmu = !inPmu;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    if (c === ',' && !inPmu && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  const events = out.filter((e, i) => e !== '' || i < out.length - 1);
  if (events.length === 0) throw new LiveError('invalid-spec', 'the event list is empty');
  events.forEach(validateEvent);
  return [...new Set(events)];
}
