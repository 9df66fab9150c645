import { LiveError } from '../host/errors.ts';
import { validateEvent } from './events.ts';
import { validatePerfPath } from '../host/target.ts';

/** What to count: the typed input from which perf's argv is built. Nothing here is ever a shell string. */
export interface PerfStatSpec {
  perfPath?: string;
  events: readonly string[];
  intervalMs: number;
  /** A process (all its threads) or one thread. */
  attach: { pid: number } | { tid: number };
  /** Stop after this many intervals (probing). */
  intervalCount?: number;
}

export const MIN_INTERVAL_MS = 10;
export const MAX_INTERVAL_MS = 3_600_000;
/** Linux's largest pid_max. */
const MAX_PID = 4_194_304;

/**
 * `perf stat -x, -I MS -e E1 -e E2 … -p PID --log-fd 1`. CSV (`-x,`) is the layout
 * perf keeps stable across versions. `--log-fd 1` sends the counts to standard output
 * (perf's own messages stay on stderr); `-o /dev/stdout` would fail when standard
 * output is a socket, as it can be under sshd.
 */
export function perfStatArgv(spec: PerfStatSpec): string[] {
  const perf = validatePerfPath(spec.perfPath ?? 'perf');
  validateInterval(spec.intervalMs);
  if (spec.events.length === 0) throw new LiveError('invalid-spec', 'no events to count');
  const argv = [perf, 'stat', '-x', ',', '-I', String(spec.intervalMs)];
  if (spec.intervalCount !== undefined) {
    if (!Number.isInteger(spec.intervalCount) || spec.intervalCount < 1) throw new LiveError('invalid-spec', `interval count ${spec.intervalCount} must be a positive integer`);
    argv.push('--interval-count', String(spec.intervalCount));
  }
  for (const e of spec.events) argv.push('-e', validateEvent(e));
  if ('pid' in spec.attach) argv.push('-p', String(validateId(spec.attach.pid, 'PID')));
  else argv.push('-t', String(validateId(spec.attach.tid, 'TID')));
  argv.push('--log-fd', '1');
  return argv;
}

export function validateInterval(ms: number): number {
  if (!Number.isInteger(ms) || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new LiveError('invalid-spec', `interval ${ms} ms must be a whole number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}`);
  }
  return ms;
}

export function validateId(n: number, what: 'PID' | 'TID'): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PID) throw new LiveError('invalid-spec', `${what} ${n} is not a process id (a whole number from 1 to ${MAX_PID})`);
  return n;
}

/** Parses `4242` or `4242,4243` as given on a command line or in a setting. */
export function parseIdList(text: string, what: 'PID' | 'TID' = 'PID'): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const ids = parts.map((p) => {
    if (!/^[0-9]{1,7}$/.test(p)) throw new LiveError('invalid-spec', `${what} ${JSON.stringify(p)} is not a process id (give whole numbers separated by commas, e.g. 4242,4243)`);
    return validateId(Number(p), what);
  });
  return [...new Set(ids)];
}
