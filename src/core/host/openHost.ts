import type { HostRunner } from './host.ts';
import { LocalHost } from './localHost.ts';
import { SshHost } from './sshHost.ts';
import { type Target, validateTarget } from './target.ts';

/** A runner for the target, connected (for ssh: the master connection is up). */
export async function openHost(target: Target, abort?: AbortSignal): Promise<HostRunner> {
  validateTarget(target);
  const host: HostRunner = target.kind === 'local' ? new LocalHost(target, abort) : new SshHost(target, abort);
  try {
    await host.connect();
  } catch (e) {
    await host.close();
    throw e;
  }
  return host;
}

/** Runs `fn` with a host: the given one, or one opened for the target and closed afterwards. */
export async function withHost<T>(where: Target | HostRunner, fn: (host: HostRunner) => Promise<T>, abort?: AbortSignal): Promise<T> {
  if ('run' in where) return fn(where);
  const host = await openHost(where, abort);
  try {
    return await fn(host);
  } finally {
    await host.close();
  }
}
