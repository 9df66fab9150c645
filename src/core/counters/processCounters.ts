import type { HostRunner } from '../host/host.ts';
import { type ProcessEntry, listProcesses } from '../host/processes.ts';
import type { Target } from '../host/target.ts';
import { counterSourceLabel } from './discover.ts';

/**
 * The processes of a host (routers first), each router labelled with the packet
 * counters its command line offers. Listing is the host floor's job; which counters
 * a router has is this folder's, so the label is added here.
 */
export async function listProcessesWithCounters(where: Target | HostRunner, abort?: AbortSignal): Promise<ProcessEntry[]> {
  const list = await listProcesses(where, abort);
  for (const p of list) {
    const c = p.router ? counterSourceLabel(p.argv) : undefined;
    if (c !== undefined) p.counters = c;
  }
  return list;
}
