import { canonicalEventName } from '../fingerprint/eventNames.ts';
import { readCsvLine } from '../perf/csvLine.ts';
import { idOf } from '../host/attach.ts';
import { LiveError } from '../host/errors.ts';
import type { HostRunner, RunResult } from '../host/host.ts';
import { withHost } from '../host/openHost.ts';
import { type Target, validatePerfPath } from '../host/target.ts';
import { perfStatArgv } from './perfCommand.ts';
import { failureKind, noSuchProcess, perfFailure, processGone } from './perfFailure.ts';
import { readEnv, requirePerf } from './probeEnv.ts';
import type { DroppedEvent, EventsResult, PerfProbe, ProbeCtx, ProbedProcess, ProbeOptions } from './probeTypes.ts';

export type { DroppedEvent, PerfProbe, ProbedProcess, ProbeOptions } from './probeTypes.ts';
export { perfMessage } from './perfFailure.ts';

/** Checks perf on the target and which of `events` it can count on the given processes. */
export async function probePerf(where: Target | HostRunner, events: readonly string[], opts: ProbeOptions = {}): Promise<PerfProbe> {
  return withHost(
    where,
    async (host) => {
      const perfPath = validatePerfPath(opts.perfPath ?? host.target.perfPath ?? 'perf');
      const attach = opts.attach ?? [];
      const env = await readEnv(host, perfPath, attach);
      const resolved = requirePerf(env, host, perfPath);
      const processes = attach.map((a) => {
        const id = idOf(a);
        const p = env.procs.get(id);
        if (!p) throw noSuchProcess(a, host);
        return { attach: a, ...p };
      });
      const ctx: ProbeCtx = { host, env, perfPath: resolved };
      const results = processes.length > 0 ? await Promise.all(processes.map((p) => probeEvents(ctx, events, p))) : [await probeEvents(ctx, events, undefined)];
      // Streams of one session count the same events: an event dropped anywhere is dropped.
      const dropped = new Map<string, DroppedEvent>();
      for (const r of results) for (const d of r.dropped) if (!dropped.has(d.event)) dropped.set(d.event, d);
      const kept = events.filter((e) => !dropped.has(e));
      if (kept.length === 0) {
        const reasons = [...dropped].map(([e, d]) => `${e}: ${d.reason}`);
        const refused = results.find((r) => r.refusal)?.refusal;
        if (refused) throw refused;
        throw new LiveError('no-events', `none of the requested events can be counted on ${host.label}: ${reasons.slice(0, 6).join('; ')}${reasons.length > 6 ? `; and ${reasons.length - 6} more` : ''}`);
      }
      const userSpaceOnly = [...new Set(results.flatMap((r) => r.userSpaceOnly))].filter((e) => kept.includes(e));
      return {
        host: host.label,
        perfPath: resolved,
        perfVersion: (/perf version\s+(\S+)/.exec(env.perfVersionText ?? '')?.[1] ?? env.perfVersionText ?? '').trim(),
        uid: env.uid,
        user: env.user,
        paranoid: env.paranoid,
        capEff: env.capEff,
        perfCapabilities: env.perfCaps,
        processes,
        requested: [...events],
        events: kept,
        dropped: [...dropped.values()],
        userSpaceOnly,
        linesPerInterval: results.map((r) => kept.reduce((n, e) => n + (r.linesByEvent.get(e) ?? 1), 0)),
      };
    },
    opts.abort,
  );
}

async function probeEvents(ctx: ProbeCtx, events: readonly string[], proc: ProbedProcess | undefined): Promise<EventsResult> {
  const dropped: DroppedEvent[] = [];
  let remaining = [...events];
  // An unknown event makes perf refuse the whole list and name it: drop it and go on.
  for (let round = 0; round <= events.length && remaining.length > 0; round++) {
    const r = await runProbe(ctx, remaining, proc);
    if (r.exitCode === 0) {
      const out = readProbeOutput(r.stdout, remaining);
      return { ...out, dropped: [...dropped, ...out.dropped] };
    }
    const syntax = /event syntax error: '([^']*)'/.exec(r.stderr);
    if (syntax) {
      const bad = findEvent(remaining, syntax[1]!);
      if (bad !== undefined) {
        dropped.push({ event: bad, reason: `perf on ${ctx.host.label} does not know this event (${eventSyntaxDetail(r.stderr)}); 'perf list' shows the known ones`, kind: 'unknown-event' });
        remaining = remaining.filter((e) => e !== bad);
        continue;
      }
    }
    if (processGone(r.stderr)) throw noSuchProcess(proc!.attach, ctx.host);
    return probeEachEvent(ctx, remaining, proc, dropped, r);
  }
  return { dropped, userSpaceOnly: [], linesByEvent: new Map() };
}

/** perf failed on the list as a whole without naming an event: try each event alone. */
async function probeEachEvent(ctx: ProbeCtx, events: string[], proc: ProbedProcess | undefined, dropped: DroppedEvent[], whole: RunResult): Promise<EventsResult> {
  if (events.length === 1) {
    const err = perfFailure(ctx, whole, proc, events);
    dropped.push({ event: events[0]!, reason: err.message, kind: failureKind(err) });
    return { dropped, userSpaceOnly: [], linesByEvent: new Map(), refusal: err };
  }
  const kept: string[] = [];
  let refusal: LiveError | undefined;
  const results = await mapLimit(events, 4, (e) => runProbe(ctx, [e], proc));
  events.forEach((e, i) => {
    const r = results[i]!;
    if (r.exitCode === 0) kept.push(e);
    else {
      const err = perfFailure(ctx, r, proc, [e]);
      refusal ??= err;
      dropped.push({ event: e, reason: err.message, kind: failureKind(err) });
    }
  });
  if (kept.length === 0) return { dropped, userSpaceOnly: [], linesByEvent: new Map(), ...(refusal ? { refusal } : {}) };
  const r = await runProbe(ctx, kept, proc);
  if (r.exitCode !== 0) throw perfFailure(ctx, r, proc, kept);
  const out = readProbeOutput(r.stdout, kept);
  return { ...out, dropped: [...dropped, ...out.dropped], ...(refusal ? { refusal } : {}) };
}

function runProbe(ctx: ProbeCtx, events: readonly string[], proc: ProbedProcess | undefined): Promise<RunResult> {
  const argv = proc
    ? perfStatArgv({ perfPath: ctx.perfPath, events, intervalMs: 100, intervalCount: 1, attach: proc.attach })
    : [...perfStatArgv({ perfPath: ctx.perfPath, events, intervalMs: 100, intervalCount: 1, attach: { pid: 1 } }).filter((_, i, a) => a[i] !== '-p' && a[i - 1] !== '-p'), '--', 'sleep', '0.15'];
  return ctx.host.run(argv, { timeoutMs: 20_000 });
}

/** Reads one probe interval: events perf does not support here, and those it moved to user space. */
function readProbeOutput(stdout: string, events: readonly string[]): Omit<EventsResult, 'refusal'> {
  const lines: { event: string; status: string }[] = [];
  let firstT: number | undefined;
  for (const raw of stdout.split('\n')) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const r = readCsvLine(raw, ',');
    if (r.kind !== 'reading') continue;
    firstT ??= r.reading.t;
    if (r.reading.t === firstT) lines.push({ event: r.reading.event, status: r.reading.status });
  }
  const dropped: DroppedEvent[] = [];
  const userSpaceOnly: string[] = [];
  const linesByEvent = new Map<string, number>();
  for (const e of events) {
    const own = lines.filter((l) => sameEvent(l.event, e));
    if (own.length === 0) continue;
    linesByEvent.set(e, own.length);
    if (own.every((l) => l.status === 'not-supported')) {
      dropped.push({ event: e, reason: 'perf says <not supported> on this host: the CPU or kernel has no counter for it (hardware events are missing in VMs without a virtual PMU)', kind: 'not-supported' });
    }
    if (!/:[a-zA-Z]+$/.test(e) && own.some((l) => /:u$/.test(l.event))) userSpaceOnly.push(e);
  }
  return { dropped, userSpaceOnly, linesByEvent };
}

function sameEvent(printed: string, requested: string): boolean {
  if (printed === requested || printed.startsWith(requested + ':')) return true;
  if (requested.startsWith('{')) return requested.slice(1, -1).split(',').some((m) => sameEvent(printed, m));
  return canonicalEventName(printed) === canonicalEventName(requested);
}

function findEvent(events: readonly string[], shown: string): string | undefined {
  const s = shown.replace(/\.\.\.$/, '');
  return events.find((e) => e === s) ?? events.find((e) => e.startsWith(s) || s.startsWith(e)) ?? events.find((e) => e.includes(s));
}

function eventSyntaxDetail(stderr: string): string {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => l.includes('event syntax error'));
  const hint = lines[i + 1]?.replace(/[\\_|]+/g, ' ').trim();
  return hint ? `event syntax error: ${hint}` : 'event syntax error';
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
