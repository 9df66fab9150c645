import type { ProcessEntry } from '../host/processes.ts';
import type { RouterKind } from '../host/routers.ts';
import { compileGlobMatcher, compileRegexMatcher } from './patterns.ts';
import type { RouterLabels } from './routerSource.ts';

/** Which processes of a host to export: a PID, an executable name (glob), a command-line glob or regex, or a router kind. */
export type TargetSpec = { pid: number } | { name: string } | { cmdline: string } | { match: string } | { router: RouterKind | 'any' };

export const ROUTER_KINDS: readonly (RouterKind | 'any')[] = ['fastclick', 'vpp', 'ovs', 'snabb', 'bess', 't4p4s', 'dpdk', 'any'];

/** A target ready to test processes against. */
export interface CompiledTarget {
  spec: TargetSpec;
  /** Patterns follow routers across restarts; a PID is one process. */
  pattern: boolean;
  test(p: ProcessEntry): boolean;
}

export function compileTarget(spec: TargetSpec): CompiledTarget {
  if ('pid' in spec) return { spec, pattern: false, test: (p) => p.pid === spec.pid };
  if ('name' in spec) {
    const matches = compileGlobMatcher(spec.name);
    return { spec, pattern: true, test: (p) => matches(executableName(p)) };
  }
  if ('cmdline' in spec) {
    const matches = compileGlobMatcher(spec.cmdline);
    return { spec, pattern: true, test: (p) => matches(p.commandLine) };
  }
  if ('match' in spec) {
    const matches = compileRegexMatcher(spec.match);
    return { spec, pattern: true, test: (p) => matches(p.commandLine) };
  }
  const kind = spec.router;
  return { spec, pattern: true, test: (p) => p.router !== undefined && (kind === 'any' || p.router.kind === kind) };
}

export function describeTargetSpec(spec: TargetSpec): string {
  if ('pid' in spec) return `pid ${spec.pid}`;
  if ('name' in spec) return `name ${JSON.stringify(spec.name)}`;
  if ('cmdline' in spec) return `command line ${JSON.stringify(spec.cmdline)}`;
  if ('match' in spec) return `command line /${spec.match}/`;
  return `router ${spec.router}`;
}

/**
 * The processes the targets select, each with the first target that selects it.
 * Kernel threads, perf itself and the `exclude` PIDs (the exporter) never match:
 * a broad pattern must not make the exporter count its own perf processes.
 */
export function selectProcesses(list: readonly ProcessEntry[], targets: readonly CompiledTarget[], exclude: ReadonlySet<number> = new Set()): Map<number, { process: ProcessEntry; target: number }> {
  const out = new Map<number, { process: ProcessEntry; target: number }>();
  for (const p of list) {
    if (p.kernelThread || exclude.has(p.pid) || executableName(p) === 'perf') continue;
    const i = targets.findIndex((t) => t.test(p));
    if (i >= 0) out.set(p.pid, { process: p, target: i });
  }
  return out;
}

export function labelsFor(host: string, p: ProcessEntry): RouterLabels {
  return { host, router: p.router?.kind ?? 'unknown', pid: String(p.pid), comm: executableName(p).slice(0, 64) || '?' };
}

/** The executable's base name from argv[0]. */
export function executableName(p: ProcessEntry): string {
  const a0 = p.argv[0] ?? '';
  return a0.slice(a0.lastIndexOf('/') + 1);
}
