import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intervalToJson } from '../../../src/core/perf/intervalJson.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { dataset } from '../../support/paths.ts';

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

  it('keeps hostile event names inside their JSON strings', () => {
    const iv = { t: 1, dt: 1, counters: { 'a"}\n,x': 1 }, running: { 'a"}\n,x': 100 }, units: {}, notCounted: ['"'], unsupported: [] };
    assert.deepEqual(JSON.parse(intervalToJson(iv)).counters, { 'a"}\n,x': 1 });
  });
});
