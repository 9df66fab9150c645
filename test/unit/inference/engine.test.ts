import { similarityRecord } from '../../../src/core/inference/scenarioMatcher.ts';
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { buildModel } from '../../../src/core/calibration/calibrate.ts';
import { parseManifest } from '../../../src/core/calibration/manifest.ts';
import { manifestText, onoffRows } from '../../../src/core/calibration/referenceData.ts';
import { loadSamples } from '../../../src/core/calibration/samples.ts';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine, type Inference } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');
let model: Model;
const runs = new Map<string, Map<string, Fingerprint[]>>();

async function loadRuns(router: string): Promise<Map<string, Fingerprint[]>> {
  const m = new Map<string, Fingerprint[]>();
  for (const iv of await readAllIntervals(path.join(datasets, 'itc21/on-off', `${router}.csv`))) {
    const list = m.get(iv.run!) ?? [];
    list.push(fingerprint(iv));
    m.set(iv.run!, list);
  }
  return m;
}

const feed = (m: Model, fps: Fingerprint[]): Inference[] => {
  const e = createInferenceEngine(m);
  return fps.map((fp) => e.next(fp));
};

before(async () => {
  model = await loadDefaultModel();
  for (const r of ['fastclick', 'ovs']) runs.set(r, await loadRuns(r));
});

describe('inference engine: state', () => {
  it('follows an on-off run: idle, one change to processing during the transition, processing', () => {
    for (const run of ['500-1400', '10000-64', '2500-512']) {
      const out = feed(model, runs.get('ovs')!.get(run)!);
      out.slice(0, 15).forEach((o, i) => assert.equal(o.state, 'idle', `${run} row ${i}`));
      out.slice(20).forEach((o, i) => assert.equal(o.state, 'processing', `${run} row ${i + 20}`));
      const changes = out.filter((o) => o.stateChange);
      assert.equal(changes.length, 1, `${run}: one state change`);
      assert.deepEqual({ from: changes[0]!.stateChange!.from, to: changes[0]!.stateChange!.to }, { from: 'idle', to: 'processing' });
      assert.ok(changes[0]!.t > 16 && changes[0]!.t < 21.5, `${run}: change at ${changes[0]!.t}`);
      assert.ok(out[5]!.stateConfidence >= 0.95 && out[25]!.stateConfidence >= 0.95);
      assert.ok(out.every((o) => o.stateConfidence < 0.995), 'never certain');
    }
  });

  it("learns the session's idle level: a router whose rates all sit lower still shows its traffic", () => {
    // Same run with every memory-traffic rate divided by 30: in absolute terms even
    // the processing seconds look like polling, but they rise as far above this
    // session's own idle level as before.
    const scaled = runs.get('ovs')!.get('500-1400')!.map((fp) => {
      const rates = { ...fp.rates };
      for (const e of model.state.features) rates[e] = rates[e]! / 30;
      return { ...fp, rates };
    });
    const out = feed(model, scaled);
    assert.ok(out.slice(0, 15).every((o) => o.state === 'idle'));
    assert.ok(out.slice(21).every((o) => o.state === 'processing'), out.map((o) => o.state).join(' '));
    const withoutHistory = feed(model, scaled.slice(20));
    assert.ok(withoutHistory.every((o) => o.state !== 'processing'), 'attached while busy, nothing tells the lowered rates from polling');
  });

  it('recognises a router that is already busy when the session starts', () => {
    const out = feed(model, runs.get('fastclick')!.get('500-1400')!.slice(20));
    assert.ok(out.every((o) => o.state === 'processing'));
  });

  it('is causal: an answer does not depend on later intervals', () => {
    const fps = runs.get('fastclick')!.get('2500-64')!;
    const full = feed(model, fps);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: fps.length }), (n) => {
        assert.deepEqual(feed(model, fps.slice(0, n)), full.slice(0, n));
      }),
      { numRuns: 15 },
    );
  });

  it('keeps each run of a multi-run input on its own causal track', () => {
    const a = runs.get('ovs')!.get('500-64')!;
    const b = runs.get('ovs')!.get('7500-1400')!;
    const e = createInferenceEngine(model);
    const mixed: Inference[] = [];
    a.forEach((fp, i) => mixed.push(e.next(fp), e.next(b[i]!)));
    assert.deepEqual(mixed.filter((o) => o.run === '500-64'), feed(model, a));
    assert.deepEqual(mixed.filter((o) => o.run === '7500-1400'), feed(model, b));
    e.reset();
    assert.deepEqual(e.next(a[0]!), feed(model, a)[0]);
  });

  it('answers unknown without the events it relies on, and no loss or scenario without most events', () => {
    const fp = runs.get('fastclick')!.get('500-64')![25]!;
    const bare: Fingerprint = { ...fp, rates: { instructions: fp.rates['instructions']!, cycles: fp.rates['cycles']! }, missing: [] };
    const [o] = feed(model, [bare]);
    assert.equal(o!.state, 'unknown');
    assert.equal(o!.loss, 'unknown');
    assert.equal(o!.pca, null);
    assert.equal(o!.scenario, null);
  });
});

describe('inference engine: scenarios and loss', () => {
  it('matches held-out seconds to the scenario calibrated on the same run, better than the paper cosine', async () => {
    const rows = onoffRows(path.join(datasets, 'itc21/on-off/fastclick.csv'), 'fastclick', { state: false, scenarioPrefix: '', scenarioFrom: 20.5, scenarioTo: 25.5 });
    const m = buildModel(await loadSamples(parseManifest(manifestText(rows), 'test', datasets), 'test'), { stateFallback: model.state });
    let cosineRight = 0;
    let judged = 0;
    for (const [run, fps] of runs.get('fastclick')!) {
      const out = feed(m, fps);
      for (const o of out.slice(25)) {
        judged++;
        if (Object.entries(similarityRecord(o.similarities)).reduce((a, b) => (b[1] > a[1] ? b : a))[0] === run) cosineRight++;
      }
      for (const o of out.slice(25)) {
        assert.equal(o.scenario, run);
        assert.ok(o.similarity! > o.runnerUpSimilarity! && Math.abs(o.margin! - (o.similarity! - o.runnerUpSimilarity!)) < 1e-12);
        assert.equal(Object.keys(similarityRecord(o.similarities)).length, 20);
        assert.ok(Array.from(o.similarities.values).every((c) => c >= -1 - 1e-9 && c <= 1 + 1e-9));
      }
      assert.equal(out[3]!.scenario, null, 'an idle router has no traffic scenario');
    }
    assert.ok(cosineRight < judged, `the paper's cosine alone gets ${cosineRight}/${judged}`);
  });

  it('places the light-traffic and idle seconds of FastClick outside the lossy region, in the loss region\'s own space', () => {
    assert.ok(model.loss?.features, 'the region is learnt in the space of the loss-labelled seconds');
    assert.notDeepEqual(model.loss!.features!.mean, model.features.mean);
    for (const run of ['2500-512', '5000-128', '500-1400']) {
      const out = feed(model, runs.get('fastclick')!.get(run)!).slice(20);
      assert.ok(out.every((o) => o.loss === 'clean' && o.lossScore! < 0 && o.pca !== null), run);
    }
    assert.ok(feed(model, runs.get('fastclick')!.get('10000-64')!).slice(0, 15).every((o) => o.loss === 'clean'), 'idle is clean');
  });
});
