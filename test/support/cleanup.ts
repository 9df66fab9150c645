/**
 * Last-resort cleanup for the real parts the integration tests start (sshd,
 * dpdk-testpmd, a test user, a changed sysctl): every resource registers a
 * synchronous undo that runs when the test process exits, however it exits.
 * Tests still stop things themselves; this only catches what a failure left.
 */
import { type Leftover, noteLeftover, reapLeftovers } from './leftovers.ts';

const undo = new Map<number, { what: string; fn: () => void }>();
let next = 0;
let installed = false;

/**
 * Registers an undo for the exit of this process. With `leftover`, the resource is
 * also noted on disk, so that a later run undoes it if this one is killed outright.
 */
export function track(what: string, fn: () => void, leftover?: Leftover | Leftover[]): () => void {
  install();
  const id = next++;
  const notes = (Array.isArray(leftover) ? leftover : leftover ? [leftover] : []).map((l) => noteLeftover(what, l));
  const forget = () => notes.forEach((f) => f());
  undo.set(id, {
    what,
    fn: () => {
      fn();
      forget();
    },
  });
  return () => {
    undo.delete(id);
    forget();
  };
}

export function runAllCleanups(): void {
  const items = [...undo.values()].reverse();
  undo.clear();
  for (const { what, fn } of items) {
    try {
      fn();
    } catch (e) {
      process.stderr.write(`cleanup of ${what} failed: ${(e as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  reapLeftovers();
  process.on('exit', runAllCleanups);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      runAllCleanups();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Kills a process we started, ignoring that it may be gone already. */
export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
