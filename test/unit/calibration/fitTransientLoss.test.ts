import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitTransientLoss } from '../../../src/core/calibration/fitTransientLoss.ts';
import type { Sample } from '../../../src/core/calibration/samples.ts';
import { ChangeHistory, transientScore } from '../../../src/core/inference/transientLoss.ts';

/** A deterministic pseudo-random sequence (mulberry32), so the test data is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two events; event 0 holds a level per 10-second block and jumps between blocks.
 * The second of a downward jump is lossy; everything else clean. Event 1 is noise.
 */
function synthetic(seed: number, blocks: number): { samples: Sample[]; zs: Float64Array[] } {
  const r = rng(seed);
  const samples: Sample[] = [];
  const zs: Float64Array[] = [];
  let level = 0;
  for (let b = 0; b < blocks; b++) {
    const next = r() * 4 - 2;
    const down = next < level - 0.5;
    level = next;
    for (let s = 0; s < 10; s++) {
      const t = b * 10 + s + 1;
      zs.push(new Float64Array([level + (r() - 0.5) * 0.05, (r() - 0.5) * 0.5]));
      const fp = { t, dt: 1, rates: {}, running: {}, derived: {}, missing: [] };
      samples.push({ fp, source: 'synthetic', loss: down && s === 0 ? 'lossy' : 'clean' });
    }
  }
  return { samples, zs };
}

describe('fitTransientLoss', () => {
  it('learns that a sudden drop of a rate marks a lossy second, and generalises to new data', () => {
    const train = synthetic(1, 80);
    const calm = new Float64Array(train.samples.length).fill(-5);
    const m = fitTransientLoss(train.samples, train.zs, calm, { l2: 1 });
    assert.ok(m, 'enough lossy seconds to fit');
    assert.equal(m.weights.length, 2 * 2);
    assert.ok(m.weights[0]! < 0, 'a fall of event 0 raises the score');
    const test = synthetic(2, 60);
    const h = new ChangeHistory(m.lags);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    test.samples.forEach((s, i) => {
      h.push(test.zs[i]!, s.fp.t, s.fp.dt);
      const lossy = transientScore(h.features(2), m) > 0;
      if (lossy && s.loss === 'lossy') tp++;
      else if (lossy) fp++;
      else if (s.loss === 'lossy') fn++;
    });
    assert.ok(tp > 0 && (2 * tp) / (2 * tp + fp + fn) > 0.8, `tp ${tp} fp ${fp} fn ${fn}`);
  });

  it('learns only from seconds the level region confidently calls clean, and gives up without enough lossy ones', () => {
    const train = synthetic(3, 80);
    // The level region already explains every lossy second: nothing left for the transient detector.
    const scores = train.samples.map((s) => (s.loss === 'lossy' ? 3 : -5));
    assert.equal(fitTransientLoss(train.samples, train.zs, scores), null);
    const few = synthetic(4, 6);
    assert.equal(fitTransientLoss(few.samples, few.zs, new Float64Array(few.samples.length).fill(-5), { minLossy: 50 }), null);
  });

});
