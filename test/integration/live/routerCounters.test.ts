import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDpdkTelemetry } from '../../../src/core/counters/dpdkTelemetry.ts';
import { counterSpecFor, readProcessFacts } from '../../../src/core/counters/discover.ts';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { openHost } from '../../../src/core/host/openHost.ts';
import type { PacketCounts } from '../../../src/core/perf/interval.ts';
import { LiveSession } from '../../../src/core/live/session.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { HOST_CHANGES_SKIP, hostChangesAllowed } from '../../support/hostChanges.ts';
import { collect, sleep, waitFor } from '../../support/live.ts';
import { HOSTS, type SshdFixture, TEST_USER, startSshd, userIds } from '../../support/sshd.ts';
import { type TapRouter, sendPaced, startTapTestpmd, tapLabMissing, tapStats } from '../../support/tapLab.ts';
import { cliArgs } from '../../support/cli.ts';

const missing = tapLabMissing() ?? missingBinaries('perf', 'sshd', 'ssh', 'ssh-keygen', 'useradd');
const repo = resolve(__dirname, '../../..');

interface Row {
  t: number;
  dt: number;
  packets?: PacketCounts;
}

describe('router packet counters: DPDK telemetry of dpdk-testpmd on two taps, paced traffic from the kernel side', { skip: missing }, () => {
  let router: TapRouter;
  let sshd: SshdFixture;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-counters-'));
    router = await startTapTestpmd();
    sshd = await startSshd();
  });

  after(async () => {
    await router?.stop();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the telemetry reader finds the socket from the process and counts what the kernel delivered into the tap', async () => {
    const host = await openHost({ kind: 'local' });
    try {
      const spec = counterSpecFor(await readProcessFacts(host, router.pid));
      assert.equal(spec?.kind, 'dpdk-telemetry');
      const reader = await openDpdkTelemetry(host, spec as Extract<typeof spec, { kind: 'dpdk-telemetry' }>);
      try {
        assert.match(reader.description, new RegExp(`/var/run/dpdk/${router.prefix}/dpdk_telemetry\\.v2`));
        const k0 = tapStats(router.ifaceIn);
        const t0 = await reader.read();
        const phases = await sendPaced(router.ifaceIn, '20000:1');
        await sleep(300);
        const k1 = tapStats(router.ifaceIn);
        const t1 = await reader.read();
        const rx = (t: typeof t0) => t.ports.find((p) => p.port === '0')!.rx;
        const tx = (t: typeof t0) => t.ports.find((p) => p.port === '1')!.tx;
        const delivered = k1.txPackets - k0.txPackets;
        assert.ok(phases[0]!.sent > 15_000, `sender sent ${phases[0]!.sent}`);
        assert.equal(delivered + (k1.txDropped - k0.txDropped), phases[0]!.sent, 'every frame sent was delivered or dropped by the kernel');
        assert.equal(rx(t1) - rx(t0), delivered, 'testpmd port 0 received exactly what the kernel delivered');
        assert.equal(tx(t1) - tx(t0), delivered, 'and sent all of it out of port 1');
      } finally {
        await reader.close();
      }
    } finally {
      await host.close();
    }
  });

  test('loss: above what a slowed (and briefly frozen) testpmd takes, the kernel drops at the tap and the counters report exactly those drops', async () => {
    // The "noisy" forwarding mode does memory lookups per packet, so testpmd takes far less than the offered rate.
    const slow = await startTapTestpmd({ forwardArgs: ['--forward-mode=noisy', '--noisy-lkup-memory=64', '--noisy-lkup-num-reads=400', '--noisy-lkup-num-writes=40'] });
    const host = await openHost({ kind: 'local' });
    try {
      const spec = counterSpecFor(await readProcessFacts(host, slow.pid)) as Extract<ReturnType<typeof counterSpecFor>, { kind: 'dpdk-telemetry' }>;
      assert.deepEqual(spec.tapInterfaces, [slow.ifaceIn, slow.ifaceOut]);
      const reader = await openDpdkTelemetry(host, spec);
      try {
        const k0 = tapStats(slow.ifaceIn);
        const t0 = await reader.read();
        // On a fast, quiet machine even the noisy mode may keep up with the sender: testpmd is
        // also frozen for the first second of the send, so the tap's queue overflows whatever the CPU.
        process.kill(slow.pid, 'SIGSTOP');
        const resume = setTimeout(() => process.kill(slow.pid, 'SIGCONT'), 1000);
        try {
          await sendPaced(slow.ifaceIn, '60000:2');
        } finally {
          clearTimeout(resume);
          process.kill(slow.pid, 'SIGCONT');
        }
        await sleep(500);
        const k1 = tapStats(slow.ifaceIn);
        const t1 = await reader.read();
        const sum = (t: typeof t0, f: 'rx' | 'dropped') => t.ports.reduce((a, p) => a + p[f], 0);
        const dropped = k1.txDropped - k0.txDropped;
        assert.ok(dropped > 0, `the kernel dropped ${dropped} at the tap`);
        assert.equal(sum(t1, 'dropped') - sum(t0, 'dropped'), dropped, 'dropped = what the kernel dropped at the tap');
        assert.equal(sum(t1, 'rx') - sum(t0, 'rx'), k1.txPackets - k0.txPackets, 'rx = what the kernel delivered');
      } finally {
        await reader.close();
      }
    } finally {
      await host.close();
      await slow.stop();
    }
  });

  /** A plain process to attach perf to, as `user` when given; killed when the test ends. */
  async function standIn(user?: { uid: number; gid: number }) {
    const { execa } = await loadExeca();
    const p = execa('sleep', ['120'], { reject: false, stdin: 'ignore', ...(user ?? {}) });
    const untrack = track(`sleep ${p.pid}`, () => killQuietly(p.pid));
    return {
      pid: p.pid!,
      stop: async () => {
        p.kill('SIGKILL');
        await p;
        untrack();
      },
    };
  }

  test('a wrong prefix is a clear notice, and perf records on without packets', async () => {
    const s = new LiveSession({ target: { kind: 'local' }, pids: [router.pid], events: ['task-clock'], intervalMs: 200, routerCounters: { kind: 'dpdk-telemetry', filePrefix: 'no-such-router' } });
    const c = collect(s);
    await s.start();
    await waitFor('intervals', () => c.intervals.length >= 3);
    await s.stop();
    const n = c.notices.find((x) => x.includes('no router packet counters'));
    assert.match(n ?? '', new RegExp(`pid-${router.pid}: no router packet counters \\(DPDK telemetry \\(prefix no-such-router\\): no socket at /var/run/dpdk/no-such-router/dpdk_telemetry\\.v2.*\\); perf goes on, retrying`), c.notices.join('\n'));
    assert.ok(c.intervals.every((iv) => iv.packets === undefined && iv.counters['task-clock']! > 0));
  });

  test('no permission over ssh: an unprivileged user cannot open root\'s telemetry socket; a clear notice, and perf goes on', { skip: !hostChangesAllowed() && HOST_CHANGES_SKIP }, async () => {
    const own = await standIn(await userIds(TEST_USER));
    try {
      const s = new LiveSession({ target: sshd.target(HOSTS.user), pids: [own.pid], events: ['task-clock'], intervalMs: 200, routerCounters: { kind: 'dpdk-telemetry', filePrefix: router.prefix } });
      const c = collect(s);
      await s.start();
      await waitFor('intervals', () => c.intervals.length >= 3);
      await s.stop();
      const n = c.notices.find((x) => x.includes('no router packet counters')) ?? '';
      assert.match(n, new RegExp(`permission denied on /var/run/dpdk/${router.prefix}/dpdk_telemetry\\.v2 \\(read it as the router's user or root\\)`), c.notices.join('\n'));
      assert.match(n, /perf goes on, retrying/);
      assert.ok(c.intervals.length >= 3 && c.intervals.every((iv) => iv.packets === undefined));
    } finally {
      await own.stop();
    }
  });

  test('router restart: the socket goes away and comes back under the same prefix; the counters reconnect and perf never stops', async () => {
    const prefix = `vnflens-restart-${process.pid}`;
    const own = await standIn();
    let r1: TapRouter | undefined = await startTapTestpmd({ prefix });
    let r2: TapRouter | undefined;
    try {
      const s = new LiveSession({ target: { kind: 'local' }, pids: [own.pid], events: ['task-clock'], intervalMs: 250, routerCounters: { kind: 'dpdk-telemetry', filePrefix: prefix } });
      const c = collect(s);
      await s.start();
      await sendPaced(r1.ifaceIn, '10000:1');
      await sleep(600);
      await r1.stop();
      r1 = undefined;
      // The router closing its socket as it exits reads as the counters stopping; a reading that found no socket, as none.
      await waitFor('the notice that the counters are gone', () => c.notices.some((n) => /router packet counters stopped|no router packet counters/.test(n)), 10_000);
      const atRestart = c.intervals.length;
      r2 = await startTapTestpmd({ prefix });
      await waitFor('the counters back', () => c.notices.some((n) => n.includes('router packet counters back')), 20_000);
      // The host may send a packet or two into new taps before their IPv6 is off: let that settle, then count from here.
      await sleep(1500);
      const intoTaps = () => tapStats(r2!.ifaceIn).txPackets + tapStats(r2!.ifaceOut).txPackets;
      const mark = c.intervals.length;
      const k0 = intoTaps();
      await sleep(600);
      await sendPaced(r2.ifaceIn, '10000:1');
      await sleep(1200);
      const delivered = intoTaps() - k0;
      await s.stop();
      const before = c.intervals.slice(0, atRestart);
      const afterBack = c.intervals.slice(atRestart);
      assert.ok(before.some((iv) => (iv.packets?.rx ?? 0) > 0), 'traffic counted before the restart');
      assert.ok(afterBack.some((iv) => iv.packets === undefined), 'no packets while the router was gone');
      const rxAfter = c.intervals.slice(mark).reduce((a, iv) => a + (iv.packets?.rx ?? 0), 0);
      assert.equal(rxAfter, delivered, `after the restart the counters count what the kernel delivered to the new router (${c.notices.join(' | ')})`);
      assert.ok(afterBack.length >= 8, `perf went on throughout (${afterBack.length} intervals after the restart)`);
    } finally {
      await r1?.stop();
      await r2?.stop();
      await own.stop();
    }
  });

  for (const where of ['local', 'ssh'] as const) {
    test(`done when (${where}): a 10 s record at 500 ms with 3 s of traffic in the middle replays per-interval packets that add up to what the kernel delivered`, async () => {
      const out = join(dir, `done-${where}.vnflens`);
      const target = where === 'local' ? ['--local'] : ['--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig];
      const { execa } = await loadExeca();
      const k0 = tapStats(router.ifaceIn);
      const rec = execa(process.execPath, cliArgs(['record', ...target, '--pid', String(router.pid), '--interval', '500', '--events', 'task-clock,context-switches', '--duration', '10', '--out', out]), {
        cwd: repo,
        reject: false,
        stdin: 'ignore',
        buffer: true,
        timeout: 60_000,
      });
      let stderr = '';
      rec.stderr!.on('data', (t: Buffer) => (stderr += t.toString()));
      const started = Date.now();
      while (!/counting \d+ events every 500 ms/.test(stderr)) {
        if (Date.now() - started > 30_000) throw new Error(`record did not start: ${stderr}`);
        await sleep(20);
      }
      const zero = performance.now();
      await sleep(3500);
      const phases = await sendPaced(router.ifaceIn, '20000:3');
      // The sender paces for 3 s and exits: the traffic ran in the 3 s before it returned (python's start-up may be slow on a busy host).
      const to = (performance.now() - zero) / 1000;
      const from = to - phases[0]!.seconds - 0.1;
      const r = await rec;
      assert.equal(r.exitCode, 0, stderr);
      assert.match(stderr, /router packet counters from DPDK telemetry \/var\/run\/dpdk\//);
      const k1 = tapStats(router.ifaceIn);
      const delivered = k1.txPackets - k0.txPackets;
      assert.ok(phases[0]!.sent > 40_000, `sender sent ${phases[0]!.sent}`);

      const replay = await execa(process.execPath, cliArgs(['replay', out, '--format', 'jsonl']), { cwd: repo, reject: false });
      assert.equal(replay.exitCode, 0, replay.stderr);
      const rows = replay.stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
      assert.ok(rows.length >= 18, `${rows.length} intervals`);
      assert.ok(rows.every((x) => x.packets !== undefined), 'every interval has packets');
      const rx = rows.reduce((a, x) => a + x.packets!.rx, 0);
      const tx = rows.reduce((a, x) => a + x.packets!.tx, 0);
      const margin = 0.4;
      // The test's clock starts when record says it counts, which over ssh on a busy host comes
      // up to about a second after perf's own zero: the quiet stretches are judged with that slack.
      const quiet = 1.0;
      const before = rows.filter((x) => x.t < from - quiet);
      const afterTraffic = rows.filter((x) => x.t - x.dt > to + quiet);
      const during = rows.filter((x) => x.t - x.dt > from + margin && x.t < to - margin);
      const report = `kernel delivered ${delivered}, replay rx ${rx} tx ${tx}; traffic ${from.toFixed(2)}-${to.toFixed(2)} s; ${rows.map((x) => `${x.t.toFixed(2)}:${x.packets!.rx}`).join(' ')}`;
      assert.ok(Math.abs(rx - delivered) <= 0.02 * delivered, report);
      assert.ok(Math.abs(tx - rx) <= 0.05 * rx, report);
      assert.ok(before.length >= 4 && before.every((x) => x.packets!.rx === 0), `zero before the traffic: ${report}`);
      assert.ok(afterTraffic.length >= 3 && afterTraffic.every((x) => x.packets!.rx === 0), `zero after the traffic: ${report}`);
      assert.ok(during.length >= 3 && during.every((x) => x.packets!.rx > 0), `positive during the traffic: ${report}`);
      assert.match(readFileSync(out, 'utf8'), /^#@vnf-lens \{"packets":\{"stream":"pid-\d+","t":/m);
      process.stdout.write(`# done-when ${where}: ${report}\n`);
    });
  }
});
