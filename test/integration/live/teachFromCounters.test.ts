import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { STATE_EVENTS } from '../../../src/core/calibration/fitState.ts';
import { countersLabel } from '../../../src/core/inference/counterLabels.ts';
import { loadExeca } from '../../../src/core/host/exec.ts';
import type { PacketCounts } from '../../../src/core/perf/interval.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { sleep } from '../../support/live.ts';
import { type TapRouter, sendPaced, startTapTestpmd, tapLabMissing } from '../../support/tapLab.ts';
import { cliArgs } from '../../support/cli.ts';

const missing = tapLabMissing() ?? missingBinaries('perf');
const repo = resolve(__dirname, '../../..');

interface InferRow {
  t: number;
  state: string;
  stateBasis?: string;
  counters?: { state?: string };
  agreement?: { agree: number; disagree: number; abstained: number };
}

describe('teach VNF Lens a router from its own counters: record testpmd on taps, calibrate --from, infer', { skip: missing }, () => {
  let router: TapRouter;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-teach-'));
    router = await startTapTestpmd();
  });

  after(async () => {
    await router?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the recording carries packets, the model learns exactly their idle/processing labels, and infer with it agrees with the counters', async () => {
    const { execa } = await loadExeca();
    const cli = (args: string[]) => execa(process.execPath, cliArgs([...args]), { cwd: repo, reject: false, stdin: 'ignore', timeout: 60_000 });
    const rec = join(dir, 'lab.vnflens');
    const model = join(dir, 'lab-model.json');
    const recording = execa(process.execPath, cliArgs(['record', '--local', '--pid', String(router.pid), '--interval', '500', '--duration', '13', '--out', rec]), { cwd: repo, reject: false, stdin: 'ignore', buffer: true, timeout: 60_000 });
    let stderr = '';
    recording.stderr!.on('data', (t: Buffer) => (stderr += t.toString()));
    const started = Date.now();
    while (!/counting \d+ events every 500 ms/.test(stderr)) {
      if (Date.now() - started > 30_000) throw new Error(`record did not start: ${stderr}`);
      await sleep(20);
    }
    // Idle, then 6 s of traffic, then idle to the end: at least 10 intervals of each state.
    await sendPaced(router.ifaceIn, '0:1,10000:6');
    const r = await recording;
    assert.equal(r.exitCode, 0, stderr);

    const replay = await cli(['replay', rec, '--format', 'jsonl']);
    assert.equal(replay.exitCode, 0, replay.stderr);
    const rows = replay.stdout.trim().split('\n').map((l) => JSON.parse(l) as { t: number; packets?: PacketCounts });
    assert.ok(rows.length >= 24 && rows.every((x) => x.packets !== undefined), `every interval carries packets: ${rows.length} intervals`);
    const labels = rows.map((x) => countersLabel(x.packets!).state);
    const idle = labels.filter((s) => s === 'idle').length;
    const processing = labels.length - idle;
    const report = rows.map((x) => `${x.t.toFixed(1)}:${x.packets!.rx}`).join(' ');
    assert.ok(idle >= 10 && processing >= 10, `${idle} idle and ${processing} processing intervals by the packets: ${report}`);

    const cal = await cli(['calibrate', '--from', rec, '--out', model]);
    assert.equal(cal.exitCode, 0, cal.stderr);
    const m = JSON.parse(readFileSync(model, 'utf8')) as { state: { features: string[] }; provenance: { counts: { intervals: number; state: Record<string, number> }; notes?: string[] } };
    assert.deepEqual(m.provenance.counts.state, { idle, processing }, 'the model learnt the packet-derived labels');
    assert.equal(m.provenance.counts.intervals, rows.length);
    const software = !m.state.features.some((e) => STATE_EVENTS.includes(e));
    assert.equal(software, (m.provenance.notes ?? []).some((n) => n.startsWith('state fitted on software events')), `the model says what it fitted the state on: ${m.state.features.join(', ')}`);
    assert.match(cal.stderr, new RegExp(`state: fitted on ${software ? 'software events ' : ''}`));

    const inf = await cli(['infer', '--model', model, '--brief', '--format', 'jsonl', rec]);
    assert.equal(inf.exitCode, 0, inf.stderr);
    const out = inf.stdout.trim().split('\n').map((l) => JSON.parse(l) as InferRow);
    assert.equal(out.length, rows.length);
    out.forEach((o, i) => assert.equal(o.counters?.state, labels[i], `interval ${o.t}: the counters' label`));
    // Answers taken from the counters say so and match them; answers from the CPU are mostly right.
    const fromCounters = out.filter((o) => o.stateBasis === 'router-counters');
    assert.ok(fromCounters.every((o) => o.state === o.counters!.state));
    const answered = out.filter((o) => o.stateBasis !== 'router-counters' && o.state !== 'unknown');
    const wrong = answered.filter((o) => o.state !== o.counters!.state);
    const tally = out.at(-1)!.agreement!;
    assert.equal(tally.agree + tally.disagree + tally.abstained, out.length, 'the tally counts every interval');
    assert.equal(tally.disagree, wrong.length);
    assert.ok(answered.length >= out.length / 2 && wrong.length <= Math.max(2, 0.1 * answered.length), `${answered.length} answered from the CPU, ${wrong.length} wrong: ${out.map((o) => `${o.t.toFixed(1)}:${o.state}/${o.counters?.state}`).join(' ')}`);
    process.stdout.write(`# teach: ${idle} idle / ${processing} processing; state on ${m.state.features.join(', ')}; agreement ${JSON.stringify(tally)}\n`);
  });
});
