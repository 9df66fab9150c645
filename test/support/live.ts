import { readdirSync, readFileSync } from 'node:fs';
import type { Interval } from '../../src/core/perf/interval.ts';
import type { Gap } from '../../src/core/recording/format.ts';
import type { LiveSession, SessionStatus, StderrLine } from '../../src/core/live/session.ts';

export interface Collected {
  intervals: Interval[];
  statuses: SessionStatus[];
  notices: string[];
  /** The notices not marked info (the extension shows them as warnings). */
  warnings: string[];
  stderr: StderrLine[];
  gaps: Gap[];
}

/** Everything a session emits, in order. */
export function collect(s: LiveSession): Collected {
  const c: Collected = { intervals: [], statuses: [], notices: [], warnings: [], stderr: [], gaps: [] };
  s.on('interval', (iv) => c.intervals.push(iv));
  s.on('status', (st) => c.statuses.push(st));
  s.on('notice', (n, level) => {
    c.notices.push(n);
    if (level !== 'info') c.warnings.push(n);
  });
  s.on('stderr', (l) => c.stderr.push(l));
  s.on('gap', (g) => c.gaps.push(g));
  return c;
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** perf processes attached to `pid` (any user), found through /proc. */
export function perfProcessesAttachedTo(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (!argv[0]?.endsWith('perf')) continue;
      const p = argv.indexOf('-p');
      if (p >= 0 && argv[p + 1] === String(pid)) out.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Waits until no perf is attached to `pid` any more (a perf orphaned by a dropped connection dies at its next write). */
export async function expectNoPerfAttached(pid: number, timeoutMs = 5000): Promise<void> {
  await waitFor(`perf attached to ${pid} to exit (left: ${perfProcessesAttachedTo(pid).join(',')})`, () => perfProcessesAttachedTo(pid).length === 0, timeoutMs);
}

/** Interval times must grow within each stream. */
export function assertIncreasingPerStream(intervals: readonly Interval[]): void {
  const last = new Map<string, number>();
  for (const iv of intervals) {
    const k = iv.stream ?? '';
    const prev = last.get(k);
    if (prev !== undefined && !(iv.t > prev)) throw new Error(`stream ${k}: interval time ${iv.t} does not follow ${prev}`);
    last.set(k, iv.t);
  }
}
