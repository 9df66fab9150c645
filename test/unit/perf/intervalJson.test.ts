import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intervalToJson } from '../../../src/core/perf/intervalJson.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { parsePerfText, readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { dataset, datasetsDir } from '../../support/paths.ts';
import { perfFiles } from '../../support/perfFiles.ts';

/** The replay line as JSON.stringify writes it, from the interval's plain fields. */
function stringified(iv: Interval): string {
  const { t, counters, running, notCounted, unsupported } = iv;
  return JSON.stringify({ t, dt: Math.round(iv.dt * 1e9) / 1e9, counters, running, notCounted, unsupported });
}

/** A seeded generator, so a failure can be repeated. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('interval JSON', () => {
  it('writes the same object through the compiled serializer as through JSON.stringify', async () => {
    const ivs = await readAllIntervals(dataset('opennetvm-bridge', '128B', 'bridge.csv'));
    for (const iv of ivs) {
      const fast = JSON.parse(intervalToJson(iv));
      // A plain copy has no slot data, so it takes the generic path.
      const plain = JSON.parse(intervalToJson(JSON.parse(JSON.stringify(iv))));
      assert.deepEqual(fast, plain);
      assert.deepEqual(Object.keys(fast), ['t', 'dt', 'counters', 'running', 'notCounted', 'unsupported']);
      assert.deepEqual(fast.counters, iv.counters);
      assert.deepEqual(fast.running, iv.running);
    }
  });

  it('is JSON.stringify\'s text, byte for byte, on every reference perf file', async () => {
    const files = perfFiles(datasetsDir);
    assert.ok(files.length >= 8, `${files.length} files`);
    for (const file of files) for (const iv of await readAllIntervals(file)) assert.equal(intervalToJson(iv), stringified(iv), file);
  });

  it('writes the same text from slot values alone (replay --format jsonl) as from the records, on every reference perf file', async () => {
    let bare = 0;
    for (const file of perfFiles(datasetsDir)) {
      const full = await readAllIntervals(file);
      const slotsOnly = await readAllIntervals(file, { slotValuesOnly: true });
      assert.equal(slotsOnly.length, full.length, file);
      for (let i = 0; i < full.length; i++) {
        assert.equal(intervalToJson(slotsOnly[i]!), stringified(full[i]!), `${file} interval ${i}`);
        if (Object.keys(slotsOnly[i]!.counters).length === 0 && Object.keys(full[i]!.counters).length > 0) bare++;
      }
    }
    // The records were really left out somewhere, or this test would check nothing.
    assert.ok(bare > 0);
  });

  it('writes any count and percentage as JSON.stringify does', () => {
    const rand = lcg(20);
    const events = ['instructions', 'task-clock', 'cycles', 'branch-misses', 'é-unicode'];
    const special = [0, 1, 9, 10, 99, 100, 101, 999999999, 1e9, 1e9 + 1, 123456789012, 2 ** 53 - 1, 2 ** 53, 2 ** 60, 0.5, 107.369558, 1e-7, 1e21];
    const pcts = [0, 0.01, 0.1, 1, 7.05, 12.4, 99.99, 100, 33.333, 1e-9, 100.5];
    const lines: string[] = [];
    for (let k = 0; k < 400; k++) {
      const t = (k + 1) * 0.1;
      for (const [i, e] of events.entries()) {
        const pick = rand();
        const v = pick < 0.3 ? special[Math.floor(rand() * special.length)]! : pick < 0.6 ? Math.floor(rand() * 2 ** 53) : pick < 0.8 ? Math.floor(rand() * 10 ** Math.floor(rand() * 12)) : Math.round(rand() * 1e12) / 1e6;
        const pct = rand() < 0.3 ? pcts[Math.floor(rand() * pcts.length)]! : Math.round(rand() * 10000) / 100;
        lines.push(`${t.toFixed(9)},${v},${i === 1 ? 'msec' : ''},${e},1000,${pct},,`);
      }
    }
    const ivs = parsePerfText(lines.join('\n') + '\n', { separator: ',' });
    assert.equal(ivs.length, 400);
    for (const iv of ivs) assert.equal(intervalToJson(iv), stringified(iv));
  });

  it('keeps hostile event names inside their JSON strings', () => {
    const iv = { t: 1, dt: 1, counters: { 'a"}\n,x': 1 }, running: { 'a"}\n,x': 100 }, units: {}, notCounted: ['"'], unsupported: [] };
    assert.deepEqual(JSON.parse(intervalToJson(iv)).counters, { 'a"}\n,x': 1 });
  });
});
