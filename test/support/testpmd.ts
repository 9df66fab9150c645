import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadExeca } from '../../src/core/host/exec.ts';
import { findBinary } from './binaries.ts';
import { killQuietly, track } from './cleanup.ts';

export interface Testpmd {
  pid: number;
  /** Everything testpmd printed so far (its periodic port statistics among it). */
  output(): string;
  /** Forwarded packets per second from each statistics block printed after `sinceChars`. */
  rxPps(sinceChars?: number): number[];
  /** Each statistics block as it arrived: when (performance.now()) and the ports' cumulative RX packets. */
  samples(): StatsSample[];
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StatsSample {
  at: number;
  rxPackets: number;
  /** CPU time testpmd's threads had run when the block arrived (ns, from /proc schedstat). */
  cpuNs: number;
}

let counter = 0;

/**
 * A real poll-mode router: dpdk-testpmd forwarding between two null PMD ports,
 * without hugepages or PCI devices. `--auto-start` starts forwarding without the
 * interactive prompt, and `--stats-period` keeps it running with standard input
 * closed (it prints port statistics every period instead of waiting for Enter).
 */
export async function startTestpmd(opts: { lcores?: string; statsPeriodS?: number } = {}): Promise<Testpmd> {
  const bin = findBinary('dpdk-testpmd');
  if (!bin) throw new Error('dpdk-testpmd is not installed (Debian: apt install dpdk-dev)');
  const prefix = `vnflens-${process.pid}-${++counter}`;
  const args = [
    '-l',
    opts.lcores ?? '0,1',
    '--no-huge',
    '-m',
    '1024',
    '--no-pci',
    '--vdev=net_null0',
    '--vdev=net_null1',
    `--file-prefix=${prefix}`,
    '--',
    '--forward-mode=io',
    '--total-num-mbufs=8192',
    '--auto-start',
    `--stats-period=${opts.statsPeriodS ?? 1}`,
  ];
  const samples: StatsSample[] = [];
  let blockAt: number | undefined;
  let blockCpu = 0;
  let block = '';
  // The process id is known once spawned; the handler runs only after that.
  const spawned: { pid?: number } = {};
  // A statistics block is complete when the next one starts; it is timed by its first byte.
  const onStats = (t: string) => {
    let rest = t;
    for (;;) {
      const h = rest.indexOf('Port statistics');
      if (h < 0) break;
      block += rest.slice(0, h);
      if (blockAt !== undefined) {
        const rx = [...block.matchAll(/RX-packets:\s+(\d+)/g)].map((m) => Number(m[1]));
        if (rx.length >= 2) samples.push({ at: blockAt, rxPackets: rx.reduce((a, x) => a + x, 0), cpuNs: blockCpu });
      }
      blockAt = performance.now();
      blockCpu = cpuTimeNs(spawned.pid);
      block = '';
      rest = rest.slice(h + 1);
    }
    if (blockAt !== undefined) block += rest;
  };
  const proc = await spawnTestpmd(bin, args, prefix, { keepChars: 1_000_000, onStdout: onStats });
  spawned.pid = proc.pid;
  const { exited, stop } = proc;
  const out = () => proc.output();
  // Forwarding has started once the first statistics block is out.
  const started = Date.now();
  while (!/Port statistics|Rx-pps/.test(out())) {
    if (proc.done()) {
      const code = await exited;
      await stop();
      throw new Error(`dpdk-testpmd exited at start (code ${code}):\n${out().slice(-3000)}`);
    }
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`dpdk-testpmd did not start forwarding within 20 s:\n${out().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: proc.pid,
    output: out,
    rxPps: (since = 0) => readRxPps(out().slice(since)),
    samples: () => [...samples],
    exited,
    stop,
  };
}

export interface TestpmdProcess {
  pid: number;
  /** The newest `keepChars` of what testpmd printed on stdout and stderr. */
  output(): string;
  done(): boolean;
  exited: Promise<number | null>;
  /** SIGTERM, wait for the exit, remove its runtime folder. */
  stop(): Promise<void>;
}

/**
 * Starts dpdk-testpmd with `args`, noted for the leftovers reaper (the process and its
 * `/var/run/dpdk/PREFIX` folder) until it is stopped.
 */
export async function spawnTestpmd(bin: string, args: string[], prefix: string, opts: { keepChars: number; onStdout?: (text: string) => void }): Promise<TestpmdProcess> {
  const { execa } = await loadExeca();
  const child = execa(bin, args, { stdin: 'ignore', buffer: false, reject: false, forceKillAfterDelay: 5000 });
  let out = '';
  let done = false;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (t: string) => {
    out = (out + t).slice(-opts.keepChars);
    opts.onStdout?.(t);
  });
  child.stderr!.on('data', (t: string) => (out = (out + t).slice(-opts.keepChars)));
  const exited = child.then((r) => {
    done = true;
    return r.exitCode ?? null;
  });
  const runtimeDir = `/var/run/dpdk/${prefix}`;
  const untrack = track(
    `dpdk-testpmd ${child.pid}`,
    () => {
      if (!done) killQuietly(child.pid);
      rmSync(runtimeDir, { recursive: true, force: true });
    },
    [{ kind: 'process', pid: child.pid! }, { kind: 'path', path: runtimeDir }],
  );
  const stop = async () => {
    if (!done) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(runtimeDir, { recursive: true, force: true });
    untrack();
  };
  return { pid: child.pid!, output: () => out, done: () => done, exited, stop };
}

/** Sum of the ports' Rx-pps per statistics block. */
export function readRxPps(text: string): number[] {
  const blocks = text.split('Port statistics').slice(1);
  const out: number[] = [];
  for (const b of blocks) {
    const rates = [...b.matchAll(/Rx-pps:\s+(\d+)/g)].map((m) => Number(m[1]));
    if (rates.length >= 2) out.push(rates.reduce((a, x) => a + x, 0));
  }
  return out;
}

/** Run time of all threads of a process so far, in ns (first field of each thread's schedstat). */
export function cpuTimeNs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let sum = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // thread ended meanwhile
      }
    }
  } catch {
    // process ended
  }
  return sum;
}
