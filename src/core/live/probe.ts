import { canonicalEventName } from '../fingerprint/eventNames.ts';
import { readCsvLine } from '../perf/csvLine.ts';
import { type Attach, describeAttach, idOf } from '../host/attach.ts';
import { LiveError } from '../host/errors.ts';
import type { HostRunner, RunResult } from '../host/host.ts';
import { withHost } from '../host/openHost.ts';
import { perfStatArgv } from './perfCommand.ts';
import { lastLines } from '../host/sshErrors.ts';
import { type Target, validatePerfPath } from '../host/target.ts';

export interface DroppedEvent {
  event: string;
  reason: string;
  /** Why, for those who act on it: `not-supported` (no counter here: no PMU), `refused` (permissions), `unknown-event`, `failed`. */
  kind?: 'not-supported' | 'refused' | 'unknown-event' | 'failed';
}

export interface ProbedProcess {
  attach: Attach;
  user: string;
  comm: string;
  commandLine: string;
}

/** What the target's perf can do, found out before counting. */
export interface PerfProbe {
  host: string;
  /** perf as resolved on the target (`/usr/bin/perf`). */
  perfPath: string;
  /** `6.1.187` from `perf version 6.1.187`. */
  perfVersion: string;
  uid: number | undefined;
  user: string;
  /** kernel.perf_event_paranoid, when readable. */
  paranoid: number | undefined;
  /** Effective capabilities (hex CapEff) of the login user's processes. */
  capEff: string | undefined;
  /** File capabilities of the perf binary (getcap), when any. */
  perfCapabilities: string | undefined;
  processes: ProbedProcess[];
  requested: string[];
  /** The requested events that can be counted, in the requested order. */
  events: string[];
  dropped: DroppedEvent[];
  /** Events perf counts in user space only (it added `:u` because kernel counting is not allowed). */
  userSpaceOnly: string[];
  /** Lines perf prints per interval for each attached process, in `processes` order. */
  linesPerInterval: number[];
}

export interface ProbeOptions {
  /** Processes the events must be countable on; without any, a short `sleep` is counted. */
  attach?: Attach[];
  perfPath?: string;
  abort?: AbortSignal;
}

/**
 * Environment in one round trip: user, paranoid level, capabilities, perf's path and
 * version, and each process's owner and command line. Arguments come as "$@". One
 * line, so that login shells which reject newlines inside quotes (csh) run it too.
 */
const ENV_SCRIPT = [
  'p=$1',
  'shift',
  'echo "uid=$(id -u)"',
  'echo "user=$(id -un)"',
  '[ -r /proc/sys/kernel/perf_event_paranoid ] && echo "paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)"',
  `echo "capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null)"`,
  'if path=$(command -v "$p" 2>/dev/null) && [ -n "$path" ]; then echo "perfpath=$path"; v=$("$path" --version 2>&1); echo "perfrc=$?"; ' +
    `printf 'perfversion=%s\\n' "$(printf '%s' "$v" | tr '\\n' ' ')"; command -v getcap >/dev/null 2>&1 && printf 'perfcaps=%s\\n' "$(getcap "$path" 2>/dev/null)"; ` +
    `else echo "perf=missing"; printf 'path=%s\\n' "$PATH"; fi`,
  `for id do if [ -e "/proc/$id" ]; then printf 'proc=%s\\037%s\\037%s\\037' "$id" "$(stat -c %U "/proc/$id" 2>/dev/null)" "$(cat "/proc/$id/comm" 2>/dev/null)"; ` +
    `tr '\\000\\n' '  ' < "/proc/$id/cmdline" 2>/dev/null; echo; else echo "noproc=$id"; fi; done`,
  'exit 0',
].join('; ');

interface Env {
  uid: number | undefined;
  user: string;
  paranoid: number | undefined;
  capEff: string | undefined;
  perfPath?: string;
  perfRc?: number;
  perfVersionText?: string;
  perfCaps?: string;
  missingPath?: string;
  procs: Map<number, { user: string; comm: string; commandLine: string }>;
  missing: number[];
}

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

interface ProbeCtx {
  host: HostRunner;
  env: Env;
  perfPath: string;
}

interface EventsResult {
  dropped: DroppedEvent[];
  userSpaceOnly: string[];
  /** Lines perf printed per interval for each event (hybrid CPUs print one per PMU). */
  linesByEvent: Map<string, number>;
  refusal?: LiveError;
}

async function readEnv(host: HostRunner, perfPath: string, attach: Attach[]): Promise<Env> {
  const r = await host.run(['sh', '-c', ENV_SCRIPT, 'vnf-lens', perfPath, ...attach.map((a) => String(idOf(a)))], { timeoutMs: 20_000 });
  if (r.exitCode !== 0) throw new LiveError('command-failed', `cannot inspect ${host.label}: sh failed (${lastLines(r.stderr, 2) || `exit ${r.exitCode ?? r.signal}`})`);
  const env: Env = { uid: undefined, user: '', paranoid: undefined, capEff: undefined, procs: new Map(), missing: [] };
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const v = line.slice(eq + 1);
    switch (key) {
      case 'uid':
        env.uid = /^\d+$/.test(v) ? Number(v) : undefined;
        break;
      case 'user':
        env.user = v;
        break;
      case 'paranoid':
        env.paranoid = /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
        break;
      case 'capeff':
        env.capEff = v.trim() || undefined;
        break;
      case 'perfpath':
        env.perfPath = v;
        break;
      case 'perfrc':
        env.perfRc = Number(v);
        break;
      case 'perfversion':
        env.perfVersionText = v.trim();
        break;
      case 'perfcaps':
        env.perfCaps = v.trim() || undefined;
        break;
      case 'path':
        env.missingPath = v;
        break;
      case 'proc': {
        const [id, user, comm, cmd] = v.split('\x1f');
        env.procs.set(Number(id), { user: user ?? '', comm: comm ?? '', commandLine: (cmd ?? '').trim() });
        break;
      }
      case 'noproc':
        env.missing.push(Number(v));
        break;
    }
  }
  return env;
}

function requirePerf(env: Env, host: HostRunner, perfPath: string): string {
  const install = `install it (Debian: apt install linux-perf; Ubuntu: apt install linux-tools-$(uname -r); Fedora/RHEL: dnf install perf) or give its location with --perf PATH`;
  if (env.perfPath === undefined) {
    const where = perfPath.includes('/') ? `${perfPath} does not exist or is not executable` : `no ${perfPath} in PATH=${env.missingPath ?? '?'}`;
    throw new LiveError('perf-missing', `perf is not available on ${host.label} (${where}); ${install}`);
  }
  if (env.perfRc !== 0) {
    throw new LiveError('perf-missing', `perf on ${host.label} (${env.perfPath}) does not run: '${env.perfPath} --version' said ${JSON.stringify(env.perfVersionText ?? '')}; ${install}`);
  }
  return env.perfPath;
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

function processGone(stderr: string): boolean {
  return /Problems finding threads of monitor|No such process|couldn't find .*(process|thread)/i.test(stderr);
}

const REFUSED = /Access to performance monitoring and observability operations is limited|No permission to enable|Permission denied|Operation not permitted|perf_event_paranoid/;

/** Explains a failed perf run; a refusal names the setting or right that caused it. */
function perfFailure(ctx: ProbeCtx, r: RunResult, proc: ProbedProcess | undefined, events: readonly string[]): LiveError {
  const { host, env, perfPath } = ctx;
  const what = events.length === 1 ? `event ${events[0]}` : `events ${events.join(',')}`;
  if (REFUSED.test(r.stderr)) {
    const who = env.user || `uid ${env.uid ?? '?'}`;
    if (proc && env.uid !== 0 && proc.user !== '' && proc.user !== env.user) {
      return new LiveError(
        'perf-refused',
        `perf on ${host.label} was refused ${what} for ${describeAttach(proc.attach)}: the process belongs to ${proc.user} and perf runs as ${who}, and unprivileged users may only attach to their own processes. ` +
          `Connect as ${proc.user} or root, or give perf the rights: sudo setcap cap_perfmon,cap_sys_ptrace+ep ${perfPath}`,
      );
    }
    const p = env.paranoid;
    const rule = p === undefined ? 'its perf_event_paranoid setting could not be read' : `perf_event_paranoid is ${p}${paranoidMeaning(p)}`;
    return new LiveError(
      'perf-refused',
      `perf on ${host.label} was refused ${what}${proc ? ` for ${describeAttach(proc.attach)}` : ''}: ${rule}, and ${who} has no CAP_PERFMON. ` +
        `Lower it (sudo sysctl kernel.perf_event_paranoid=1, or -1 to allow all events), run as root, or give perf the right: sudo setcap cap_perfmon+ep ${perfPath}`,
    );
  }
  if (proc && processGone(r.stderr)) return noSuchProcess(proc.attach, host);
  const msg = perfMessage(r.stderr) || `exit ${r.exitCode ?? r.signal}`;
  return new LiveError('perf-failed', `perf on ${host.label} failed for ${what}: ${msg}`);
}

function failureKind(err: LiveError): DroppedEvent['kind'] {
  return err.code === 'perf-refused' ? 'refused' : 'failed';
}

function paranoidMeaning(p: number): string {
  if (p >= 3) return ' (perf is closed to unprivileged users on kernels that honour level 3)';
  if (p >= 2) return ' (unprivileged users may count user space only: no kernel-mode counting)';
  if (p >= 1) return ' (unprivileged users may not count CPU-wide)';
  return '';
}

/** perf's message without its usage text and advice paragraphs. */
export function perfMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'Error:' && !l.startsWith('Usage:') && !l.startsWith('-') && !/^[\\_|\s]+$/.test(l));
  return lines.slice(0, 2).join(' ');
}

function noSuchProcess(a: Attach, host: HostRunner): LiveError {
  return new LiveError('no-such-process', `no ${describeAttach(a)} on ${host.label}: it is not running (or has exited); list the processes with 'vnf-lens ps'`);
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
