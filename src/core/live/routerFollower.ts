import { type IdentifiedRevision, identifyRevision } from '../revisions/identify.ts';
import { LiveError } from '../host/errors.ts';
import type { HostRunner } from '../host/host.ts';
import { readCmdlinesWithScript, readLocalCmdlines } from '../host/processes.ts';
import { type FoundProcess, type RouterIdentity, findRouterProcesses, routerIdentity } from './routerIdentity.ts';

export interface FollowedProcess {
  identity: RouterIdentity;
  revision: IdentifiedRevision;
}

/** The identity of a running process and what identifies its revision (config hashes, build-id, git commit). */
export async function identifyProcess(host: HostRunner, pid: number, gitDir?: string, known?: string[]): Promise<FollowedProcess> {
  const argv = known ?? (host.remote ? await readCmdlinesWithScript(host, [pid]) : await readLocalCmdlines([pid])).get(pid);
  if (argv === undefined) throw new LiveError('no-such-process', `cannot read the command line of process ${pid} on ${host.label}: it exited, or is not ours to read`);
  const identity = routerIdentity(host.label, argv);
  return { identity, revision: await identifyRevision(host, pid, argv, identity.configFiles, gitDir) };
}

export interface WaitOptions {
  timeoutMs: number;
  /** How often to look: half an interval, so the router is found within two. */
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  /** True once the session stops: the wait ends without a process. */
  cancelled: () => boolean;
}

/**
 * Waits for a process with the router's identity to appear; its PID and argv, or undefined
 * when none did within the timeout (or the session stopped). A failing look (ps over
 * a dropped connection) is thrown to the caller.
 */
export async function waitForRouter(host: HostRunner, id: RouterIdentity, exclude: ReadonlySet<number>, o: WaitOptions): Promise<FoundProcess | undefined> {
  const until = Date.now() + o.timeoutMs;
  for (;;) {
    if (o.cancelled()) return undefined;
    const found = await findRouterProcesses(host, id, exclude);
    if (found.length > 0) return found[0];
    if (Date.now() >= until) return undefined;
    await o.sleep(Math.min(o.pollMs, Math.max(0, until - Date.now())));
  }
}

/** What looking for a restarted router came to. */
export type RestartOutcome = { kind: 'found'; pid: number; next: FollowedProcess } | { kind: 'gone' } | { kind: 'cancelled' } | { kind: 'failed'; error: Error };

/** Waits for the router to start again (waitForRouter) and identifies the new process's revision. */
export async function findRestarted(host: HostRunner, id: RouterIdentity, exclude: ReadonlySet<number>, o: WaitOptions, gitDir?: string): Promise<RestartOutcome> {
  try {
    const found = await waitForRouter(host, id, exclude, o);
    if (o.cancelled()) return { kind: 'cancelled' };
    if (found === undefined) return { kind: 'gone' };
    const next = await identifyProcess(host, found.pid, gitDir, found.argv);
    return o.cancelled() ? { kind: 'cancelled' } : { kind: 'found', pid: found.pid, next };
  } catch (e) {
    return { kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) };
  }
}
