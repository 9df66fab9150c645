import type { HostRunner } from '../host/host.ts';
import { lastLines } from '../host/sshErrors.ts';
import { CounterError, type CounterReader, type CounterTotals, type NetdevSpec, type PortTotals } from './counterSource.ts';

/** Linux interface names: at most 15 characters, no '/', no whitespace; never '.', '..' or an option. */
const IFNAME = /^[A-Za-z0-9_][A-Za-z0-9_.:@+-]{0,14}$/;

const FILES = ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_dropped', 'tx_dropped', 'rx_missed_errors'] as const;

/** Prints each file's value on its own line, `-` for one that cannot be read; the paths come as "$@". */
const READ_SCRIPT = 'for f do v=$(cat "$f" 2>/dev/null) || v=-; echo "$v"; done';

export function validateInterfaceName(name: string): string {
  if (!IFNAME.test(name) || name === '.' || name === '..') {
    throw new CounterError(`interface name ${JSON.stringify(name)} is not a Linux interface name (up to 15 letters, digits and _ . : @ + -)`, false);
  }
  return name;
}

/** The statistics files read for the interfaces, in order. */
export function netdevPaths(interfaces: readonly string[]): string[] {
  return interfaces.flatMap((i) => FILES.map((f) => `/sys/class/net/${validateInterfaceName(i)}/statistics/${f}`));
}

/** The totals from the script's output: seven values per interface, `-` for a missing file. */
export function parseNetdevValues(interfaces: readonly string[], text: string): { ports: PortTotals[]; missing: string[] } {
  const lines = text.split('\n');
  const ports: PortTotals[] = [];
  const missing: string[] = [];
  interfaces.forEach((name, i) => {
    const v = FILES.map((_, k) => {
      const s = (lines[i * FILES.length + k] ?? '-').trim();
      return /^\d+$/.test(s) ? Number(s) : undefined;
    });
    if (v[0] === undefined || v[1] === undefined) {
      missing.push(name);
      return;
    }
    const n = (x: number | undefined) => x ?? 0;
    ports.push({ port: name, rx: v[0], tx: v[1], rxBytes: n(v[2]), txBytes: n(v[3]), dropped: n(v[4]) + n(v[5]) + n(v[6]) });
  });
  return { ports, missing };
}

/**
 * Linux interfaces' own statistics (kernel routers, tap/veth ports). The counts
 * are the kernel's view of each interface: rx is what the interface received.
 */
export async function openNetdev(host: HostRunner, spec: NetdevSpec, timeoutMs = 5000): Promise<CounterReader> {
  if (spec.interfaces.length === 0) throw new CounterError('no interface named for the Linux interface counters', false);
  const paths = netdevPaths(spec.interfaces);
  const where = host.remote ? ` on ${host.label}` : '';
  const reader: CounterReader = {
    spec,
    description: `Linux interfaces ${spec.interfaces.join(', ')}${where}`,
    async read(): Promise<CounterTotals> {
      const r = await host.run(['sh', '-c', READ_SCRIPT, 'vnf-lens', ...paths], { timeoutMs });
      if (r.exitCode !== 0) throw new CounterError(`cannot read interface statistics${where}: ${lastLines(r.stderr, 1) || `exit ${r.exitCode ?? r.signal}`}`);
      const { ports, missing } = parseNetdevValues(spec.interfaces, r.stdout);
      if (missing.length > 0) throw new CounterError(`no interface ${missing.join(', ')}${where} (ip link lists the interfaces)`);
      return { ports };
    },
    async close() {},
  };
  await reader.read();
  return reader;
}
