/** One interval of `perf stat -I` output, aggregated over CPUs/threads. */
export interface Interval {
  /** End time of the interval in seconds, as perf printed it. */
  t: number;
  /** Length of the interval in seconds. */
  dt: number;
  /** Value per event as perf printed it, summed over CPUs/threads; only counted events. */
  counters: Record<string, number>;
  /** Percentage of the interval each counted event was counting (multiplexing). */
  running: Record<string, number>;
  /** Unit per counted event when perf gave one (`msec`, …). */
  units: Record<string, string>;
  notCounted: string[];
  unsupported: string[];
  /** Per-CPU / per-thread / per-core breakdown, when perf gave one; `counters` holds the total. */
  breakdown?: Record<string, BreakdownEntry>;
  /** Run name for inputs holding several runs (e.g. the wide CSV). */
  run?: string;
  /** Stream name for recordings with several perf streams (one per PID). */
  stream?: string;
  /** The router's own packet counters for this interval, when a counter source was read. */
  packets?: PacketCounts;
  /** The router revision (its n-th process, counting restarts) the interval belongs to, when the session followed restarts. */
  revision?: number;
}

/**
 * Packets the router itself reported during one interval (deltas, not totals),
 * summed over its ports. `dropped` is every drop the router reports (missed at
 * the NIC, no mbuf, errors, drops in its graph), so `rx + dropped` is what was offered.
 */
export interface PacketCounts {
  rx: number;
  tx: number;
  dropped: number;
  /** Bytes received and sent, when the source counts them (for bit/s). */
  rxBytes?: number;
  txBytes?: number;
  /** Per-port detail, when the source gives it. */
  ports?: PortPackets[];
  /** Which source gave the counts: `dpdk-telemetry`, `vpp`, `click`, `ovs`, `netdev`. */
  source?: string;
}

export interface PortPackets {
  /** Port id or interface name, as the source names it. */
  port: string;
  rx: number;
  tx: number;
  dropped: number;
}

export interface BreakdownEntry {
  counters: Record<string, number>;
  running: Record<string, number>;
  aggrCount?: number;
}
