/**
 * Figures for live sessions, measured on real parts (dpdk-testpmd, perf, sshd):
 *
 * 1. perf's cost to the router: testpmd's forwarded packets per second without
 *    perf, with a session at 1000 ms and at 100 ms, in alternating runs. Also per
 *    second of CPU time testpmd got, which other load on a shared machine does not
 *    move: a per-packet cost of counting shows there, CPU taken away in the first.
 * 2. Latency from perf writing an interval to the session emitting it, locally
 *    and over loopback ssh. perf's write is timed by strace (-ttt, at the write
 *    syscall), the emit by the session's 'interval' event on the same clock.
 *
 *   npm run bench:live -- [--rounds N] [--seconds S] [--latency-seconds S] [--skip-overhead] [--skip-latency]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadExeca } from '../src/core/host/exec.ts';
import { LiveSession } from '../src/core/live/session.ts';
import type { Target } from '../src/core/host/target.ts';
import { findBinary } from '../test/support/binaries.ts';
import { runAllCleanups } from '../test/support/cleanup.ts';
import { HOSTS, startSshd } from '../test/support/sshd.ts';
import { type Testpmd, startTestpmd } from '../test/support/testpmd.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '6' },
    'latency-seconds': { type: 'string', default: '20' },
    'skip-overhead': { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
  },
});

type Condition = 'no perf' | 'perf 1000 ms' | 'perf 100 ms';

interface Run {
  /** Forwarded packets per second of wall time. */
  pps: number;
  /** Forwarded packets per second of CPU time testpmd got: insensitive to other load on the machine. */
  perCpuS: number;
  /** CPUs' worth of time testpmd got (its polling worker alone would be 1.0). */
  cpuShare: number;
  blocks: number;
}

async function main(): Promise<void> {
  for (const bin of ['perf', 'dpdk-testpmd']) if (!findBinary(bin)) throw new Error(`${bin} is not installed`);
  const router = await startTestpmd({ statsPeriodS: 1 });
  try {
    console.log(`router: dpdk-testpmd pid ${router.pid} (io forwarding between two null ports, lcores 0,1); ${(await perfVersion()).trim()}`);
    if (!args['skip-overhead']) await overhead(router);
    if (!args['skip-latency']) await latency(router);
  } finally {
    await router.stop();
  }
}

/**
 * Forwarded packets per second while `cond` holds: the growth of testpmd's
 * cumulative RX counters between its first and last statistics block of the run,
 * over the time between their arrival (robust to a late or missing block).
 */
async function measure(router: Testpmd, cond: Condition, seconds: number): Promise<Run> {
  let session: LiveSession | undefined;
  if (cond !== 'no perf') {
    session = new LiveSession({ target: { kind: 'local' }, pids: [router.pid], intervalMs: cond === 'perf 1000 ms' ? 1000 : 100 });
    await session.start();
  }
  // Let the change settle for one statistics period before counting.
  await sleep(1200);
  const from = router.samples().length;
  await sleep(seconds * 1000 + 300);
  // On a loaded machine testpmd's statistics can come late: wait for a second block.
  for (let waited = 0; router.samples().length - from < 2 && waited < 10_000; waited += 100) await sleep(100);
  const s = router.samples().slice(from);
  await session?.stop();
  if (s.length < 2) throw new Error(`testpmd printed ${s.length} statistics blocks in ${seconds} s`);
  const a = s[0]!;
  const b = s.at(-1)!;
  const packets = b.rxPackets - a.rxPackets;
  const cpuS = (b.cpuNs - a.cpuNs) / 1e9;
  return { pps: (packets / (b.at - a.at)) * 1000, perCpuS: packets / cpuS, cpuShare: cpuS / ((b.at - a.at) / 1000), blocks: s.length };
}

async function overhead(router: Testpmd): Promise<void> {
  const rounds = Number(args.rounds);
  const seconds = Number(args.seconds);
  const conds: Condition[] = ['no perf', 'perf 1000 ms', 'perf 100 ms'];
  const runs = new Map<Condition, Run[]>(conds.map((c) => [c, []]));
  console.log(`\nperf's cost to the router: ${rounds} rounds, ${seconds} s per run, order rotated each round`);
  for (let r = 0; r < rounds; r++) {
    const order = conds.map((_, i) => conds[(i + r) % conds.length]!);
    for (const c of order) {
      const run = await measure(router, c, seconds);
      runs.get(c)!.push(run);
      console.log(`  round ${r + 1} ${c.padEnd(13)} ${(run.pps / 1e6).toFixed(3)} Mpps   ${(run.perCpuS / 1e6).toFixed(3)} M packets per testpmd CPU-second   testpmd got ${run.cpuShare.toFixed(2)} CPUs   (${run.blocks} statistics blocks)`);
    }
  }
  const base = runs.get('no perf')!;
  const cost = (v: number[], b: number[]) => `${(((median(b) - median(v)) / median(b)) * 100).toFixed(2)} %`;
  console.log('\n  medians of runs   Mpps (sd%)         cost     M pkts per CPU-s (sd%)   cost     testpmd CPUs');
  for (const c of conds) {
    const v = runs.get(c)!;
    const pps = v.map((x) => x.pps);
    const per = v.map((x) => x.perCpuS);
    const line = [
      `  ${c.padEnd(16)}`,
      `${(median(pps) / 1e6).toFixed(3).padStart(7)} (${((sd(pps) / mean(pps)) * 100).toFixed(1).padStart(4)} %)`,
      (c === 'no perf' ? '' : cost(pps, base.map((x) => x.pps))).padStart(9),
      `   ${(median(per) / 1e6).toFixed(3).padStart(7)} (${((sd(per) / mean(per)) * 100).toFixed(1).padStart(4)} %)`,
      (c === 'no perf' ? '' : cost(per, base.map((x) => x.perCpuS))).padStart(14),
      median(v.map((x) => x.cpuShare)).toFixed(2).padStart(10),
    ];
    console.log(line.join(' '));
  }
}

async function latency(router: Testpmd): Promise<void> {
  const strace = findBinary('strace');
  if (!strace) {
    console.log('\nlatency: skipped, strace is not installed (Debian: apt install strace)');
    return;
  }
  const seconds = Number(args['latency-seconds']);
  console.log(`\nlatency from perf's write of an interval to the session's 'interval' event (100 ms intervals, ${seconds} s each)`);
  const local = await latencyRun(router, { kind: 'local' }, strace, seconds);
  report('local', local);
  if (!findBinary('sshd')) {
    console.log('  ssh: skipped, sshd is not installed (Debian: apt install openssh-server)');
    return;
  }
  const sshd = await startSshd();
  try {
    const ssh = await latencyRun(router, sshd.target(HOSTS.lab), strace, seconds);
    report('ssh (loopback)', ssh);
  } finally {
    await sshd.stop();
  }
}

async function latencyRun(router: Testpmd, target: Target, strace: string, seconds: number): Promise<number[]> {
  const { execa } = await loadExeca();
  const dir = mkdtempSync(join(tmpdir(), 'vnflens-bench-'));
  const log = join(dir, 'strace.log');
  const emitted = new Map<string, number>();
  const session = new LiveSession({ target, pids: [router.pid], intervalMs: 100 });
  session.on('interval', (iv) => emitted.set(iv.t.toFixed(9), performance.timeOrigin + performance.now()));
  await session.start();
  const [perf] = await session.perfPids();
  if (perf?.pid === undefined) throw new Error('no perf pid');
  const tracer = execa(strace, ['-q', '-ttt', '-s', '40', '-e', 'trace=write', '-o', log, '-p', String(perf.pid)], { reject: false, stdin: 'ignore' });
  await sleep(seconds * 1000);
  tracer.kill('SIGINT');
  await tracer;
  await session.stop();
  const written = new Map<string, number>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    // 1764107400.123456 write(1, "     0.100112233,99.52,msec,task"..., 512) = 512
    const m = /^(\d+\.\d+) write\(1, "\s*(\d+\.\d{9}),/.exec(line);
    if (m && !written.has(m[2]!)) written.set(m[2]!, Number(m[1]) * 1000);
  }
  rmSync(dir, { recursive: true, force: true });
  const lat: number[] = [];
  for (const [t, w] of written) {
    const e = emitted.get(t);
    if (e !== undefined) lat.push(e - w);
  }
  if (lat.length === 0) throw new Error(`no interval matched between strace (${written.size}) and the session (${emitted.size})`);
  return lat;
}

function report(name: string, lat: number[]): void {
  const s = [...lat].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  console.log(`  ${name.padEnd(15)} n=${s.length}  p50 ${q(50).toFixed(2)} ms  p90 ${q(90).toFixed(2)} ms  p99 ${q(99).toFixed(2)} ms  max ${s.at(-1)!.toFixed(2)} ms`);
}

async function perfVersion(): Promise<string> {
  const { execa } = await loadExeca();
  return (await execa('perf', ['--version'])).stdout;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function mean(v: number[]): number {
  return v.reduce((a, x) => a + x, 0) / v.length;
}

function sd(v: number[]): number {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

main().then(
  () => runAllCleanups(),
  (e: unknown) => {
    runAllCleanups();
    console.error((e as Error).stack ?? String(e));
    process.exitCode = 1;
  },
);
