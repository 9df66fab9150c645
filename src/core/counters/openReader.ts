import type { HostRunner } from '../host/host.ts';
import type { CounterReader, CounterSpec } from './counterSource.ts';
import { openClick } from './click.ts';
import { openDpdkTelemetry } from './dpdkTelemetry.ts';
import { openNetdev } from './netdev.ts';
import { openOvs } from './ovs.ts';
import { openVpp } from './vpp.ts';

/**
 * Opens the reader for a source on a host; throws CounterError when it cannot be
 * read. `onAsking` is called once the reader's own parts run and it asks the
 * router (the python3 helper is up, or right away for a command), so a caller can
 * give the router's answer a shorter time than the whole open.
 */
export async function openCounterReader(host: HostRunner, spec: CounterSpec, timeoutMs = 5000, onAsking: () => void = () => {}): Promise<CounterReader> {
  if (spec.kind !== 'dpdk-telemetry' && spec.kind !== 'click') onAsking();
  switch (spec.kind) {
    case 'dpdk-telemetry':
      return openDpdkTelemetry(host, spec, timeoutMs, onAsking);
    case 'netdev':
      return openNetdev(host, spec, timeoutMs);
    case 'vpp':
      return openVpp(host, spec, timeoutMs);
    case 'click':
      return openClick(host, spec, timeoutMs, onAsking);
    case 'ovs':
      return openOvs(host, spec, timeoutMs);
  }
}
