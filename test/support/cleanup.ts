/**
 * Last-resort cleanup for the real parts the integration tests start (sshd,
 * dpdk-testpmd, a test user, a changed sysctl): every resource registers a
 * synchronous undo that runs when the test process exits, however it exits.
 * Tests still stop things themselves; this only catches what a failure left.
 */
const undo = new Map<number, { what: string; fn: () => void }>();
let next = 0;
let installed = false;

export function track(what: string, fn: () => void): () => void {
  install();
  const id = next++;
  undo.set(id, { what, fn });
  return () => {
    undo.delete(id);
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
