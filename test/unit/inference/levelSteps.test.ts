// One odd second in a steady run: a second without packets is idle even alone, while
// a lone second of busy-looking memory traffic in an idle run is never called processing.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');
let model: Model;
const runs = new Map<string, Fingerprint[]>();

before(async () => {
  model = await loadDefaultModel();
  for (const router of ['fastclick', 'vpp', 'ovs', 'bess']) {
    for (const iv of await readAllIntervals(path.join(datasets, 'itc21/on-off', `${router}.csv`))) {
      const key = `${router}#${iv.run}`;
      const list = runs.get(key) ?? [];
      list.push(fingerprint(iv));
      runs.set(key, list);
    }
  }
});

/** Rows of a run in the given order, re-timed one second apart. */
const session = (fps: Fingerprint[], rows: number[]) => rows.map((r, n) => ({ ...fps[r]!, t: n + 1 }));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('one odd second in a steady run', () => {
  it('a second without packets in the middle of traffic is idle, and the traffic after it is processing again', () => {
    let idleAtGap = 0;
    for (const [key, fps] of runs) {
      // Processing 20-24, one idle second (row 5), processing 25-28.
      const e = createInferenceEngine(model);
      const got = session(fps, [...range(20, 24), 5, ...range(25, 28)]).map((fp) => e.next(fp).state);
      const where = `${key}: ${got.join(' ')}`;
      assert.ok(!got.slice(0, 5).includes('idle'), where);
      assert.notEqual(got[5], 'processing', where);
      if (got[5] === 'idle') idleAtGap++;
      assert.ok(!got.slice(6).includes('idle'), where);
      assert.equal(got.at(-1), 'processing', where);
    }
    assert.ok(idleAtGap >= 0.9 * runs.size, `the gap second was answered idle in ${idleAtGap} of ${runs.size} runs`);
  });

  it('a lone busy-looking second in an idle run is never called processing', () => {
    for (const [key, fps] of runs) {
      // Idle 0-7, one processing second (row 22), idle 8-14.
      const e = createInferenceEngine(model);
      const got = session(fps, [...range(0, 7), 22, ...range(8, 14)]).map((fp) => e.next(fp).state);
      assert.ok(!got.includes('processing'), `${key}: ${got.join(' ')}`);
      assert.equal(got.at(-1), 'idle', `${key}: ${got.join(' ')}`);
    }
  });
});
