import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CostSampler } from '../../../src/core/cost/costSampler.ts';
import type { ElementCostReport } from '../../../src/core/cost/elementCost.ts';
import { LocalHost } from '../../../src/core/host/localHost.ts';
import { SshHost } from '../../../src/core/host/sshHost.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { type CostRouter, TRUE_SHARES, startCostRouter } from '../../support/costRouter.ts';
import { expectNoPerfAttached, sleep } from '../../support/live.ts';
import { HOSTS, type SshdFixture, startSshd } from '../../support/sshd.ts';
import { type Testpmd, startTestpmd } from '../../support/testpmd.ts';

const missing = missingBinaries('perf', 'g++');

/** Each class's share must be within 5 points of the work cost-router.cpp gives it. */
function assertShares(r: ElementCostReport, where: string): void {
  const got = Object.fromEntries(r.classes.map((c) => [c.className, c.share]));
  process.stdout.write(`# ${where}: ${r.samples} samples: ${Object.entries(got).map(([k, v]) => `${k} ${(v * 100).toFixed(1)} %`).join(', ')}; outside ${(r.outside.share * 100).toFixed(1)} %\n`);
  assert.ok(r.samples >= 300, `${r.samples} samples: too few to judge 5 points`);
  for (const [cls, truth] of Object.entries(TRUE_SHARES)) {
    const share = got[cls] ?? 0;
    assert.ok(Math.abs(share - truth) <= 0.05, `${where}: ${cls} got ${(share * 100).toFixed(1)} %, truth ${truth * 100} %`);
  }
}

describe('element cost: a g++-built router sampled with real perf record -e cpu-clock', { skip: missing }, () => {
  let router: CostRouter;
  const host = new LocalHost({ kind: 'local' });

  before(async () => {
    await host.connect();
    router = await startCostRouter();
    await sleep(300);
  });

  after(async () => {
    await router?.stop();
    await host.close();
  });

  test('shares per element class within 5 points of the truth (60/30/10), two Counters flagged as one class', async () => {
    const s = new CostSampler({ host, pid: router.pid, frequencyHz: 997, windowS: 6, elements: () => router.elements, onWindow: () => {}, onNotice: () => {} });
    const w = await s.sampleOnce();
    const r = w.report;
    assertShares(r, 'local');
    assert.equal(r.stripped, undefined, 'the router has its symbols');
    assert.equal(w.executable, router.binary);
    const c1 = r.elements.find((e) => e.element === 'c1')!;
    assert.deepEqual(c1.sharedWith, ['c2']);
    assert.equal(c1.share, r.classes.find((c) => c.className === 'Counter')!.share);
    // The work is in spin(), called by every element: the call chain finds whom it works for.
    assert.ok(r.outside.share < 0.05, `outside the elements: ${(r.outside.share * 100).toFixed(1)} %`);
    const cpuS = r.cpuNs / 1e9;
    assert.ok(cpuS > 0.5 && cpuS <= 6 * 1.1, `${cpuS.toFixed(2)} CPU s in a 6 s window of a one-thread router`);
    assert.ok(w.perfCpuMs !== undefined && w.perfCpuMs > 0, 'perf record and perf script report their CPU time');
  });

  test('the default rate (99 Hz, 10 s windows) in a loop: perf CPU measured per window, stop ends perf and the loop', async () => {
    const windows: number[] = [];
    const notices: string[] = [];
    const s = new CostSampler({ host, pid: router.pid, windowS: 2, elements: () => router.elements, onWindow: (w) => windows.push(w.perfCpuMs ?? -1), onNotice: (m) => notices.push(m) });
    s.start();
    const t0 = Date.now();
    while (windows.length < 1 && Date.now() - t0 < 20_000) await sleep(100);
    assert.equal(windows.length, 1, `one window done (notices: ${notices.join('; ')})`);
    assert.ok(windows[0]! > 0);
    await sleep(200);
    const stopAt = Date.now();
    await s.stop();
    assert.ok(Date.now() - stopAt < 6000, 'stop does not wait for the window to run out');
    await expectNoPerfAttached(router.pid);
    assert.deepEqual(notices, []);
  });

  test('the router exiting under the loop is told as its own event (a followed session samples the next process), not as a failure', async () => {
    const own = await startCostRouter();
    const gone: number[] = [];
    const notices: string[] = [];
    let windows = 0;
    const s = new CostSampler({ host, pid: own.pid, windowS: 1, elements: () => own.elements, onWindow: () => windows++, onNotice: (m) => notices.push(m), onProcessGone: (p) => gone.push(p) });
    s.start();
    const t0 = Date.now();
    while (windows < 1 && Date.now() - t0 < 20_000) await sleep(100);
    await own.stop();
    while (gone.length === 0 && notices.length === 0 && Date.now() - t0 < 30_000) await sleep(100);
    await s.stop();
    assert.deepEqual(gone, [own.pid], `gone (notices: ${notices.join('; ')})`);
    assert.deepEqual(notices, []);
    assert.equal(s.running, false, 'the loop ended');
  });

  test('a PID that is not running is a clear error', async () => {
    const s = new CostSampler({ host, pid: 4_000_000, windowS: 1, elements: () => [], onWindow: () => {}, onNotice: () => {} });
    await assert.rejects(s.sampleOnce(), /PID 4000000 is not running on local host/);
  });
});

describe('element cost of a stripped binary: dpdk-testpmd gives a share per library', { skip: missingBinaries('perf', 'dpdk-testpmd') }, () => {
  let router: Testpmd;
  const host = new LocalHost({ kind: 'local' });

  before(async () => {
    await host.connect();
    router = await startTestpmd({ lcores: '0,1' });
  });

  after(async () => {
    await router?.stop();
    await host.close();
  });

  test('says the executable is stripped and splits the CPU by module', async () => {
    const s = new CostSampler({ host, pid: router.pid, frequencyHz: 499, windowS: 3, elements: () => [], onWindow: () => {}, onNotice: () => {} });
    const w = await s.sampleOnce();
    const r = w.report;
    process.stdout.write(`# testpmd: ${r.samples} samples; ${r.modules.slice(0, 5).map((m) => `${m.dso} ${(m.share * 100).toFixed(1)} % (no symbol ${(m.unknownSymbols * 100).toFixed(0)} %)`).join(', ')}\n`);
    assert.ok(r.samples >= 100, `${r.samples} samples`);
    assert.ok(r.stripped, 'the stripped executable is named');
    assert.match(r.stripped.note, /dpdk-testpmd has no symbol table \(stripped\)/);
    const sum = r.modules.reduce((a, m) => a + m.share, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `module shares add up to ${sum}`);
    assert.ok(r.modules.some((m) => /librte_/.test(m.dso) && m.share > 0), 'the DPDK libraries show up as modules');
  });
});

describe('element cost over ssh (real sshd on 127.0.0.1)', { skip: missingBinaries('perf', 'g++', 'sshd', 'ssh', 'ssh-keygen') }, () => {
  let sshd: SshdFixture;
  let router: CostRouter;
  let host: SshHost;

  before(async () => {
    sshd = await startSshd();
    router = await startCostRouter();
    host = new SshHost(sshd.target(HOSTS.lab));
    await host.connect();
  });

  after(async () => {
    await host?.close();
    await router?.stop();
    await sshd?.stop();
  });

  test('perf record and perf script run on the lab host; the shares hold', async () => {
    const s = new CostSampler({ host, pid: router.pid, frequencyHz: 997, windowS: 5, elements: () => router.elements, onWindow: () => {}, onNotice: () => {} });
    const w = await s.sampleOnce();
    assertShares(w.report, 'ssh');
    assert.ok(w.perfCpuMs !== undefined && w.perfCpuMs > 0);
  });

  test('stop over ssh signals the remote perf and leaves none attached', async () => {
    const s = new CostSampler({ host, pid: router.pid, windowS: 30, elements: () => router.elements, onWindow: () => {}, onNotice: () => {} });
    s.start();
    await sleep(1500);
    const at = Date.now();
    await s.stop();
    assert.ok(Date.now() - at < 8000, `stop took ${Date.now() - at} ms`);
    await expectNoPerfAttached(router.pid);
  });
});
