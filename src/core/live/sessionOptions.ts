import { parseCounterChoice } from '../counters/sessionCounters.ts';
import { LiveError } from '../host/errors.ts';
import { DEFAULT_EVENTS, parseEventList } from './events.ts';
import { parseIdList, validateInterval } from './perfCommand.ts';
import type { LiveSessionOptions } from './session.ts';
import { targetFromOptions } from '../host/target.ts';

/** Session settings as text, as they come from a command line or editor settings. */
export interface SessionOptionText {
  local?: boolean;
  ssh?: string;
  sshConfig?: string;
  perf?: string;
  pid?: string;
  tid?: string;
  interval?: string;
  events?: string;
  duration?: string;
  out?: string;
  tags?: string[];
  /** `--counters`: auto (default), none, or a named source. */
  counters?: string;
  /** `--no-router-counters`. */
  noRouterCounters?: boolean;
  /** `--restart-timeout S`: how long to wait for an exited router to start again (0: do not follow). */
  restartTimeout?: string;
}

/** Seconds a session waits for an exited router to come back, unless told otherwise. */
export const DEFAULT_RESTART_TIMEOUT_S = 30;

/** Checks and converts every option; the first bad one is reported with what it should be. */
export function sessionOptionsFromText(o: SessionOptionText): LiveSessionOptions {
  const target = targetFromOptions(o);
  const opts: LiveSessionOptions = { target };
  if (o.pid !== undefined) opts.pids = parseIdList(o.pid, 'PID');
  if (o.tid !== undefined) opts.tids = parseIdList(o.tid, 'TID');
  if (opts.pids === undefined && opts.tids === undefined) throw new LiveError('invalid-spec', 'give the router process to attach to: --pid PID[,PID…] (find it with vnf-lens ps)');
  if (o.interval !== undefined) {
    if (!/^\d+$/.test(o.interval)) throw new LiveError('invalid-spec', `--interval ${JSON.stringify(o.interval)} must be a whole number of milliseconds`);
    opts.intervalMs = validateInterval(Number(o.interval));
  }
  opts.events = o.events !== undefined ? parseEventList(o.events) : DEFAULT_EVENTS;
  if (o.duration !== undefined) {
    const s = /^\d+(\.\d+)?$/.test(o.duration) ? Number(o.duration) : NaN;
    if (!(s > 0 && Number.isFinite(s))) throw new LiveError('invalid-spec', `--duration ${JSON.stringify(o.duration)} must be a positive number of seconds`);
    opts.durationMs = Math.round(s * 1000);
  }
  if (o.out !== undefined) opts.recordTo = o.out;
  const restart = o.restartTimeout ?? String(DEFAULT_RESTART_TIMEOUT_S);
  if (!/^\d+(\.\d+)?$/.test(restart) || !Number.isFinite(Number(restart))) {
    throw new LiveError('invalid-spec', `--restart-timeout ${JSON.stringify(restart)} must be a number of seconds (0: end when the router exits)`);
  }
  if (Number(restart) > 0) {
    opts.restartTimeoutMs = Math.round(Number(restart) * 1000);
    // Revisions record the commit of the folder the command runs in, when it is a git work tree.
    opts.gitDir = process.cwd();
  }
  if (o.noRouterCounters && o.counters !== undefined && o.counters !== 'none') throw new LiveError('invalid-spec', 'give either --no-router-counters or --counters, not both');
  if (o.noRouterCounters) opts.routerCounters = 'off';
  else if (o.counters !== undefined) {
    try {
      opts.routerCounters = parseCounterChoice(o.counters);
    } catch (e) {
      throw new LiveError('invalid-spec', (e as Error).message);
    }
  }
  if (o.tags && o.tags.length > 0) {
    const tags: Record<string, string> = {};
    for (const t of o.tags) {
      const eq = t.indexOf('=');
      if (eq <= 0) throw new LiveError('invalid-spec', `--tag ${JSON.stringify(t)} must be KEY=VALUE (e.g. traffic=64B)`);
      tags[t.slice(0, eq)] = t.slice(eq + 1);
    }
    opts.tags = tags;
  }
  return opts;
}
