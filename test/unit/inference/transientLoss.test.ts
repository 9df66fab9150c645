import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ChangeHistory, transientScore } from '../../../src/core/inference/transientLoss.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { parseModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const root = path.resolve(__dirname, '../../..');

describe('transient loss: change history', () => {
  it('gives the change over each of the last steps, newest first', () => {
    const h = new ChangeHistory(2);
    h.push([1, 5], 1, 1);
    h.push([2, 5], 2, 1);
    h.push([4, 3], 3, 1);
    assert.deepEqual(Array.from(h.features(2)), [2, -2, 1, 0]);
  });

  it('counts 0 for a change across a gap, before enough history, or from a missing event', () => {
    const h = new ChangeHistory(2);
    h.push([1, 1], 1, 1);
    assert.deepEqual(Array.from(h.features(2)), [0, 0, 0, 0]);
    h.push([3, NaN], 2, 1);
    assert.deepEqual(Array.from(h.features(2)), [2, 0, 0, 0]);
    h.push([9, 9], 5, 1); // three seconds later: the chain is broken
    assert.deepEqual(Array.from(h.features(2)), [0, 0, 0, 0]);
    h.push([8, 9], 4, 1); // back in time: broken too
    assert.deepEqual(Array.from(h.features(2)), [0, 0, 0, 0]);
  });

  it('copies what it keeps', () => {
    const h = new ChangeHistory(1);
    const z = new Float64Array([1]);
    h.push(z, 1, 1);
    z[0] = 10;
    h.push(z, 2, 1);
    assert.deepEqual(Array.from(h.features(1)), [9]);
  });

  it('scores the scaled changes with the fitted weights', () => {
    const m = { method: 'delta-logistic' as const, lags: 1, scale: [0.5, 2], weights: [1, -1], bias: -1 };
    assert.equal(transientScore([1, 4], m), -1 + 2 - 2);
  });
});

describe('transient loss: models', () => {
  it('loads models with and without the transient detector, and rejects a malformed one', async () => {
    const json = JSON.parse(await readFile(path.join(root, 'media/default-model.json'), 'utf8')) as Model;
    assert.ok(json.loss?.transient, 'the default model carries a transient detector');
    const d = json.features.events.length;
    assert.equal(json.loss.transient.weights.length, json.loss.transient.lags * d);
    const older = structuredClone(json);
    delete older.loss!.transient;
    assert.equal(parseModel(older, 'older').loss!.transient, undefined);
    const bad = structuredClone(json);
    bad.loss!.transient!.weights.pop();
    assert.throws(() => parseModel(bad, 'bad'), /\/loss\/transient\/weights has \d+ values for 2 lags of 31 events/);
    const badScale = structuredClone(json);
    badScale.loss!.transient!.scale[0] = 0;
    assert.throws(() => parseModel(badScale, 'bad-scale'), /transient\/scale\/0/);
  });

  it('flags the onset of an input-rate drop on the held-out OpenNetVM run, and only adds lossy answers to the level region', async () => {
    const model = parseModel(JSON.parse(await readFile(path.join(root, 'media/default-model.json'), 'utf8')), 'default');
    const older = structuredClone(model);
    delete older.loss!.transient;
    const fps = (await readAllIntervals(path.resolve(root, '../shared/datasets/opennetvm-bridge/128B/bridge.csv'))).map(fingerprint);
    const withT = createInferenceEngine(model);
    const without = createInferenceEngine(older);
    const a = fps.map((fp) => withT.next(fp));
    const b = fps.map((fp) => without.next(fp));
    for (let i = 0; i < fps.length; i++) {
      if (b[i]!.loss === 'lossy') assert.equal(a[i]!.loss, 'lossy', `interval ${i}`);
      assert.ok(a[i]!.lossScore! >= b[i]!.lossScore!, `interval ${i}: the combined score is the larger of the two`);
      assert.deepEqual(a[i]!.pca, b[i]!.pca);
    }
    const added = a.map((o, i) => (o.loss === 'lossy' && b[i]!.loss !== 'lossy' ? i : -1)).filter((i) => i >= 0);
    // Second 118: the input drops from 6.6 to 0.93 Mpps (tx_stats.csv); 1-117 hold their rate for 10 s at a time.
    assert.ok(added.includes(118), `added lossy intervals: ${added.join(', ')}`);
    assert.ok(added.length <= 10, `few additions on a mostly clean run: ${added.join(', ')}`);
  });
});
