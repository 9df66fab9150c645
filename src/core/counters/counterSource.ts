import type { HostRunner } from '../host/host.ts';

/** Where a router's own packet counters are read from. */
export type CounterSpec =
  | DpdkTelemetrySpec
  | NetdevSpec
  | VppSpec
  | ClickSpec
  | OvsSpec;

export type CounterSourceKind = CounterSpec['kind'];

/** DPDK telemetry v2 of one DPDK process (testpmd, FastClick --dpdk, OVS-DPDK, …). */
export interface DpdkTelemetrySpec {
  kind: 'dpdk-telemetry';
  /** EAL `--file-prefix` (default `rte`). */
  filePrefix: string;
  /** Socket paths to try, in order (runtime folders × `:N` instances). */
  socketPaths: string[];
  /** The process the socket must belong to (its greeting names its pid); any when undefined. */
  pid?: number;
  /**
   * Kernel interfaces of its net_tap ports, in port order: what the kernel dropped
   * before handing packets to the router (the tap's tx_dropped) counts as dropped.
   */
  tapInterfaces?: string[];
}

/** Linux interfaces, from /sys/class/net/IF/statistics. */
export interface NetdevSpec {
  kind: 'netdev';
  interfaces: string[];
}

/** VPP's CLI: `vppctl [-s SOCKET] show interface`. */
export interface VppSpec {
  kind: 'vpp';
  /** The CLI socket (`unix { cli-listen … }`), when not the default. */
  cliSocket?: string;
}

/** A Click/FastClick ControlSocket. */
export interface ClickSpec {
  kind: 'click';
  /** `tcp:HOST:PORT` or `unix:PATH`. */
  address: string;
}

/** Open vSwitch: `ovs-appctl dpctl/show -s`. */
export interface OvsSpec {
  kind: 'ovs';
}

/** Cumulative totals of one port, as the router reports them. */
export interface PortTotals {
  port: string;
  rx: number;
  tx: number;
  /** Every drop the router reports for the port (missed, no buffer, errors, graph drops). */
  dropped: number;
  rxBytes?: number;
  txBytes?: number;
}

/** One reading of all ports. */
export interface CounterTotals {
  ports: PortTotals[];
  /** Values the source gave that could not be read as counts: the reading is not used (its interval has no packets). */
  problems?: string[];
}

/** An open counter source: reads cumulative totals on request. */
export interface CounterReader {
  readonly spec: CounterSpec;
  /** For messages: `DPDK telemetry /var/run/dpdk/rte/dpdk_telemetry.v2`. */
  readonly description: string;
  /** Reads every port's totals now; throws CounterError when it cannot. */
  read(): Promise<CounterTotals>;
  close(): Promise<void>;
}

/** Why a counter source could not be read: the message says what and what to do. */
export class CounterError extends Error {
  constructor(
    message: string,
    /** The source is gone for now (socket missing, router restarting): worth retrying later. */
    readonly transient = true,
    /** The router closed the connection: it exited or is restarting (the session says which). */
    readonly closedByRouter = false,
  ) {
    super(message);
    this.name = 'CounterError';
  }
}

/** Opens a reader for one kind of source on a host. */
export type OpenCounterReader = (host: HostRunner, spec: CounterSpec) => Promise<CounterReader>;

/** A short name for a source, as `source` in PacketCounts and in `ps`. */
export function describeSpec(spec: CounterSpec): string {
  switch (spec.kind) {
    case 'dpdk-telemetry':
      return `DPDK telemetry (prefix ${spec.filePrefix})`;
    case 'netdev':
      return `Linux interfaces ${spec.interfaces.join(', ')}`;
    case 'vpp':
      return `vppctl${spec.cliSocket !== undefined ? ` -s ${spec.cliSocket}` : ''} show interface`;
    case 'click':
      return `Click ControlSocket ${spec.address}`;
    case 'ovs':
      return 'ovs-appctl dpctl/show -s';
  }
}
