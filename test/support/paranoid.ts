import { readFileSync, writeFileSync } from 'node:fs';
import { track } from './cleanup.ts';
import { HOST_CHANGES_SKIP, hostChangesAllowed } from './hostChanges.ts';

const PATH = '/proc/sys/kernel/perf_event_paranoid';

/**
 * Sets kernel.perf_event_paranoid for the duration of `fn` and restores the
 * previous value afterwards, also when the test process dies on the way.
 * Root is not affected by the setting, so other work on the machine goes on.
 */
export async function withParanoid<T>(level: number, fn: () => Promise<T>): Promise<T> {
  const before = readFileSync(PATH, 'utf8').trim();
  if (!hostChangesAllowed()) throw new Error(`withParanoid changes the whole host; ${HOST_CHANGES_SKIP}`);
  const untrack = track(`perf_event_paranoid (restore ${before})`, () => writeFileSync(PATH, before), { kind: 'sysctl', path: PATH, value: before });
  writeFileSync(PATH, String(level));
  try {
    return await fn();
  } finally {
    writeFileSync(PATH, before);
    untrack();
  }
}
