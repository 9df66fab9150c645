import type { HostRunner } from '../live/host.ts';
import type { CounterReader, CounterSpec } from './counterSource.ts';
import { openDpdkTelemetry } from './dpdkTelemetry.ts';
import { openNetdev } from './netdev.ts';

/** Opens the reader for a source on a host; throws CounterError when it cannot be read. */
export async function openCounterReader(host: HostRunner, spec: CounterSpec, timeoutMs = 5000): Promise<CounterReader> {
  switch (spec.kind) {
    case 'dpdk-telemetry':
      return openDpdkTelemetry(host, spec, timeoutMs);
    case 'netdev':
      return openNetdev(host, spec);
    case 'vpp':
    case 'click':
    case 'ovs':
      throw new Error(`internal: no reader for ${spec.kind} yet`);
  }
}
