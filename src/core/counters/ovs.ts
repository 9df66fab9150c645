import type { HostRunner } from '../host/host.ts';
import { lastLines } from '../host/sshErrors.ts';
import { MAX_OUTPUT_CHARS, shown } from './countCheck.ts';
import { CounterError, type CounterReader, type CounterTotals, type OvsSpec, type PortTotals } from './counterSource.ts';

/** Port types that are the switch's own (the datapath port, bridge-local ports), not traffic ports. */
const OWN_PORT_TYPES = new Set(['tap', 'internal']);

/**
 * Reads `ovs-appctl dpctl/show -s`: per datapath its ports, `port N: NAME (TYPE…)`,
 * each followed by `RX packets:N errors:N dropped:N overruns:N frame:N`,
 * `TX packets:N errors:N dropped:N aborted:N carrier:N`, `collisions:N` and
 * `RX bytes:N (…)  TX bytes:N (…)`; `?` stands for a count the port does not keep.
 * The switch's own ports (type tap or internal) are left out.
 */
export function parseOvsDpctlShow(text: string, problems: string[] = []): PortTotals[] {
  const out: PortTotals[] = [];
  let cur: PortTotals | undefined;
  for (const line of text.split('\n')) {
    const port = /^\s*port (\d+): (\S+)(?: \(([^:)\s]+)[^)]*\))?/.exec(line);
    if (port) {
      const type = port[3] ?? 'system';
      cur = OWN_PORT_TYPES.has(type) ? undefined : { port: port[2]!, rx: 0, tx: 0, dropped: 0 };
      if (cur) out.push(cur);
      continue;
    }
    if (!cur) continue;
    const p = cur;
    const f = fields(line);
    // `?` is a count the port does not keep (0 for drops and errors); anything else that is not digits is a problem, never a 0.
    const used = (key: string, required: boolean): number => {
      const v = f[key];
      if (v === undefined || (v === '?' && !required)) return 0;
      if (/^\d+$/.test(v)) return Number(v);
      problems.push(`port ${p.port} ${key} is ${shown(v)}, not a count`);
      return 0;
    };
    if (/^\s*RX packets:/.test(line)) {
      p.rx = used('RX packets', true);
      p.dropped += used('dropped', false) + used('errors', false);
    } else if (/^\s*TX packets:/.test(line)) {
      p.tx = used('TX packets', true);
      p.dropped += used('dropped', false) + used('errors', false);
    } else if (/^\s*RX bytes:/.test(line)) {
      if (f['RX bytes'] !== undefined && f['RX bytes'] !== '?') p.rxBytes = used('RX bytes', true);
      if (f['TX bytes'] !== undefined && f['TX bytes'] !== '?') p.txBytes = used('TX bytes', true);
    }
  }
  return out;
}

/** `Key:value` pairs of a line, values as written (`123`, `?`, or whatever the switch printed). */
function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/([A-Za-z][A-Za-z ]*?):(\S*)/g)) out[m[1]!.trim()] = m[2]!;
  return out;
}

export interface OvsPmdStats {
  /** `pmd thread numa_id 0 core_id 2` or `main thread`. */
  thread: string;
  packetsReceived?: number;
  avgCyclesPerPacket?: number;
  avgProcessingCyclesPerPacket?: number;
}

/** Reads `ovs-appctl dpif-netdev/pmd-stats-show`: per PMD thread its packets and cycles per packet. */
export function parseOvsPmdStats(text: string): OvsPmdStats[] {
  const out: OvsPmdStats[] = [];
  let cur: OvsPmdStats | undefined;
  for (const line of text.split('\n')) {
    const head = /^(pmd thread .*|main thread):\s*$/.exec(line.trim());
    if (head) {
      cur = { thread: head[1]! };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const m = /^\s*(packets received|avg cycles per packet|avg processing cycles per packet):\s*([\d.]+)/.exec(line);
    if (!m) continue;
    const v = Number(m[2]);
    if (m[1] === 'packets received') cur.packetsReceived = v;
    else if (m[1] === 'avg cycles per packet') cur.avgCyclesPerPacket = v;
    else cur.avgProcessingCyclesPerPacket = v;
  }
  return out;
}

/** Open vSwitch's port counters through `ovs-appctl dpctl/show -s` on the host. */
export async function openOvs(host: HostRunner, spec: OvsSpec, timeoutMs = 5000): Promise<CounterReader> {
  const argv = ['ovs-appctl', 'dpctl/show', '-s'];
  const where = host.remote ? ` on ${host.label}` : '';
  const reader: CounterReader = {
    spec,
    description: `ovs-appctl dpctl/show -s${where}`,
    async read(): Promise<CounterTotals> {
      const r = await host.run(argv, { timeoutMs });
      if (r.notFound || r.exitCode === 127) throw new CounterError(`ovs-appctl is not installed${where}; Open vSwitch's counters are read with it`, false);
      if (r.exitCode !== 0) throw new CounterError(`ovs-appctl dpctl/show -s${where} failed: ${lastLines(r.stderr, 1) || `exit ${r.exitCode ?? r.signal}`}`);
      if (r.stdout.length > MAX_OUTPUT_CHARS) return { ports: [], problems: [`ovs-appctl dpctl/show -s${where} printed over ${MAX_OUTPUT_CHARS >> 20} MiB`] };
      // Each datapath starts with `NAME@TYPE:` (system@ovs-system, netdev@ovs-netdev); without one it is not the listing.
      if (!/^\S+@\S+:\s*$/m.test(r.stdout)) return { ports: [], problems: [`ovs-appctl dpctl/show -s${where} printed no datapath (it said ${shown(r.stdout.trim())})`] };
      const problems: string[] = [];
      const ports = parseOvsDpctlShow(r.stdout, problems);
      return problems.length > 0 ? { ports, problems } : { ports };
    },
    async close() {},
  };
  await reader.read();
  return reader;
}
