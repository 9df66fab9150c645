import type { HostRunner } from '../live/host.ts';
import type { CounterReader, CounterSpec } from './counterSource.ts';
import { openClick } from './click.ts';
import { openDpdkTelemetry } from './dpdkTelemetry.ts';
import { openNetdev } from './netdev.ts';
import { openOvs } from './ovs.ts';
import { openVpp } from './vpp.ts';

/** Opens the reader for a source on a host; throws CounterError when it cannot be read. */
export async function openCounterReader(host: HostRunner, spec: CounterSpec, timeoutMs = 5000): Promise<CounterReader> {
  switch (spec.kind) {
    case 'dpdk-telemetry':
      return openDpdkTelemetry(host, spec, timeoutMs);
    case 'netdev':
      return openNetdev(host, spec);
    case 'vpp':
      return openVpp(host, spec);
    case 'click':
      return openClick(host, spec, timeoutMs);
    case 'ovs':
      return openOvs(host, spec);
  }
}
