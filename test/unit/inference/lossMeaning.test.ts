import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { lossScore } from '../../../src/core/inference/lossDetector.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { loadReplayIntervals } from '../../../src/core/exporter/replaySource.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { dataset } from '../../support/paths.ts';

/**
 * What the loss verdict means: log-odds of the lossy regime, lossy above 0, and an
 * idle router is never lossy. Shown on labelled intervals (the OpenNetVM bridge
 * with MoonGen's counts) and on models whose loss score is its bias alone.
 */
describe('the loss verdict', () => {
  test('the score is the bias plus the weighted principal coordinates', () => {
    const m = { weights: [2, -1, 0.5], bias: 0.7, components: 3 } as unknown as NonNullable<Model['loss']>;
    assert.equal(lossScore([0, 0, 0], m), 0.7);
    assert.equal(lossScore([1, 1, 2], m), 0.7 + 2 - 1 + 1);
  });

  test('the most lossy labelled second is lossy and the busiest clean one is clean', async () => {
    const model = await loadDefaultModel();
    const secs = await bridgeWithPackets('exp-7');
    const e = createInferenceEngine(model);
    const out = secs.map((s) => ({ s, r: e.next(fingerprint(s.iv)) }));
    const ratio = (x: (typeof out)[number]) => x.s.iv.packets!.dropped / x.s.offered;
    const processing = out.filter((x) => x.r.state === 'processing' && x.r.loss !== undefined);
    const lossiest = processing.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
    const clean = processing.filter((x) => x.s.iv.packets!.dropped === 0).reduce((a, b) => (b.s.offered > a.s.offered ? b : a));
    assert.ok(ratio(lossiest) > 0.1, `the lossiest second dropped ${ratio(lossiest)}`);
    assert.equal(lossiest.r.loss, 'lossy', `t=${lossiest.s.iv.t}: ${ratio(lossiest)} dropped, score ${lossiest.r.lossScore}`);
    assert.equal(clean.r.loss, 'clean', `t=${clean.s.iv.t}: nothing dropped of ${clean.s.offered}, score ${clean.r.lossScore}`);
  });

  /** The default model, its loss score reduced to `bias` whatever the interval. */
  async function biasOnly(bias: number): Promise<Model> {
    const m = await loadDefaultModel();
    const loss = { ...m.loss!, weights: m.loss!.weights.map(() => 0), bias };
    delete (loss as { transient?: unknown }).transient;
    return { ...m, loss };
  }

  test('the decision is at 0: a score of +0.5 is lossy, -0.5 clean, on every processing interval', async () => {
    const ivs = (await bridgeWithPackets('exp-7')).slice(0, 120).map((s) => s.iv);
    for (const [bias, want] of [
      [0.5, 'lossy'],
      [-0.5, 'clean'],
    ] as const) {
      const e = createInferenceEngine(await biasOnly(bias));
      const got = ivs.map((iv) => e.next(fingerprint(iv))).filter((r) => r.state === 'processing');
      assert.ok(got.length > 20);
      for (const r of got) {
        assert.equal(r.lossScore, bias);
        assert.equal(r.loss, want, `score ${bias}`);
      }
    }
  });

  test('an idle router is clean even when its score says lossy', async () => {
    const e = createInferenceEngine(await biasOnly(3));
    const ivs = await loadReplayIntervals(dataset('itc21/on-off/fastclick.csv'), { run: '5000-64' });
    const idle = ivs.map((iv) => e.next(fingerprint(iv))).filter((r) => r.state === 'idle');
    assert.ok(idle.length >= 5, `${idle.length} idle intervals`);
    for (const r of idle) {
      assert.equal(r.lossScore, 3);
      assert.equal(r.loss, 'clean');
    }
  });
});
