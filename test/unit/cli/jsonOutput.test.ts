import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferenceJson, writeInferenceJson } from '../../../src/cli/commands/infer.ts';
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
