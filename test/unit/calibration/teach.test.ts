import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scoreState, START_ORDERS, ratio } from '../../../src/core/calibration/stateScore.ts';
import { routerModelName, TeachCollector, teachModel } from '../../../src/core/calibration/teach.ts';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { RouterModels } from '../../../src/core/model/routerModels.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');

/**
 * One on-off run as a live session with router counters would see it: traffic
 * starts at about 17 s (datasets README), so the intervals from row 17 on carry
 * packets and the ones before none.
 */
function withCounters(run: Interval[]): Interval[] {
  return run.map((iv, row) => ({ ...iv, packets: row >= 17 ? { rx: 400_000, tx: 400_000, dropped: 0 } : { rx: 0, tx: 0, dropped: 0 } }));
}

describe('teaching VNF Lens a router from its own counters', () => {
  it('announces once, when the counters have shown both states, and a model taught from one run answers its other runs', async () => {
    const def = await loadDefaultModel();
    for (const router of ['vpp', 'ovs']) {
      const ivs = await readAllIntervals(path.join(datasets, 'itc21/on-off', `${router}.csv`));
      const taught = withCounters(ivs.filter((iv) => iv.run === '5000-512'));
      const c = new TeachCollector();
      const announced = taught.map((iv) => c.push(iv));
      assert.equal(announced.filter(Boolean).length, 1);
      assert.equal(announced.indexOf(true), 17 + 10 - 1, 'on the tenth interval with packets, after seventeen idle ones');
      const model = teachModel(c.samples(`${router}#5000-512`), def, { name: router });
      assert.ok(model.loss && model.scenarios, 'loss regime and scenarios borrowed from the default model');
      const others = new Map<string, Fingerprint[]>();
      for (const iv of ivs) if (iv.run !== '5000-512') others.set(iv.run!, [...(others.get(iv.run!) ?? []), fingerprint(iv)]);
      for (const order of START_ORDERS) {
        const s = scoreState(model, others.values(), order);
        assert.ok(ratio(s.correct, s.answered) >= 0.98, `${router} ${order}: precision ${ratio(s.correct, s.answered)}`);
        assert.ok(s.answered / s.total >= 0.9, `${router} ${order}: answered ${s.answered / s.total}`);
      }
    }
  });

  it('ignores intervals without counters', () => {
    const c = new TeachCollector();
    const iv: Interval = { t: 1, dt: 1, counters: { cycles: 1 }, running: {}, units: {}, notCounted: [], unsupported: [] };
    assert.equal(c.push(iv), false);
    assert.deepEqual(c.counts, { idle: 0, processing: 0 });
  });

  it('keeps one model per router and host, under a safe file name', async () => {
    assert.equal(routerModelName('lab-1.example', '/usr/bin/dpdk-testpmd -l 0-1 -- -i'), 'lab-1.example__dpdk-testpmd');
    assert.equal(routerModelName('user@host:22', '../../vpp unix {}'), 'user_host_22__vpp');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vnf-lens-models-'));
    try {
      const store = new RouterModels(dir);
      assert.equal(await store.find('h__r'), undefined);
      const def = await loadDefaultModel();
      await store.save('h__r', { ...def, name: 'taught' });
      assert.equal((await store.find('h__r'))?.name, 'taught');
      assert.equal(await store.find('h__other'), undefined);
      writeFileSync(store.pathOf('h__broken'), '{');
      await assert.rejects(store.find('h__broken'), /h__broken\.model\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
