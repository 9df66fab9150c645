import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferenceJson, writeInferenceJson } from '../../../src/cli/commands/infer.ts';
import { writeSimilarities } from '../../../src/cli/roundedJson.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { ByteWriter } from '../../../src/core/perf/byteWriter.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { dataset } from '../../support/paths.ts';

describe('infer JSONL written as bytes', () => {
  it('is the same text as inferenceJson, line for line, with and without --brief', async () => {
    const files = [dataset('opennetvm-bridge', '128B', 'bridge.csv'), dataset('itc21', 'on-off', 'vpp.csv'), dataset('itc21', 'perf-stat-sfc', '1-vnf-collocated-core-freq-2-single-vnf.txt')];
    const model = await loadDefaultModel();
    let lines = 0;
    for (const file of files) {
      const engine = createInferenceEngine(model);
      for (const iv of await readAllIntervals(file)) {
        const inf = engine.next(fingerprint(iv), iv.packets);
        for (const brief of [false, true]) {
          const parts: Buffer[] = [];
          const w = new ByteWriter((b) => parts.push(b), 256);
          writeInferenceJson(w, inf, brief);
          w.flush();
          assert.equal(Buffer.concat(parts).toString('utf8'), inferenceJson(inf, brief) + '\n');
          lines++;
        }
      }
    }
    assert.ok(lines > 1000);
  });
});

describe('the similarities object written as bytes', () => {
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const written = (labels: readonly string[], values: ArrayLike<number>, size: number): string => {
    const parts: Buffer[] = [];
    const w = new ByteWriter((b) => parts.push(b), size);
    w.ascii('x');
    writeSimilarities(w, labels, values);
    w.flush();
    return Buffer.concat(parts).toString('utf8').slice(1);
  };
  const expected = (labels: readonly string[], values: ArrayLike<number>): string => JSON.stringify(Object.fromEntries(labels.map((l, i) => [l, r4(values[i]!)])));

  it('writes every rounded value of [-1, 1], and any other number, as JSON.stringify does', () => {
    const values: number[] = [];
    for (let k = -1e4; k <= 1e4; k++) values.push(k / 1e4);
    values.push(0.00004, -0.00004, -0, 0.00005, -0.00005, 0.99995, -0.99995, 1.00005, 1.5, -2.25, 123.45678, -98765.4321, 1e-7, 3e21, NaN, Infinity, -Infinity);
    const labels = values.map((_, i) => `s${i}`);
    for (const size of [1 << 20, 64]) {
      assert.equal(written(labels, values, size), expected(labels, values));
      assert.equal(written(labels, Float64Array.from(values), size), expected(labels, values));
    }
  });

  it('escapes labels, and writes an empty table as {}', () => {
    const labels = ['vpp:"quoted"', 'ovs\\back', 'bess:ünïcode-64', 'tab\there', '__proto__x'];
    const values = [0.1, -0.2, 0.30004, 1, -1];
    assert.equal(written(labels, values, 1 << 20), expected(labels, values));
    assert.equal(written([], [], 1 << 20), '{}');
    // Another label list after the first: its own keys, not the previous ones.
    assert.equal(written(['a', 'b'], [0.5, 0.25], 1 << 20), '{"a":0.5,"b":0.25}');
    assert.equal(written(labels, values, 1 << 20), expected(labels, values));
  });
});
