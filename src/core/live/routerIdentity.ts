import { LiveError } from './errors.ts';
import type { HostRunner } from './host.ts';
import { readCmdlinesWithScript, readLocalCmdlines } from './processes.ts';
import { recognizeRouter } from './routers.ts';
import { lastLines } from './sshErrors.ts';

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

/** Lists PIDs and ps's view of their arguments (the exact argv is read after, for candidates only). */
const PS_ARGV = ['ps', '-e', '-ww', '-o', 'pid=,args='];

/**
 * Processes on the host that are this router, newest (highest PID) first, without
 * those in `exclude` (the old process, the session's other streams). The candidates
 * are picked from ps by their executable's name, then matched on the exact argv
 * from /proc, so arguments with spaces cannot confuse the match.
 */
export async function findRouterProcesses(host: HostRunner, id: RouterIdentity, exclude: ReadonlySet<number>): Promise<number[]> {
  const r = await host.run(PS_ARGV, { timeoutMs: 10_000 });
  if (r.exitCode !== 0) throw new LiveError('command-failed', `cannot list processes on ${host.label} to find the restarted router: ps ${r.notFound ? 'is not installed' : `failed (${lastLines(r.stderr, 2) || `exit ${r.exitCode ?? r.signal}`})`}`);
  const name = baseName(id.exe);
  const candidates: number[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!exclude.has(pid) && baseName(m[2]!) === name) candidates.push(pid);
  }
  if (candidates.length === 0) return [];
  const argvs = host.remote ? await readCmdlinesWithScript(host, candidates) : await readLocalCmdlines(candidates);
  return candidates.filter((pid) => sameRouter(id, argvs.get(pid) ?? [])).sort((a, b) => b - a);
}

function baseName(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash < 0 ? p : p.slice(slash + 1);
}
