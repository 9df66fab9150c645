import type { HostRunner } from '../host/host.ts';
import { lastLines } from '../host/sshErrors.ts';
import { MAX_OUTPUT_CHARS, shown } from './countCheck.ts';
import { CounterError, type CounterReader, type CounterTotals, type PortTotals, type VppSpec } from './counterSource.ts';

/** Counters of `show interface` that are drops of one kind or another. */
const DROP_COUNTERS = new Set(['drops', 'rx-miss', 'rx-no-buf', 'rx-error', 'tx-error']);

/**
 * Reads `vppctl show interface`: a header, then per interface a row with its name,
 * index, state (and MTU in newer versions) and its first counter, then one indented
 * row per further counter (`rx packets 6569213`). Interfaces without traffic have no
 * counters. `local0` (VPP's placeholder) is left out.
 */
export function parseVppShowInterface(text: string, problems: string[] = []): PortTotals[] {
  const ports = new Map<string, PortTotals>();
  let cur: PortTotals | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '' || /^\s*Name\s+Idx\s/.test(line)) continue;
    let rest: string;
    if (!/^\s/.test(line)) {
      // `Name Idx State [MTU] [counter value]`: the counter starts after the state (and MTU).
      const m = /^(\S+)\s+(\d+)\s+(up|down|bond-slave|\S+)\s*(?:(\d+\/\d+\/\d+\/\d+)\s*)?(.*)$/.exec(line);
      if (!m) {
        cur = undefined;
        continue;
      }
      const name = m[1]!;
      cur = name === 'local0' ? undefined : { port: name, rx: 0, tx: 0, dropped: 0, rxBytes: 0, txBytes: 0 };
      if (cur) ports.set(name, cur);
      rest = m[5]!;
    } else rest = line.trim();
    if (!cur || rest === '') continue;
    const c = /^(.*?)\s+(\d+)(?:\s+(\d+))?$/.exec(rest);
    if (!c) {
      // A counter this reader adds up that does not end in a number would otherwise count as 0.
      const known = USED_COUNTERS.find((k) => rest.startsWith(k + ' '));
      if (known !== undefined) problems.push(`interface ${cur.port} ${known} is ${shown(rest.slice(known.length).trim())}, not a count`);
      continue;
    }
    add(cur, c[1]!.trim(), Number(c[2]));
  }
  return [...ports.values()];
}

const USED_COUNTERS = ['rx packets', 'tx packets', 'rx bytes', 'tx bytes', ...DROP_COUNTERS];

/** `show interface` always starts with its `Name Idx State …` header; output without it is not the table. */
export function looksLikeVppInterfaceTable(text: string): boolean {
  return /^\s*Name\s+Idx\s/m.test(text);
}

function add(p: PortTotals, counter: string, n: number): void {
  if (counter === 'rx packets') p.rx += n;
  else if (counter === 'tx packets') p.tx += n;
  else if (counter === 'rx bytes') p.rxBytes = (p.rxBytes ?? 0) + n;
  else if (counter === 'tx bytes') p.txBytes = (p.txBytes ?? 0) + n;
  else if (DROP_COUNTERS.has(counter)) p.dropped += n;
}

export interface VppNodeRuntime {
  name: string;
  calls: number;
  vectors: number;
  suspends: number;
  clocks: number;
  vectorsPerCall: number;
}

/**
 * Reads `vppctl show runtime`: per thread a table `Name State Calls Vectors
 * Suspends Clocks Vectors/Call`; the same node on several threads is summed
 * (clocks weighted by vectors). Nodes that handled no vector are left out.
 */
export function parseVppShowRuntime(text: string): VppNodeRuntime[] {
  const nodes = new Map<string, { calls: number; vectors: number; suspends: number; clockVectors: number }>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+(?:\S+(?:\s\S+)?\s+)?(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+(?:e[+-]?\d+)?)\s+([\d.]+)\s*$/.exec(line);
    if (!m || m[1] === 'Name') continue;
    const vectors = Number(m[3]);
    if (vectors === 0) continue;
    const n = nodes.get(m[1]!) ?? { calls: 0, vectors: 0, suspends: 0, clockVectors: 0 };
    n.calls += Number(m[2]);
    n.vectors += vectors;
    n.suspends += Number(m[4]);
    n.clockVectors += Number(m[5]) * vectors;
    nodes.set(m[1]!, n);
  }
  return [...nodes].map(([name, n]) => ({ name, calls: n.calls, vectors: n.vectors, suspends: n.suspends, clocks: n.clockVectors / n.vectors, vectorsPerCall: n.calls > 0 ? n.vectors / n.calls : 0 }));
}

/** VPP's interface counters through its CLI (`vppctl`, which must be on the host). */
export async function openVpp(host: HostRunner, spec: VppSpec, timeoutMs = 5000): Promise<CounterReader> {
  const argv = ['vppctl', ...(spec.cliSocket !== undefined ? ['-s', spec.cliSocket] : []), 'show', 'interface'];
  const where = host.remote ? ` on ${host.label}` : '';
  const reader: CounterReader = {
    spec,
    description: `${argv.slice(0, -2).join(' ')} show interface${where}`,
    async read(): Promise<CounterTotals> {
      const r = await host.run(argv, { timeoutMs });
      if (r.notFound || r.exitCode === 127) throw new CounterError(`vppctl is not installed${where}; VPP's counters are read with it`, false);
      const said = lastLines(r.stderr || r.stdout, 1);
      if (r.exitCode !== 0 || /clib_socket_init|Connection refused|No such file|Permission denied/i.test(r.stdout.slice(0, 300))) {
        throw new CounterError(`vppctl${where} cannot reach VPP's CLI socket${spec.cliSocket !== undefined ? ` ${spec.cliSocket}` : ''}: ${said || `exit ${r.exitCode ?? r.signal}`}`);
      }
      if (r.stdout.length > MAX_OUTPUT_CHARS) return { ports: [], problems: [`vppctl show interface${where} printed over ${MAX_OUTPUT_CHARS >> 20} MiB`] };
      if (!looksLikeVppInterfaceTable(r.stdout)) return { ports: [], problems: [`vppctl show interface${where} printed no interface table (it said ${shown(r.stdout.trim())})`] };
      const problems: string[] = [];
      const ports = parseVppShowInterface(r.stdout, problems);
      return problems.length > 0 ? { ports, problems } : { ports };
    },
    async close() {},
  };
  await reader.read();
  return reader;
}
