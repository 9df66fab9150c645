import type { EventEmitter } from 'node:events';
import type { Interval } from '../perf/interval.ts';

/** Who a router is in the exported series. Every value is bounded by the fleet's size. */
export interface RouterLabels {
  /** The configured host (`local`, `lab1`, `replay`). */
  host: string;
  /** Router kind (`dpdk`, `vpp`, `fastclick`, …) or `unknown`. */
  router: string;
  pid: string;
  /** The process's short name (executable base name). */
  comm: string;
}

export const ROUTER_LABEL_NAMES = ['host', 'router', 'pid', 'comm'] as const;

/** What a source is doing, as the health metrics count it. */
export type SourceState = 'starting' | 'running' | 'paused' | 'reconnecting' | 'ended';

export interface SourceEnd {
  /** `router-exited`, `stopped`, `connection-lost`, `perf-failed`, `error`, `finished` (a replay ran out). */
  kind: string;
  reason: string;
}

export interface RouterSourceEvents {
  interval: [Interval];
  state: [SourceState];
  /** A connection to the host dropped; the source reconnects by itself. */
  reconnect: [];
  /** A line of counter output that could not be read (it is skipped). */
  parseError: [string];
  notice: [string];
  end: [SourceEnd];
}

/**
 * One router's stream of intervals, whatever produces it: a live perf session, or
 * a recording replayed at a pace. The exporter treats both alike, so a soak test
 * of replays exercises the very path live routers take.
 */
export interface RouterSource extends EventEmitter<RouterSourceEvents> {
  readonly labels: RouterLabels;
  readonly state: SourceState;
  /** Resolves once intervals flow; rejects (and ends the source) when it cannot start. */
  start(): Promise<void>;
  /** Ends the source; resolves when it has let go of everything it started. */
  stop(): Promise<void>;
}

/** A stable key for maps of routers. */
export function routerKey(l: RouterLabels): string {
  return `${l.host}\u0000${l.pid}\u0000${l.comm}\u0000${l.router}`;
}
