import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import type { Inference } from '../inference/engine.ts';
import type { RouterLabels, RouterSource, SourceState } from './routerSource.ts';
import type { PacketMetrics } from '../fingerprint/packetMetrics.ts';

/** The newest reading of one attached router: all the exporter keeps of it. */
export interface RouterReading {
  labels: RouterLabels;
  source: RouterSource;
  intervals: number;
  /** Date.now() when it was attached, and when its last interval arrived. */
  attachedAt: number;
  lastAt: number | undefined;
  fingerprint: Fingerprint | undefined;
  inference: Inference | null;
  /** Throughput, drops and cost per packet of the last interval, when the router's own counters are read. */
  packets: PacketMetrics | null;
  /** Packets since the router was attached, from its own counters (absent: none read yet). */
  packetTotals: { rx: number; tx: number; dropped: number } | undefined;
}

export type ReconnectCause = 'connection' | 'router-restart';

/** Exporter health per configured host; kept for the exporter's life (hosts are few). */
export interface HostHealth {
  reconnects: Record<ReconnectCause, number>;
  parseErrors: number;
  attachFailures: number;
  attaches: number;
}

/** What the metrics read at scrape time. */
export interface FleetView {
  readonly routers: ReadonlyMap<string, RouterReading>;
  readonly hosts: ReadonlyMap<string, HostHealth>;
}

export const SOURCE_STATES: readonly SourceState[] = ['starting', 'running', 'paused', 'reconnecting'];

export function newHostHealth(): HostHealth {
  return { reconnects: { connection: 0, 'router-restart': 0 }, parseErrors: 0, attachFailures: 0, attaches: 0 };
}
