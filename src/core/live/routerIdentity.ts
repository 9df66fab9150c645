import { LiveError } from '../host/errors.ts';
import type { HostRunner } from '../host/host.ts';
import { parseCmdlineDump } from '../host/processes.ts';
import { recognizeRouter } from '../host/routers.ts';
import { lastLines } from '../host/sshErrors.ts';

/**
 * What a router is, apart from its PID: the host it runs on, its exact command line,
 * its executable and the config files that command line names. A restarted router is
 * a new process with the same identity.
 */
export interface RouterIdentity {
  host: string;
  argv: string[];
  /** argv[0] as given (a path or a name on PATH). */
  exe: string;
  configFiles: string[];
}

export function routerIdentity(host: string, argv: readonly string[]): RouterIdentity {
  if (argv.length === 0) throw new LiveError('invalid-spec', `cannot follow a process without a command line on ${host} (a kernel thread, or one that cleared its arguments)`);
  return { host, argv: [...argv], exe: argv[0]!, configFiles: recognizeRouter(argv)?.configFiles ?? [] };
}

/**
 * True when `argv` is the same router as `id`. The same command line always is. A
 * different one is when it runs the same executable on the same config files (a
 * restart with another core list or log level): a router is its binary and its config.
 * Without config files only the exact command line counts, so that one of several
 * `dpdk-testpmd` instances never takes another's place.
 */
export function sameRouter(id: RouterIdentity, argv: readonly string[]): boolean {
  if (argv.length === id.argv.length && argv.every((a, i) => a === id.argv[i])) return true;
  if (argv[0] !== id.exe || id.configFiles.length === 0) return false;
  const files = recognizeRouter(argv)?.configFiles ?? [];
  return files.length === id.configFiles.length && files.every((f, i) => f === id.configFiles[i]);
}

/**
 * Prints, for each process whose executable's name (ps's first word, without its folder)
 * is $1, a line `P<pid>` and the bytes of its /proc/PID/cmdline in hex: one round trip
 * per look, and only hex digits besides those lines, so no process can forge a record
 * through its arguments (as processes.ts's CMDLINE_SCRIPT).
 */
const FIND_SCRIPT =
  'n=$1; for p in $(ps -e -ww -o pid=,args= | awk -v n="$n" \'{c=$2; sub(/.*\\//, "", c); if (c == n) print $1}\'); do ' +
  'echo "P$p"; od -An -v -tx1 "/proc/$p/cmdline" 2>/dev/null; done; exit 0';

export interface FoundProcess {
  pid: number;
  argv: string[];
}

/**
 * Processes on the host that are this router, newest (highest PID) first, without
 * those in `exclude` (the old process, the session's other streams). Candidates are
 * found by their executable's name, then matched on their exact argv from /proc, so
 * arguments with spaces cannot confuse the match.
 */
export async function findRouterProcesses(host: HostRunner, id: RouterIdentity, exclude: ReadonlySet<number>): Promise<FoundProcess[]> {
  const name = baseName(id.exe);
  const r = await host.run(['sh', '-c', FIND_SCRIPT, 'vnf-lens', name], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) throw new LiveError('command-failed', `cannot list processes on ${host.label} to find the restarted router (exit ${r.exitCode ?? r.signal}${r.stderr.trim() ? `: ${lastLines(r.stderr, 2)}` : ''})`);
  const found: FoundProcess[] = [];
  for (const [pid, argv] of parseCmdlineDump(r.stdout)) if (!exclude.has(pid) && sameRouter(id, argv)) found.push({ pid, argv });
  return found.sort((a, b) => b.pid - a.pid);
}

function baseName(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash < 0 ? p : p.slice(slash + 1);
}
