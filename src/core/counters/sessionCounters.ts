import type { HostRunner } from '../host/host.ts';
import type { Attach } from '../host/attach.ts';
import { type CounterSpec, CounterError } from './counterSource.ts';
import { recognizeRouter } from '../host/routers.ts';
import { clickSpecFromConfig, counterSpecFor, readProcessFacts } from './discover.ts';
import { dpdkTelemetrySpec, dpdkTelemetrySpecForPrefix } from './dpdkTelemetry.ts';
import { validateInterfaceName } from './netdev.ts';

/** A source named by the user: its kind and what it needs; the rest is found on the host. */
export type CounterRequest =
  | { kind: 'dpdk-telemetry'; filePrefix?: string }
  | { kind: 'netdev'; interfaces: string[] }
  | { kind: 'vpp'; cliSocket?: string }
  | { kind: 'click'; address: string }
  | { kind: 'ovs' };

/** Which router counters a session reads. */
export type CounterChoice = 'auto' | 'off' | CounterRequest;

export const COUNTER_CHOICE_HELP = 'auto, none, dpdk[:PREFIX], netdev:IF[,IF…], vpp[:CLI-SOCKET], click:PORT, click:HOST:PORT, click:unix:PATH or ovs';

/** Reads `--counters` text. */
export function parseCounterChoice(text: string): CounterChoice {
  const bad = (why: string) => new CounterError(`--counters ${JSON.stringify(text)}: ${why} (one of ${COUNTER_CHOICE_HELP})`, false);
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? undefined : text.slice(colon + 1);
  if (text.includes('\0')) throw bad('contains a NUL byte');
  switch (kind) {
    case 'auto':
      if (arg !== undefined) throw bad('auto takes nothing after it');
      return 'auto';
    case 'none':
    case 'off':
      return 'off';
    case 'dpdk':
      if (arg === undefined) return { kind: 'dpdk-telemetry' };
      if (!/^[A-Za-z0-9_.:-]+$/.test(arg)) throw bad('a DPDK file prefix is letters, digits and _ . : -');
      return { kind: 'dpdk-telemetry', filePrefix: arg };
    case 'netdev': {
      const names = (arg ?? '').split(',').filter((n) => n !== '');
      if (names.length === 0) throw bad('name the interfaces: netdev:eth0,eth1');
      try {
        names.forEach(validateInterfaceName);
      } catch (e) {
        throw bad((e as Error).message);
      }
      return { kind: 'netdev', interfaces: names };
    }
    case 'vpp':
      if (arg === undefined) return { kind: 'vpp' };
      if (!arg.startsWith('/')) throw bad("VPP's CLI socket is an absolute path");
      return { kind: 'vpp', cliSocket: arg };
    case 'click': {
      if (arg === undefined) throw bad('give the ControlSocket: click:PORT, click:HOST:PORT or click:unix:PATH');
      if (arg.startsWith('unix:')) {
        if (arg.length === 5) throw bad('click:unix: needs a path');
        return { kind: 'click', address: arg };
      }
      const m = /^(?:([A-Za-z0-9_.-]+):)?(\d{1,5})$/.exec(arg);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw bad('a ControlSocket address is PORT, HOST:PORT or unix:PATH');
      return { kind: 'click', address: `tcp:${m[1] ?? '127.0.0.1'}:${m[2]}` };
    }
    case 'ovs':
      return { kind: 'ovs' };
    default:
      throw bad(`unknown source ${JSON.stringify(kind)}`);
  }
}

/**
 * The counter source of each stream: found from each process (`auto`), or the
 * named one for the first stream (several PIDs share one host; one source would be
 * counted once per stream otherwise). A named DPDK prefix is read whatever pid
 * owns the socket, so a restarted router under the same prefix is read again.
 */
export async function streamCounterSpecs(host: HostRunner, attach: readonly Attach[], choice: CounterChoice, notice: (m: string) => void): Promise<(CounterSpec | undefined)[]> {
  if (choice === 'off') return attach.map(() => undefined);
  return Promise.all(
    attach.map(async (a, i) => {
      const id = 'pid' in a ? a.pid : a.tid;
      if (choice !== 'auto' && i > 0) return undefined;
      let facts;
      try {
        facts = await readProcessFacts(host, id);
      } catch (e) {
        notice(`no router packet counters for ${id}: cannot read its command line (${(e as Error).message})`);
        return undefined;
      }
      if (choice === 'auto') {
        let spec = counterSpecFor(facts);
        if (!spec && recognizeRouter(facts.argv)?.kind === 'fastclick') spec = await clickSpecFromConfig(host, facts.argv, facts.cwd).catch(() => undefined);
        if (!spec && facts.argv.length > 0) notice(`${'pid' in a ? 'pid' : 'tid'}-${id}: no router packet counters found from its command line; name one with --counters (${COUNTER_CHOICE_HELP})`);
        return spec;
      }
      if (choice.kind === 'dpdk-telemetry') {
        if (choice.filePrefix !== undefined) return dpdkTelemetrySpecForPrefix(choice.filePrefix, facts);
        // `dpdk` alone: the attached process is the DPDK application, even if its name is unknown to VNF Lens.
        return dpdkTelemetrySpec(facts);
      }
      return choice;
    }),
  );
}
