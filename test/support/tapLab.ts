import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadExeca } from '../../src/core/host/exec.ts';
import { findBinary } from './binaries.ts';
import { spawnTestpmd } from './testpmd.ts';
import { repoRoot } from './paths.ts';

/** Why the tap lab cannot run here, or undefined. */
export function tapLabMissing(): string | undefined {
  if (!findBinary('dpdk-testpmd')) return 'needs dpdk-testpmd (Debian: apt install dpdk-dev)';
  if (!findBinary('python3')) return 'needs python3';
  if (!existsSync('/dev/net/tun')) return 'needs /dev/net/tun (kernel tun support) for net_tap';
  if (process.getuid?.() !== 0) return 'needs root (tap interfaces, raw sockets)';
  return undefined;
}

export interface TapRouter {
  pid: number;
  prefix: string;
  /** The tap the traffic goes into (testpmd's port 0) and the one testpmd forwards to (port 1). */
  ifaceIn: string;
  ifaceOut: string;
  exited: Promise<number | null>;
  output(): string;
  stop(): Promise<void>;
}

export interface TapStats {
  txPackets: number;
  txDropped: number;
  rxPackets: number;
}

let counter = 0;

/**
 * A lab in a box: dpdk-testpmd forwarding between two net_tap ports (no hugepages,
 * no NICs). The kernel side of the first tap is where traffic goes in; what testpmd
 * takes is that tap's tx_packets, what it did not take in time its tx_dropped.
 */
export async function startTapTestpmd(opts: { prefix?: string; ifaces?: [string, string]; forwardArgs?: string[] } = {}): Promise<TapRouter> {
  const bin = findBinary('dpdk-testpmd');
  if (!bin) throw new Error('dpdk-testpmd is not installed (Debian: apt install dpdk-dev)');
  const n = ++counter;
  const prefix = opts.prefix ?? `vnflens-tap-${process.pid}-${n}`;
  const tag = `${process.pid % 100000}${n}`;
  const [ifaceIn, ifaceOut] = opts.ifaces ?? [`vlt${tag}a`, `vlt${tag}b`];
  const args = [
    '-l',
    '0,1',
    '--no-huge',
    '-m',
    '512',
    '--no-pci',
    `--vdev=net_tap0,iface=${ifaceIn}`,
    `--vdev=net_tap1,iface=${ifaceOut}`,
    `--file-prefix=${prefix}`,
    '--',
    ...(opts.forwardArgs ?? ['--forward-mode=io']),
    '--total-num-mbufs=4096',
    '--auto-start',
    '--stats-period=1',
  ];
  const proc = await spawnTestpmd(bin, args, prefix, { keepChars: 200_000 });
  const { exited, stop } = proc;
  const started = Date.now();
  while (!/Port statistics/.test(proc.output()) || !existsSync(`/sys/class/net/${ifaceOut}`)) {
    if (proc.done()) {
      await stop();
      throw new Error(`dpdk-testpmd on taps exited at start:\n${proc.output().slice(-3000)}`);
    }
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`dpdk-testpmd on taps did not start within 20 s:\n${proc.output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // No IPv6 chatter from the host on the lab's taps: every packet in them is the sender's.
  for (const i of [ifaceIn, ifaceOut]) {
    try {
      writeFileSync(`/proc/sys/net/ipv6/conf/${i}/disable_ipv6`, '1');
    } catch {
      // IPv6 disabled on this host
    }
  }
  return { pid: proc.pid, prefix, ifaceIn, ifaceOut, exited, output: proc.output, stop };
}

/** The kernel's statistics of a tap (its tx is what went into testpmd). */
export function tapStats(iface: string): TapStats {
  const read = (f: string) => Number(readFileSync(`/sys/class/net/${iface}/statistics/${f}`, 'utf8'));
  return { txPackets: read('tx_packets'), txDropped: read('tx_dropped'), rxPackets: read('rx_packets') };
}

export interface SenderPhase {
  phase: number;
  pps: number;
  seconds: number;
  sent: number;
  errors: number;
}

/** Runs the paced sender (scripts/lab/paced-sender.py) into `iface` until its plan is done. */
export async function sendPaced(iface: string, plan: string, extra: string[] = []): Promise<SenderPhase[]> {
  const { execa } = await loadExeca();
  const r = await execa('python3', [join(repoRoot, 'scripts/lab/paced-sender.py'), iface, plan, ...extra], { reject: false, timeout: 120_000 });
  if (r.exitCode !== 0) throw new Error(`paced sender failed (exit ${r.exitCode}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SenderPhase);
}
