import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compareRevisions } from '../../../src/core/compare/revisionAb.ts';
import { abRows } from '../../../src/core/compare/render/revisionReport.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { withPacketFeatures } from '../../../src/core/fingerprint/packetMetrics.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import type { RecordingMeta, RevisionEndRecord, RevisionRecord } from '../../../src/core/recording/format.ts';
import { RecordingWriter } from '../../../src/core/recording/writer.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { dataset } from '../../support/paths.ts';
import { runCli } from '../../support/cli.ts';

// A recording of a router followed across a restart, written as a live session writes it,
// from real perf text (the OpenNetVM bridge) and the real packet counts of each second.

const dir = mkdtempSync(join(tmpdir(), 'vnflens-revrec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const meta: RecordingMeta = { host: 'lab-1', processes: [{ pid: 4242 }, { pid: 9090 }], events: [], intervalMs: 1000, startedAt: '2026-12-07T10:00:00.000Z', separator: ',' };

/** The bridge run's perf lines, one block per interval, in file order. */
function perfBlocks(): string[] {
  const blocks = new Map<string, string>();
  for (const line of readFileSync(dataset('opennetvm-bridge', '128B', 'bridge.csv'), 'utf8').split('\n')) {
    const t = /^\s*(\d+\.\d+),/.exec(line)?.[1];
    if (t !== undefined) blocks.set(t, (blocks.get(t) ?? '') + line + '\n');
  }
  return [...blocks.values()];
}

let path: string;
let seconds: Interval[];
let cut: number;

before(async () => {
  seconds = (await bridgeWithPackets('128B')).map((s) => s.iv);
  const blocks = perfBlocks().slice(0, seconds.length);
  cut = Math.floor(blocks.length / 2);
  path = join(dir, 'restart.vnflens');
  const w = RecordingWriter.create(path, meta);
  const rev = (stream: string, n: number, pid: number, t: number): RevisionRecord => ({ stream, n, pid, t, at: `2026-12-07T10:00:${String(n).padStart(2, '0')}.000Z`, cmdline: 'onvm bridge', binary: { path: '/opt/onvm/bridge', buildId: `${n}`.repeat(40) } });
  w.revision(rev('pid-4242', 1, 4242, 0));
  w.revision(rev('pid-9090', 1, 9090, 0));
  blocks.forEach((b, i) => {
    const { rx, tx, dropped } = seconds[i]!.packets!;
    if (i === cut) {
      w.gap({ stream: 'pid-4242', from: '2026-12-07T10:01:00.000Z', to: '2026-12-07T10:01:01.000Z', reason: 'router restarted: process 4242 exited, process 5151 started' });
      w.revisionEnd({ stream: 'pid-4242', n: 1, pid: 4242, t: seconds[i - 1]!.t, at: '2026-12-07T10:01:00.000Z', reason: 'process 4242 exited' });
      w.revision(rev('pid-4242', 2, 5151, seconds[i]!.t - 1));
    }
    w.perfText('pid-4242', b);
    w.packets({ stream: 'pid-4242', t: seconds[i]!.t, rx, tx, dropped });
    // A second router of the chain, never restarted: one revision throughout.
    if (i < 20) w.perfText('pid-9090', b);
  });
  w.revisionEnd({ stream: 'pid-4242', n: 2, pid: 5151, t: seconds.at(-1)!.t, at: '2026-12-07T10:02:00.000Z', reason: 'stopped' });
  w.end({ at: '2026-12-07T10:02:00.000Z', reason: 'stopped' });
  w.close();
});

describe('recordings of a router followed across restarts', () => {
  it('keep every PID with its start and end, and tag each interval with its revision, per stream', async () => {
    const revs: RevisionRecord[] = [];
    const ends: RevisionEndRecord[] = [];
    const ivs = await readAllIntervals(path, { onRevision: (r) => revs.push(r), onRevisionEnd: (r) => ends.push(r) });
    assert.deepEqual(revs.map((r) => [r.stream, r.n, r.pid]), [
      ['pid-4242', 1, 4242],
      ['pid-9090', 1, 9090],
      ['pid-4242', 2, 5151],
    ]);
    assert.deepEqual(ends.map((r) => [r.stream, r.n, r.pid, r.reason]), [
      ['pid-4242', 1, 4242, 'process 4242 exited'],
      ['pid-4242', 2, 5151, 'stopped'],
    ]);
    const main = ivs.filter((iv) => iv.stream === 'pid-4242');
    assert.equal(main.length, seconds.length);
    assert.deepEqual(
      main.map((iv) => iv.revision),
      seconds.map((_, i) => (i < cut ? 1 : 2)),
    );
    main.forEach((iv, i) => assert.deepEqual(iv.packets && [iv.packets.rx, iv.packets.dropped], [seconds[i]!.packets!.rx, seconds[i]!.packets!.dropped]));
    assert.ok(ivs.filter((iv) => iv.stream === 'pid-9090').every((iv) => iv.revision === 1));
  });

  it('a recording without revisions reads as before: no interval has one', async () => {
    const ivs = await readAllIntervals(dataset('opennetvm-bridge', '128B', 'bridge.csv'));
    assert.ok(ivs.length > 100 && ivs.every((iv) => iv.revision === undefined));
  });

  it('a malformed revision directive is reported with its line and skipped', async () => {
    const bad = join(dir, 'bad.vnflens');
    const w = RecordingWriter.create(bad, meta);
    w.revision({ stream: 'pid-1', n: 0, pid: 1, t: 0, at: '' });
    w.perfText('pid-1', perfBlocks()[0]!);
    w.close();
    const diags: string[] = [];
    const ivs = await readAllIntervals(bad, { onDiagnostic: (d) => diags.push(`${d.line}: ${d.message}`) });
    assert.deepEqual(diags, ['2: recording directive: a revision needs a "stream", whole "n" and "pid" and a finite "t"; skipped']);
    assert.equal(ivs[0]!.revision, undefined);
  });
});

describe('vnf-lens compare --rev-a 1 --rev-b 2', () => {
  const cli = (...args: string[]) => runCli(['compare', ...args]);

  it('compares the two revisions of one stream: the figures of compare\'s statistics on each one\'s steady traffic, and a verdict', async () => {
    const r = await cli(path, '--rev-a', '1', '--rev-b', '2', '--run-a', 'pid-4242');
    assert.equal(r.code, 0, r.stderr);
    // The same A/B computed here from the dataset itself, without the recording.
    const fps = seconds.map((iv) => withPacketFeatures(fingerprint(iv), iv));
    const ab = compareRevisions({ revision: 1, fingerprints: fps.slice(0, cut) }, { revision: 2, fingerprints: fps.slice(cut) });
    assert.ok(!('waiting' in ab));
    assert.ok(r.stdout.startsWith(`# Revision 2 against revision 1 (restart.vnflens [pid-4242])\n\n**${ab.verdict}.**\n`), r.stdout.slice(0, 400));
    // The run's input rate steps every 10 s, and its two halves hold no stretches at about the same load.
    assert.equal(ab.sameLoad, false, ab.used.baseline + ' / ' + ab.used.current);
    assert.match(ab.verdict, /^Revisions 1 and 2 do not compare in cost per packet yet: revision 1 was offered [\d.]+ Mpps, revision 2 [\d.]+ Mpps/);
    for (const row of abRows(ab)) assert.ok(r.stdout.includes(`| ${row.join(' | ')} |`), row.join(' | '));
    assert.match(r.stdout, /\n## A\/B comparison: revision 1 vs revision 2\n/);
  });

  it('writes the one-page report as HTML, and says what is wrong with bad revisions', async () => {
    const out = join(dir, 'ab.html');
    const r = await cli(path, '--rev-a', '1', '--rev-b', '2', '--run-a', 'pid-4242', '--format', 'html', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Revisions 1 and 2 .*\nreport written to /);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<section class="revision-ab"><h2>Revision 2 against revision 1 \(restart\.vnflens \[pid-4242\]\)<\/h2>/);
    assert.doesNotMatch(html, /<script|https?:\/\//);

    const missing = await cli(path, '--rev-a', '1', '--rev-b', '3', '--run-a', 'pid-4242');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /revision 3 is not in .*restart\.vnflens \[pid-4242\]; it holds revisions 1, 2/);
    const twoStreams = await cli(path, '--rev-a', '1', '--rev-b', '2');
    assert.equal(twoStreams.code, 2);
    assert.match(twoStreams.stderr, /holds 2 streams \(pid-4242, pid-9090\); choose one with --run-a/);
    const none = await cli(dataset('opennetvm-bridge', '128B', 'bridge.csv'), '--rev-a', '1', '--rev-b', '2');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /has no revisions: it was recorded without following restarts/);
    const same = await cli(path, '--rev-a', '2', '--rev-b', '2');
    assert.match(same.stderr, /--rev-a and --rev-b are both 2/);
  });
});
