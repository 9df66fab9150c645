import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Gap, Mark, RecordingMeta } from '../../../src/core/recording/format.ts';
import { RecordingWriter } from '../../../src/core/recording/writer.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { dataset } from '../../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-rec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const meta: RecordingMeta = {
  host: 'lab-1',
  processes: [
    { pid: 4242, comm: 'click', cmdline: 'click --dpdk -l 0-1 -- router.click' },
    { pid: 4343, comm: 'vpp', cmdline: 'vpp -c /etc/vpp/startup.conf' },
  ],
  perfVersion: '6.1.187',
  perfCommand: ['perf', 'stat', '-x,', '-I', '1000', '-p', '4242'],
  events: ['cycles', 'instructions'],
  intervalMs: 1000,
  startedAt: '2026-11-25T10:00:00.000Z',
  separator: ',',
};

describe('recordings', () => {
  it('keeps perf text verbatim per stream, with marks, gaps and the end, and reads it back', async () => {
    const path = join(dir, 'two-streams.vnflens');
    const w = RecordingWriter.create(path, meta);
    // Chunks cut mid-line, interleaved between two streams, as they arrive from two perf processes.
    w.perfText('pid-4242', '     1.000,100,,cycles,1000,100.00,,\n     1.000,50,,instr');
    w.perfText('pid-4343', '     1.000,7,,cycles,1000,100.00,,\n');
    w.perfText('pid-4242', 'uctions,1000,100.00,,\n     2.000,200,,cycles,1000,100.00,,\n');
    w.mark({ t: 1.5, text: 'traffic on', stream: 'pid-4242' });
    w.gap({ stream: 'pid-4343', from: '2026-11-25T10:00:01Z', to: '2026-11-25T10:00:03Z', reason: 'ssh reconnect' });
    w.perfText('pid-4343', '     4.000,9,,cycles,1000,100.00,,\n     5.000,1');
    w.end({ at: '2026-11-25T10:00:05Z', reason: 'stopped by user' });
    w.close();

    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes('     1.000,50,,instructions,1000,100.00,,\n'), 'a line split across chunks is written whole');
    const marks: Mark[] = [];
    const gaps: Gap[] = [];
    let gotMeta: RecordingMeta | undefined;
    let endReason = '';
    const ivs = await readAllIntervals(path, { onMeta: (m) => (gotMeta = m), onMark: (m) => marks.push(m), onGap: (g) => gaps.push(g), onEnd: (e) => (endReason = e.reason) });
    assert.deepEqual(gotMeta, meta);
    assert.deepEqual(marks, [{ t: 1.5, text: 'traffic on', stream: 'pid-4242' }]);
    assert.equal(gaps[0]!.reason, 'ssh reconnect');
    assert.equal(endReason, 'stopped by user');
    const a = ivs.filter((iv) => iv.stream === 'pid-4242');
    const b = ivs.filter((iv) => iv.stream === 'pid-4343');
    assert.deepEqual(a.map((iv) => iv.counters), [{ cycles: 100, instructions: 50 }, { cycles: 200 }]);
    // The cut last line ("5.000,1") is kept in the file and reported when read, not invented into a value.
    assert.deepEqual(b.map((iv) => [iv.t, iv.counters['cycles']]), [[1, 7], [4, 9]]);
    assert.ok(text.includes('     5.000,1\n'));
    assert.equal(b[1]!.dt, 1, 'after a recorded gap the interval lasts one interval, not the gap');
  });

  it('loses nothing already handed over when the writer dies without closing', async () => {
    const path = join(dir, 'crash.vnflens');
    const w = RecordingWriter.create(path, meta);
    w.perfText('s', '     1.000,100,,cycles,1000,100.00,,\n     2.000,200,,cycles,1000,100.00,,\n     3.000,3');
    // No end(), no close(): read what is on disk now.
    const ivs = await readAllIntervals(path);
    assert.deepEqual(ivs.map((iv) => iv.counters['cycles']), [100, 200]);
    w.close();
  });

  it('refuses to overwrite an existing recording and says what to do', () => {
    const path = join(dir, 'exists.vnflens');
    writeFileSync(path, 'x');
    assert.throws(() => RecordingWriter.create(path, meta), /already exists; choose another --out/);
  });

  it('reports a corrupt directive and goes on', async () => {
    const path = join(dir, 'corrupt.vnflens');
    const w = RecordingWriter.create(path, meta);
    w.perfText('s', '     1.000,100,,cycles,1000,100.00,,\n');
    w.close();
    writeFileSync(path, readFileSync(path, 'utf8') + '#@vnf-lens {"mark":\n     2.000,200,,cycles,1000,100.00,,\n');
    const diags: string[] = [];
    const ivs = await readAllIntervals(path, { onDiagnostic: (d) => diags.push(d.message) });
    assert.equal(ivs.length, 2);
    assert.match(diags[0]!, /directive is not valid JSON/);
  });

  it('refuses a recording from a newer format version with a clear message', async () => {
    const path = join(dir, 'future.vnflens');
    writeFileSync(path, '#@vnf-lens {"format":"vnf-lens-recording","version":99,"meta":{}}\n');
    await assert.rejects(readAllIntervals(path), /version 99 is newer than this VNF Lens reads/);
  });

  it('reads a raw perf file appended into a recording exactly as the raw file', async () => {
    const raw = readFileSync(dataset('itc21', 'perf-stat-sfc', '1-vnf-independent-core-freq-1-all-fastclick.txt'), 'utf8');
    const path = join(dir, 'sfc.vnflens');
    const w = RecordingWriter.create(path, meta);
    for (let i = 0; i < raw.length; i += 4093) w.perfText('pid-1', raw.slice(i, i + 4093));
    w.end({ at: 'now', reason: 'done' });
    w.close();
    const fromRecording = await readAllIntervals(path);
    const fromRaw = await readAllIntervals(dataset('itc21', 'perf-stat-sfc', '1-vnf-independent-core-freq-1-all-fastclick.txt'));
    assert.equal(fromRecording.length, fromRaw.length);
    assert.deepEqual(fromRecording.map(({ stream: _s, ...rest }) => rest), fromRaw);
  });

  it('tells the user when a file is empty or a folder', async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n\n');
    await assert.rejects(readAllIntervals(empty), /is empty: no perf intervals/);
    await assert.rejects(readAllIntervals(dir), /is a folder/);
    await assert.rejects(readAllIntervals(join(dir, 'nope.txt')), /no such file/);
  });
});
