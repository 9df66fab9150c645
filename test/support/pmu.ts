import { spawnSync } from 'node:child_process';

/**
 * Whether perf on this machine counts an event, asked of perf itself (`perf stat -e
 * EVENT -- true`), so live tests assert what this host's perf reports instead of
 * assuming a host without a hardware PMU.
 */
export function perfCounts(event: string): boolean {
  const r = spawnSync('perf', ['stat', '-x', ',', '-e', event, '--', 'true'], { encoding: 'utf8', timeout: 20_000 });
  const line = (r.stderr ?? '').split('\n').find((l) => l.split(',')[2] === event || l.split(',')[3] === event);
  return line !== undefined && !line.startsWith('<');
}
