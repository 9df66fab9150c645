import type { HostRunner } from '../host/host.ts';
import { CounterError, type CounterReader, type CounterTotals, type DpdkTelemetrySpec, type PortTotals } from './counterSource.ts';
import { isCount, shown } from './countCheck.ts';
import { HelperProcess } from './helperProcess.ts';

/** What decides where a DPDK process put its runtime folder. */
export interface DpdkProcessFacts {
  pid: number;
  argv: readonly string[];
  /** Real uid of the process. */
  uid?: number;
  /** Its environment, when readable (`/proc/PID/environ` is private to its user and root). */
  env?: Record<string, string>;
  /** Its working folder, when readable (relative config paths are relative to it). */
  cwd?: string;
}

/** Later instances sharing a prefix listen on `…v2:1`, `…v2:2`, …; the greeting's pid tells them apart. */
const INSTANCES = 4;

/**
 * The telemetry socket candidates of a DPDK process, as EAL names them:
 * `<runtime>/dpdk/<file-prefix>/dpdk_telemetry.v2[:N]`, where `<runtime>` is
 * `$RUNTIME_DIRECTORY`, else `/var/run` for root, else `$XDG_RUNTIME_DIR` or `/tmp`.
 * Undefined when the process runs without telemetry.
 */
export function dpdkTelemetrySpec(p: DpdkProcessFacts): DpdkTelemetrySpec | undefined {
  const eal = ealArgs(p.argv);
  if (eal.includes('--no-telemetry')) return undefined;
  const prefix = optionValue(eal, '--file-prefix') ?? 'rte';
  const dirs: string[] = [];
  const env = p.env;
  if (env?.['RUNTIME_DIRECTORY']) dirs.push(env['RUNTIME_DIRECTORY']);
  else if (p.uid === 0) dirs.push('/var/run');
  else if (env !== undefined) dirs.push(env['XDG_RUNTIME_DIR'] || '/tmp');
  else {
    // The environment is private: try where it would be for this user, then the rest.
    if (p.uid !== undefined) dirs.push(`/run/user/${p.uid}`);
    dirs.push('/tmp', '/var/run');
  }
  const spec: DpdkTelemetrySpec = { kind: 'dpdk-telemetry', filePrefix: prefix, socketPaths: socketPaths(dirs, prefix), pid: p.pid };
  const taps = tapInterfaces(eal);
  if (taps.length > 0) spec.tapInterfaces = taps;
  return spec;
}

/** `--vdev=net_tapN,iface=NAME` (or `--vdev net_tap…`), in the order given: DPDK numbers vdev ports so. */
export function tapInterfaces(eal: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < eal.length; i++) {
    const a = eal[i]!;
    const v = a.startsWith('--vdev=') ? a.slice(7) : a === '--vdev' ? eal[i + 1] : undefined;
    if (v === undefined || !/^net_tap\d*(,|$)/.test(v)) continue;
    const m = /(?:^|,)iface=([A-Za-z0-9_.:@+-]{1,15})(?:,|$)/.exec(v);
    if (m) out.push(m[1]!);
  }
  return out;
}

/**
 * Candidates for a prefix named by the user: the router may run as another user than
 * the process perf attaches to, so every usual runtime folder is tried.
 */
export function dpdkTelemetrySpecForPrefix(prefix: string, near: { uid?: number; env?: Record<string, string> }): DpdkTelemetrySpec {
  const dirs = [near.env?.['RUNTIME_DIRECTORY'], near.env?.['XDG_RUNTIME_DIR'], '/var/run', near.uid !== undefined && near.uid !== 0 ? `/run/user/${near.uid}` : undefined, '/tmp'];
  const unique = [...new Set(dirs.filter((d): d is string => d !== undefined && d !== ''))];
  return { kind: 'dpdk-telemetry', filePrefix: prefix, socketPaths: socketPaths(unique, prefix) };
}

function socketPaths(dirs: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const base = `${d.replace(/\/+$/, '')}/dpdk/${prefix}/dpdk_telemetry.v2`;
    out.push(base);
    for (let i = 1; i < INSTANCES; i++) out.push(`${base}:${i}`);
  }
  return out;
}

/** EAL options come before the first `--` (the application's own after it). */
function ealArgs(argv: readonly string[]): readonly string[] {
  const args = argv.slice(1);
  const dd = args.indexOf('--');
  return dd < 0 ? args : args.slice(0, dd);
}

function optionValue(args: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === name && i + 1 < args.length) v = args[++i];
    else if (a.startsWith(name + '=')) v = a.slice(name.length + 1);
  }
  return v;
}

const DROP_KEYS = ['imissed', 'ierrors', 'oerrors', 'rx_nombuf'] as const;

/**
 * One port's totals from `/ethdev/stats,N`: drops are missed + errors + no mbuf.
 * A value that is not a count (negative, fractional, 2^53 or more, a text) goes to
 * `problems` with what it was, and counts as 0 in a reading that is then not used.
 */
export function ethdevTotals(port: string, s: unknown, problems: string[] = []): PortTotals {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    problems.push(`port ${port}: /ethdev/stats gave ${shown(s)}, not statistics`);
    return { port, rx: 0, tx: 0, dropped: 0 };
  }
  const st = s as Record<string, unknown>;
  const value = (k: string, required: boolean): number | undefined => {
    const x = st[k];
    if (x === undefined || x === null) {
      if (required) problems.push(`port ${port} ${k} is missing from /ethdev/stats`);
      return undefined;
    }
    if (!isCount(x)) {
      problems.push(`port ${port} ${k} is ${shown(x)}, not a count (a whole number from 0 to 2^53)`);
      return undefined;
    }
    return x;
  };
  const out: PortTotals = { port, rx: value('ipackets', true) ?? 0, tx: value('opackets', true) ?? 0, dropped: DROP_KEYS.reduce((a, k) => a + (value(k, false) ?? 0), 0) };
  const rxBytes = value('ibytes', false);
  const txBytes = value('obytes', false);
  if (rxBytes !== undefined) out.rxBytes = rxBytes;
  if (txBytes !== undefined) out.txBytes = txBytes;
  return out;
}

/** The kernel's drops at each tap go to the port of that tap (ports in id order, as the vdevs were given). */
export function addTapDrops(ports: PortTotals[], taps: readonly string[], drops: Record<string, unknown>, problems: string[] = []): void {
  const byId = [...ports].sort((a, b) => Number(a.port) - Number(b.port));
  taps.forEach((t, i) => {
    const n = drops[t];
    if (n === undefined) return;
    if (!isCount(n)) {
      problems.push(`tap ${t} tx_dropped is ${shown(n)}, not a count`);
      return;
    }
    const p = byId[i];
    if (p) p.dropped += n;
    else ports.push({ port: t, rx: 0, tx: 0, dropped: n });
  });
}

/**
 * Reads a DPDK process's telemetry socket through the python3 helper on its host.
 * The helper keeps one connection and opens it again after the router restarted
 * (socket gone and back), so a reader outlives its router.
 */
export async function openDpdkTelemetry(host: HostRunner, spec: DpdkTelemetrySpec, timeoutMs = 5000, onAsking: () => void = () => {}): Promise<CounterReader> {
  const taps = (spec.tapInterfaces ?? []).map((t) => `--tap=${t}`);
  const helper = await HelperProcess.start(host, ['dpdk', spec.pid === undefined ? '-' : String(spec.pid), ...spec.socketPaths, ...taps], 'DPDK telemetry');
  onAsking();
  let path: string | undefined;
  const reader: CounterReader = {
    spec,
    get description() {
      return `DPDK telemetry ${path ?? `(prefix ${spec.filePrefix})`}${host.remote ? ` on ${host.label}` : ''}`;
    },
    async read(): Promise<CounterTotals> {
      let a: Record<string, unknown>;
      try {
        a = await helper.request({ op: 'read' }, timeoutMs);
      } catch (e) {
        throw e instanceof CounterError ? new CounterError(`DPDK telemetry (prefix ${spec.filePrefix}): ${e.message}`, e.transient, e.closedByRouter) : e;
      }
      if (typeof a['path'] === 'string') path = a['path'];
      const problems: string[] = [];
      const ports = Object.entries((a['ports'] ?? {}) as Record<string, unknown>).map(([id, s]) => ethdevTotals(id, s, problems));
      addTapDrops(ports, spec.tapInterfaces ?? [], (a['taps'] ?? {}) as Record<string, unknown>, problems);
      return problems.length > 0 ? { ports, problems } : { ports };
    },
    async close() {
      helper.close();
      await helper.done;
    },
  };
  try {
    await reader.read();
  } catch (e) {
    await reader.close();
    throw e;
  }
  return reader;
}
