import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import type { RecordingMeta } from '../../../src/core/recording/format.ts';
import { SessionPipeline } from '../../../src/core/session/sessionPipeline.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { batchForPanel } from '../../../src/core/ui/frames.ts';
import { modelView } from '../../../src/core/ui/modelView.ts';
import { formatPps } from '../../../src/core/ui/packetText.ts';
import type { Frame, SessionInfo } from '../../../src/protocol.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { repoRoot } from '../../support/paths.ts';
import { sleep } from '../../support/live.ts';
import { type TapRouter, sendPaced, startTapTestpmd, tapLabMissing } from '../../support/tapLab.ts';
import { Browser, bundleBuilt } from './harness.ts';
import { DARK, LIGHT } from './themes.ts';
import { cliArgs } from '../../support/cli.ts';

// The panel as a user of this host sees it: `vnf-lens record` with its default events on a
// real dpdk-testpmd between two taps, paced traffic at two rates, then the recording through
// the core into the built panel in Chromium.

const missing = tapLabMissing() ?? missingBinaries('perf');

describe('live panel on a real dpdk-testpmd recording with its DPDK telemetry counters', { skip: missing }, () => {
  let router: TapRouter;
  let dir: string;
  let browser: Browser;
  let intervals: Interval[];
  let meta: RecordingMeta | undefined;

  before(async () => {
    assert.ok(bundleBuilt(), 'media/dist/live.js is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'vnflens-panel-testpmd-'));
    router = await startTapTestpmd();
    const out = join(dir, 'testpmd.vnflens');
    const { execa } = await loadExeca();
    const rec = execa(process.execPath, cliArgs(['record', '--local', '--pid', String(router.pid), '--interval', '500', '--duration', '9', '--out', out]), {
      cwd: repoRoot,
      reject: false,
      stdin: 'ignore',
      timeout: 90_000,
    });
    let stderr = '';
    rec.stderr!.on('data', (t: Buffer) => (stderr += t.toString()));
    const started = Date.now();
    while (!/counting \d+ events every 500 ms/.test(stderr)) {
      if (Date.now() - started > 40_000) throw new Error(`record did not start: ${stderr}`);
      await sleep(20);
    }
    await sleep(1500);
    await sendPaced(router.ifaceIn, '20000:2.5,60000:2.5');
    const r = await rec;
    assert.equal(r.exitCode, 0, stderr);
    intervals = await readAllIntervals(out, { onMeta: (m) => (meta = m) });
    browser = await Browser.start();
  });

  after(async () => {
    await browser?.close();
    await router?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the packet rate testpmd forwarded, its cost per packet and the software events first on this PMU-less host', async (t) => {
    assert.ok(intervals.length >= 14, `${intervals.length} intervals`);
    assert.ok(intervals.every((iv) => iv.packets !== undefined), 'every interval carries the router counters');
    const hostHasPmu = intervals.some((iv) => 'cycles' in iv.counters);
    const model = await loadDefaultModel();
    const pipeline = new SessionPipeline(model);
    const frames: Frame[] = intervals.map((iv) => pipeline.push(iv).frame);
    const busiest = frames.reduce((a, b) => (b.packets!.pps > a.packets!.pps ? b : a));
    // The sender's second phase offers 60 kpps; testpmd takes what the tap hands it.
    assert.ok(busiest.packets!.pps > 20_000, `peak ${busiest.packets!.pps} pps`);
    assert.ok(frames.slice(0, 2).every((f) => f.packets!.pps === 0), 'idle before the traffic');
    const ns = frames.map((f) => f.packets!.cpuNsPerPacket).filter((x): x is number => x !== null).sort((a, b) => a - b);
    t.diagnostic(`testpmd on two taps: peak ${formatPps(busiest.packets!.pps)} received, median ${(ns[ns.length >> 1]! / 1000).toFixed(1)} µs of CPU per packet over ${ns.length} intervals with traffic`);

    for (const theme of [DARK, LIGHT]) {
      const p = await browser.open(theme, 'dpdk-testpmd (recorded)');
      const session: SessionInfo = {
        id: 'testpmd',
        title: 'dpdk-testpmd (recorded)',
        host: `${meta!.host} (recorded)`,
        kind: 'replay',
        pids: [router.pid],
        events: meta!.events,
        intervalMs: 500,
        status: 'ended',
        // As the replay source passes it on from the recording.
        ...(meta!.unsupported ? { perf: { unsupported: meta!.unsupported, refused: [], paranoid: null } } : {}),
      };
      await p.send({ type: 'init', session, model: modelView(model), settings: { windowSeconds: 120 }, frames: batchForPanel(frames) });
      await p.run(`(() => { const s = document.querySelector('input.scroll'); s.value = s.max; s.dispatchEvent(new Event('input', { bubbles: true })); })()`);
      const rx = await p.page.locator('.packet-card [data-figure="rx"] .figure-value').innerText();
      assert.equal(rx, formatPps(frames.at(-1)!.packets!.pps));
      const cost = await p.hook((h) => h.charts['cost']!.data.datasets.map((d) => ({ label: d.label, n: d.data.filter((q) => q.y !== null).length })));
      const withCost = frames.filter((f) => (hostHasPmu ? f.packets!.cyclesPerPacket : f.packets!.cpuNsPerPacket) !== null).length;
      assert.ok(withCost >= 4, `${withCost} intervals with traffic and a cost`);
      assert.equal(cost.find((d) => d.label === (hostHasPmu ? 'cycles/pkt' : 'CPU ns/pkt'))!.n, withCost);
      if (hostHasPmu) {
        t.diagnostic('this host has a PMU: the no-PMU layout is not checked here');
      } else {
        assert.ok(meta!.unsupported && meta!.unsupported.includes('cycles'), `the recording names what perf could not count: ${JSON.stringify(meta!.unsupported)}`);
        assert.equal(await p.hook((h) => h.layout()), 'no-pmu');
        const notices = await p.hook((h) => h.notices());
        assert.deepEqual(
          notices.map((n) => n.id),
          ['no-pmu'],
        );
        assert.match(notices[0]!.text, new RegExp(`perf reports <not supported> for all ${meta!.unsupported.length} hardware events`));
        const osBox = await p.page.locator('[data-group="os"]').boundingBox();
        assert.ok(osBox && osBox.y < 650, `OS chart at ${osBox?.y} px`);
        const body = await p.page.locator('body').innerText();
        for (const bad of ["Not in this session's event list", 'Waiting for the first similarities', 'no calibrated scenario is close']) assert.ok(!body.includes(bad), `"${bad}" shown`);
      }
      await p.screenshot(`testpmd-recording-${theme === DARK ? 'dark' : 'light'}`);
      assert.deepEqual(p.problems(), []);
      await p.close();
    }
  });
});
