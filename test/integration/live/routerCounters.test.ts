import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDpdkTelemetry } from '../../../src/core/counters/dpdkTelemetry.ts';
import { counterSpecFor, readProcessFacts } from '../../../src/core/counters/discover.ts';
import { loadExeca } from '../../../src/core/live/exec.ts';
import { openHost } from '../../../src/core/live/openHost.ts';
import type { PacketCounts } from '../../../src/core/perf/interval.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { sleep } from '../../support/live.ts';
import { HOSTS, type SshdFixture, startSshd } from '../../support/sshd.ts';
import { type TapRouter, sendPaced, startTapTestpmd, tapLabMissing, tapStats } from '../../support/tapLab.ts';

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

  for (const where of ['local', 'ssh'] as const) {
    test(`done when (${where}): a 10 s record at 500 ms with 3 s of traffic in the middle replays per-interval packets that add up to what the kernel delivered`, async () => {
      const out = join(dir, `done-${where}.vnflens`);
      const target = where === 'local' ? ['--local'] : ['--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig];
      const { execa } = await loadExeca();
      const k0 = tapStats(router.ifaceIn);
      const rec = execa(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'record', ...target, '--pid', String(router.pid), '--interval', '500', '--events', 'task-clock,context-switches', '--duration', '10', '--out', out], {
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
      const from = (performance.now() - zero) / 1000;
      const phases = await sendPaced(router.ifaceIn, '20000:3');
      const to = (performance.now() - zero) / 1000;
      const r = await rec;
      assert.equal(r.exitCode, 0, stderr);
      assert.match(stderr, /router packet counters from DPDK telemetry \/var\/run\/dpdk\//);
      const k1 = tapStats(router.ifaceIn);
      const delivered = k1.txPackets - k0.txPackets;
      assert.ok(phases[0]!.sent > 40_000, `sender sent ${phases[0]!.sent}`);

      const replay = await execa(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'replay', out, '--format', 'jsonl'], { cwd: repo, reject: false });
      assert.equal(replay.exitCode, 0, replay.stderr);
      const rows = replay.stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
      assert.ok(rows.length >= 18, `${rows.length} intervals`);
      assert.ok(rows.every((x) => x.packets !== undefined), 'every interval has packets');
      const rx = rows.reduce((a, x) => a + x.packets!.rx, 0);
      const tx = rows.reduce((a, x) => a + x.packets!.tx, 0);
      const margin = 0.3;
      const before = rows.filter((x) => x.t < from - margin);
      const afterTraffic = rows.filter((x) => x.t - x.dt > to + margin);
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
