import { LiveError } from '../host/errors.ts';

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
const EVENT = /^[A-Za-z0-9_.:/=,@{}+~*?-]+$/;
/** `name`, `name:mods`, `sys:tracepoint`, `mem:0x1000:rw`, `rNNNN`: no '/' outside PMU terms. */
const NAMED = /^[A-Za-z_][A-Za-z0-9_.+-]*(?::[A-Za-z0-9_.*?+-]+){0,2}$/;
/** `pmu/terms/` with optional modifiers; the terms hold no '/'. */
const PMU = /^[A-Za-z_][A-Za-z0-9_.-]*\/[A-Za-z0-9_.=,@~+:*?-]*\/(?::?[A-Za-z]+)?$/;
/** perf 6.x loads an event ending in .c, .o, .obj or .bpf that names an existing file as a BPF program. */
const FILE_SUFFIX = /\.(?:c|o|obj|bpf)(?![A-Za-z0-9_])/i;
const SYNTAX = 'perf events are names (cycles), names with modifiers (cycles:u), PMU events (cpu/event=0x3c,umask=0/), raw codes (r003c), tracepoints (sched:sched_switch) or groups ({cycles,instructions})';

export function validateEvent(e: string): string {
  if (e === '') throw new LiveError('invalid-spec', 'empty event name in the event list');
  if (e.length > 256) throw new LiveError('invalid-spec', `event ${JSON.stringify(e.slice(0, 40) + '…')} is longer than 256 characters`);
  if (e.startsWith('-')) throw new LiveError('invalid-spec', `event ${JSON.stringify(e)} starts with '-'; perf would read it as an option`);
  if (!EVENT.test(e)) {
    const bad = [...e].find((c) => !EVENT.test(c))!;
    throw new LiveError('invalid-spec', `event ${JSON.stringify(e)} contains ${JSON.stringify(bad)}; perf event names use only letters, digits and _ . : / = , @ { } + ~ * ? -`);
  }
  if (FILE_SUFFIX.test(e) || e.startsWith('/') || e.startsWith('.') || e.startsWith('~')) {
    throw new LiveError('invalid-spec', `event ${JSON.stringify(e)} looks like a file path; perf would load such a file as a BPF program, so VNF Lens refuses it (${SYNTAX})`);
  }
  for (const one of groupMembers(e)) {
    if (!NAMED.test(one) && !PMU.test(one)) throw new LiveError('invalid-spec', `event ${JSON.stringify(e)} is not perf event syntax (${SYNTAX})`);
  }
  return e;
}

/** The events of `{a,b}:mods` (a group), or the event itself. */
function groupMembers(e: string): string[] {
  const m = /^\{(.*)\}(?::[A-Za-z]+)?$/.exec(e);
  if (!m) return [e];
  const inner = splitEvents(m[1]!);
  if (inner.some((x) => x === '' || x.includes('{') || x.includes('}'))) throw new LiveError('invalid-spec', `event group ${JSON.stringify(e)} must list events separated by commas, not empty or nested`);
  return inner;
}

/** Splits `a,b,cpu/event=0x3c,umask=0/,{c,d}` at the commas that separate events. */
export function parseEventList(text: string): string[] {
  const out = splitEvents(text);
  const events = out.filter((e, i) => e !== '' || i < out.length - 1);
  if (events.length === 0) throw new LiveError('invalid-spec', 'the event list is empty');
  events.forEach(validateEvent);
  return [...new Set(events)];
}

/** Splits at the commas between events, not those inside PMU terms or groups. */
function splitEvents(text: string): string[] {
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
  return out;
}
