import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { intervalToJson } from '../../../src/core/perf/intervalJson.ts';
import type { RecordingMeta } from '../../../src/core/recording/format.ts';
import { RecordingParser } from '../../../src/core/recording/reader.ts';
import { RecordingWriter } from '../../../src/core/recording/writer.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-pk-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const meta: RecordingMeta = { host: 'lab', processes: [{ pid: 1 }, { pid: 2 }], events: ['task-clock'], intervalMs: 500, startedAt: '2026-11-30T10:00:00Z', separator: ',' };

describe('router packets in recordings', () => {
  it('attaches each packets directive to its interval of its stream; intervals without one have none', async () => {
    const path = join(dir, 'p.vnflens');
    const w = RecordingWriter.create(path, meta);
    w.perfText('pid-1', '     0.500000000,100.0,msec,task-clock,1,100.00,,\n');
    w.packets({ stream: 'pid-1', t: 0.5, rx: 10, tx: 9, dropped: 1, source: 'dpdk-telemetry', ports: [{ port: '0', rx: 10, tx: 0, dropped: 1 }] });
    w.perfText('pid-2', '     0.500100000,50.0,msec,task-clock,1,100.00,,\n');
    w.perfText('pid-1', '     1.000000000,100.0,msec,task-clock,1,100.00,,\n');
    w.packets({ stream: 'pid-1', t: 1, rx: 0, tx: 0, dropped: 0 });
    w.perfText('pid-2', '     1.000100000,50.0,msec,task-clock,1,100.00,,\n');
    w.packets({ stream: 'pid-2', t: 1.0001, rx: 3, tx: 3, dropped: 0 });
    w.perfText('pid-1', '     1.500000000,100.0,msec,task-clock,1,100.00,,\n');
    w.end({ at: 'x', reason: 'stopped' });
    w.close();
    const diagnostics: string[] = [];
    const ivs = await readAllIntervals(path, { onDiagnostic: (d) => diagnostics.push(d.message) });
    assert.deepEqual(diagnostics, []);
    const by = (s: string) => ivs.filter((iv) => iv.stream === s).map((iv) => iv.packets);
    assert.deepEqual(by('pid-1'), [{ rx: 10, tx: 9, dropped: 1, source: 'dpdk-telemetry', ports: [{ port: '0', rx: 10, tx: 0, dropped: 1 }] }, { rx: 0, tx: 0, dropped: 0 }, undefined]);
    assert.deepEqual(by('pid-2'), [undefined, { rx: 3, tx: 3, dropped: 0 }]);
    const json = ivs.map((iv) => JSON.parse(intervalToJson(iv)) as { packets?: unknown });
    assert.deepEqual(json[0]!.packets, { rx: 10, tx: 9, dropped: 1, source: 'dpdk-telemetry', ports: [{ port: '0', rx: 10, tx: 0, dropped: 1 }] });
    const last = ivs.findIndex((iv) => iv.stream === 'pid-1' && iv.t === 1.5);
    assert.ok(!('packets' in json[last]!), 'absent when there is no source');
  });

  it('a recording without packets reads as before, and a bad packets directive is reported and skipped', async () => {
    const path = join(dir, 'old.vnflens');
    writeFileSync(path, `#@vnf-lens ${JSON.stringify({ format: 'vnf-lens-recording', version: 1, meta })}\n     1.000,5.0,msec,task-clock,1,100.00,,\n#@vnf-lens {"packets":{"t":1,"rx":"many"}}\n     2.000,5.0,msec,task-clock,1,100.00,,\n`);
    const diagnostics: string[] = [];
    const ivs = await readAllIntervals(path, { onDiagnostic: (d) => diagnostics.push(d.message) });
    assert.equal(ivs.length, 2);
    assert.ok(ivs.every((iv) => iv.packets === undefined));
    assert.match(diagnostics.join('\n'), /packets "rx" "many", "tx" missing, "dropped" missing: counts are whole numbers from 0 to 2\^53; skipped/);
    assert.match(readFileSync(path, 'utf8'), /task-clock/);
  });

  it('counts written in chunks cut anywhere still find their interval', () => {
    const text = `#@vnf-lens ${JSON.stringify({ format: 'vnf-lens-recording', version: 1, meta })}\n#@vnf-lens {"stream":"pid-1"}\n     0.5,1,msec,task-clock,1,100.00,,\n#@vnf-lens {"packets":{"stream":"pid-1","t":0.5,"rx":4,"tx":4,"dropped":0}}\n     1.0,1,msec,task-clock,1,100.00,,\n`;
    for (let cut = 1; cut < text.length; cut += 7) {
      const got: (number | undefined)[] = [];
      const p = new RecordingParser({ onInterval: (iv) => got.push(iv.packets?.rx) });
      p.push(text.slice(0, cut));
      p.push(text.slice(cut));
      p.end();
      assert.deepEqual(got, [4, undefined], `cut at ${cut}`);
    }
  });
});
