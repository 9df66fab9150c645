import type { HostRunner } from '../host/host.ts';
import { recognizeRouter } from '../host/routers.ts';
import type { ClickSpec, CounterSpec, VppSpec } from './counterSource.ts';
import { type DpdkProcessFacts, dpdkTelemetrySpec } from './dpdkTelemetry.ts';

/**
 * uid, the runtime-folder variables of its environment (when readable) and the
 * exact argv of a process, in one round trip; the pid comes as $1.
 */
const FACTS_SCRIPT = [
  `sed -n 's/^Uid:[[:space:]]*\\([0-9]*\\).*/uid=\\1/p' "/proc/$1/status" 2>/dev/null`,
  `if [ -r "/proc/$1/environ" ]; then echo env=readable; tr '\\000' '\\n' < "/proc/$1/environ" 2>/dev/null | grep -E '^(RUNTIME_DIRECTORY|XDG_RUNTIME_DIR)=' | sed 's/^/env:/'; fi`,
  `printf 'argv='; tr '\\000' '\\037' < "/proc/$1/cmdline" 2>/dev/null; echo`,
  `printf 'cwd=%s\\n' "$(readlink "/proc/$1/cwd" 2>/dev/null)"`,
  'exit 0',
].join('; ');

/** What decides a process's counter source, read from the host. */
export async function readProcessFacts(host: HostRunner, pid: number): Promise<DpdkProcessFacts> {
  const r = await host.run(['sh', '-c', FACTS_SCRIPT, 'vnf-lens', String(pid)], { timeoutMs: 10_000 });
  return parseProcessFacts(pid, r.stdout);
}

export function parseProcessFacts(pid: number, text: string): DpdkProcessFacts {
  const facts: DpdkProcessFacts = { pid, argv: [] };
  for (const line of text.split('\n')) {
    if (line.startsWith('uid=') && /^\d+$/.test(line.slice(4))) facts.uid = Number(line.slice(4));
    else if (line === 'env=readable') facts.env ??= {};
    else if (line.startsWith('env:')) {
      const eq = line.indexOf('=');
      (facts.env ??= {})[line.slice(4, eq)] = line.slice(eq + 1);
    } else if (line.startsWith('cwd=') && line.length > 4) facts.cwd = line.slice(4);
    else if (line.startsWith('argv=')) {
      const argv = line.slice(5).split('\x1f');
      if (argv[argv.length - 1] === '') argv.pop();
      facts.argv = argv;
    }
  }
  return facts;
}

/**
 * The counter source a router process publishes, from its command line: DPDK
 * applications (testpmd, FastClick --dpdk, t4p4s, …) their telemetry socket,
 * VPP its CLI, Click its ControlSocket, OVS ovs-appctl. Undefined when it has none.
 */
export function counterSpecFor(p: DpdkProcessFacts): CounterSpec | undefined {
  const router = recognizeRouter(p.argv);
  if (!router) return undefined;
  switch (router.kind) {
    case 'vpp':
      return vppSpec(p.argv);
    case 'ovs':
      return { kind: 'ovs' };
    case 'fastclick':
      if (p.argv.includes('--dpdk')) return dpdkTelemetrySpec(p);
      return clickSpec(p.argv);
    case 'dpdk':
    case 't4p4s':
      return dpdkTelemetrySpec(p);
    default:
      return undefined;
  }
}

/** VPP's CLI socket: `unix { cli-listen PATH }` on an inline command line; the default otherwise. */
function vppSpec(argv: readonly string[]): VppSpec {
  const m = /\bcli-listen\s+([^\s{}]+)/.exec(argv.slice(1).join(' '));
  if (m && m[1]!.startsWith('/')) return { kind: 'vpp', cliSocket: m[1]! };
  return { kind: 'vpp' };
}

/** Click's own options open a ControlSocket: `-p PORT` (TCP) or `-u PATH` (Unix). */
function clickSpec(argv: readonly string[]): ClickSpec | undefined {
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const val = (long: string) => (a.startsWith(long + '=') ? a.slice(long.length + 1) : undefined);
    const port = (a === '-p' || a === '--port') && next !== undefined ? next : val('--port');
    if (port !== undefined && /^\d{1,5}$/.test(port)) return { kind: 'click', address: `tcp:127.0.0.1:${port}` };
    const unix = (a === '-u' || a === '--unix-socket') && next !== undefined ? next : val('--unix-socket');
    if (unix !== undefined && unix !== '') return { kind: 'click', address: `unix:${unix}` };
  }
  return undefined;
}

/**
 * The ControlSocket a Click configuration declares: `ControlSocket(TCP, 7777)` or
 * `ControlSocket(unix, /run/click.sock)` (the type may be quoted, any case).
 */
export function controlSocketFromConfig(text: string): ClickSpec | undefined {
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const m = /\bControlSocket\s*\(\s*"?(tcp|unix)"?\s*,\s*"?([^,")\s]+)"?/i.exec(noComments);
  if (!m) return undefined;
  if (m[1]!.toLowerCase() === 'tcp') return /^\d{1,5}$/.test(m[2]!) ? { kind: 'click', address: `tcp:127.0.0.1:${m[2]}` } : undefined;
  return { kind: 'click', address: `unix:${m[2]}` };
}

/** Click without -p/-u: the ControlSocket of its configuration file, read from the host (at most 1 MiB). */
export async function clickSpecFromConfig(host: HostRunner, argv: readonly string[], cwd: string | undefined): Promise<ClickSpec | undefined> {
  const file = recognizeRouter(argv)?.configFiles[0];
  if (file === undefined || file.includes('\0')) return undefined;
  const path = file.startsWith('/') || cwd === undefined ? file : `${cwd}/${file}`;
  const r = await host.run(['head', '-c', '1048576', '--', path], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) return undefined;
  return controlSocketFromConfig(r.stdout);
}

/** A short name of the counter source for `ps`, from the command line alone. */
export function counterSourceLabel(argv: readonly string[]): string | undefined {
  const spec = counterSpecFor({ pid: 0, argv, uid: 0 });
  if (!spec) return undefined;
  switch (spec.kind) {
    case 'dpdk-telemetry':
      return `dpdk-telemetry:${spec.filePrefix}`;
    case 'vpp':
      return spec.cliSocket !== undefined ? `vppctl:${spec.cliSocket}` : 'vppctl';
    case 'click':
      return `click:${spec.address}`;
    case 'ovs':
      return 'ovs-appctl';
    case 'netdev':
      return `netdev:${spec.interfaces.join(',')}`;
  }
}
