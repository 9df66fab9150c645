import type { VppCliCommand } from '../config/vpp/cliScript.ts';

/** Cumulative counters of one node on one thread, as `show runtime` prints them. */
export interface VppNodeTotals {
  thread: string;
  name: string;
  state: string;
  calls: number;
  vectors: number;
  suspends: number;
  /** Clocks in total: the printed clocks per vector × vectors (per call × calls, per suspend × suspends where none). */
  clocks: number;
}

/** One node's work between two readings, over every thread. */
export interface VppNodeCost {
  name: string;
  calls: number;
  vectors: number;
  suspends: number;
  clocks: number;
  /** Clocks per packet (vector element) in the interval; null when the node handled none. */
  clocksPerPacket: number | null;
  vectorsPerCall: number | null;
}

const ROW = /^\s*(\S+)\s+(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+(?:e[+-]?\d+)?)\s+([\d.]+)\s*$/;
const THREAD = /^Thread\s+(\d+)\s+(\S+)/;

/**
 * Reads `vppctl show runtime` per thread: `Thread N name (lcore M)` sections (a
 * single-threaded VPP prints none), each with a table `Name State Calls Vectors
 * Suspends Clocks Vectors/Call`. VPP prints Clocks per vector (per call for nodes
 * without vectors, per suspend for processes), so totals are rebuilt from it.
 */
export function parseVppRuntimeTotals(text: string): VppNodeTotals[] {
  const out: VppNodeTotals[] = [];
  let thread = '0';
  for (const line of text.split('\n')) {
    const t = THREAD.exec(line.trim());
    if (t) {
      thread = t[1]!;
      continue;
    }
    const m = ROW.exec(line);
    if (!m || m[1] === 'Name') continue;
    const calls = Number(m[3]);
    const vectors = Number(m[4]);
    const suspends = Number(m[5]);
    const per = Number(m[6]);
    const by = vectors > 0 ? vectors : calls > 0 ? calls : suspends;
    out.push({ thread, name: m[1]!, state: m[2]!.trim(), calls, vectors, suspends, clocks: per * by });
  }
  return out;
}

/**
 * Each node's work between two readings, summed over threads; a node whose counters
 * went back (`clear runtime`, a restart) starts again from the new reading. Nodes that
 * did nothing are left out.
 */
export function vppRuntimeDeltas(before: readonly VppNodeTotals[], after: readonly VppNodeTotals[]): VppNodeCost[] {
  const prev = new Map(before.map((n) => [`${n.thread}\0${n.name}`, n]));
  const sums = new Map<string, { calls: number; vectors: number; suspends: number; clocks: number }>();
  for (const n of after) {
    const p = prev.get(`${n.thread}\0${n.name}`);
    // A node new in this reading, or whose counters went back, has no interval yet.
    if (!p || n.calls < p.calls || n.vectors < p.vectors || n.suspends < p.suspends) continue;
    const s = sums.get(n.name) ?? { calls: 0, vectors: 0, suspends: 0, clocks: 0 };
    s.calls += n.calls - p.calls;
    s.vectors += n.vectors - p.vectors;
    s.suspends += n.suspends - p.suspends;
    s.clocks += Math.max(0, n.clocks - p.clocks);
    sums.set(n.name, s);
  }
  return [...sums]
    .filter(([, s]) => s.calls > 0 || s.vectors > 0 || s.suspends > 0)
    .map(([name, s]) => ({ name, ...s, clocksPerPacket: s.vectors > 0 ? s.clocks / s.vectors : null, vectorsPerCall: s.calls > 0 ? s.vectors / s.calls : null }));
}

/** The nodes that cost most per packet, of those that handled packets. */
export function topNodesByClocksPerPacket(nodes: readonly VppNodeCost[], n = 10): VppNodeCost[] {
  return nodes.filter((x) => x.clocksPerPacket !== null).sort((a, b) => b.clocksPerPacket! - a.clocksPerPacket!).slice(0, n);
}

/**
 * The graph nodes a CLI command turns on, where the mapping is clear: an interface
 * brought up gets its input and output nodes, an IPv4/IPv6 address the ip4/ip6 path,
 * a route the lookup and rewrite nodes, an L2 cross-connect or bridge the l2 nodes,
 * an ACL on an interface the acl-plugin nodes, NAT44 on an interface the nat44 nodes.
 * Names ending in `*` match by prefix.
 */
export function vppNodesFor(cmd: VppCliCommand): string[] {
  const words = cmd.words.map((w) => w.text);
  const text = words.join(' ');
  const a = cmd.action;
  if (a?.kind === 'state' && a.value === 'up') return [...inputNodes(a.interface), `${a.interface}-output`, `${a.interface}-tx`, 'ethernet-input', 'interface-output'];
  if (a?.kind === 'ip-address' && !a.delete) return (a.value ?? '').includes(':') ? ['ip6-input*', 'ip6-lookup', 'ip6-rewrite', 'ip6-local'] : ['ip4-input*', 'ip4-lookup', 'ip4-rewrite', 'ip4-local', 'ip4-arp', 'ip4-glean'];
  if (a?.kind === 'ip-route') return (a.value ?? '').includes(':') ? ['ip6-lookup', 'ip6-rewrite', 'ip6-load-balance'] : ['ip4-lookup', 'ip4-rewrite', 'ip4-load-balance'];
  if (a?.kind === 'l2-xconnect') return ['l2-input', 'l2-output'];
  if (a?.kind === 'l2-bridge') return ['l2-input', 'l2-learn', 'l2-fwd', 'l2-flood', 'l2-output'];
  if (/^set acl-plugin interface \S+ input\b/.test(text)) return ['acl-plugin-in-*'];
  if (/^set acl-plugin interface \S+ output\b/.test(text)) return ['acl-plugin-out-*'];
  if (/^set (interface|int) nat44\b/.test(text) || /^nat44 /.test(text)) return ['nat44-*'];
  return [];
}

function inputNodes(iface: string): string[] {
  if (iface.startsWith('host-')) return ['af-packet-input'];
  if (iface.startsWith('memif')) return ['memif-input'];
  if (iface.startsWith('tap')) return ['virtio-input'];
  if (iface.startsWith('VirtualEthernet')) return ['vhost-user-input'];
  return ['dpdk-input'];
}

/** The nodes of `nodes` a command's pattern list names. */
export function matchNodes<T extends { name: string }>(patterns: readonly string[], nodes: readonly T[]): T[] {
  return nodes.filter((n) => patterns.some((p) => (p.endsWith('*') ? n.name.startsWith(p.slice(0, -1)) : n.name === p)));
}
