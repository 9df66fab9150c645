import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { splitScenarioLabel } from '../../../src/core/ui/scenarioLabel.ts';
import { modelView } from '../../../src/core/ui/modelView.ts';

describe('modelView', () => {
  it('draws the default model: calibration points with rate and loss, the lossy region, the scenarios', async () => {
    const model = await loadDefaultModel();
    const v = modelView(model);
    assert.equal(v.name, model.name);
    const loss = model.loss!;
    assert.equal(v.pca!.points.length, loss.points.length);
    v.pca!.points.forEach((p, i) => {
      const src = loss.points[i]!;
      assert.deepEqual([p.x, p.y], src.pc);
      assert.equal(p.lossy, src.loss === undefined ? null : src.loss === 'lossy');
      if (src.scenario) assert.equal(p.rate, splitScenarioLabel(src.scenario).rate);
      else if (src.state === 'idle') assert.equal(p.rate, 0, 'an idle router carries no traffic');
      else assert.equal(p.rate, null);
    });
    assert.deepEqual(v.pca!.lossyRegion, loss.region2d);
    assert.deepEqual(v.pca!.explained, loss.explainedVariance.slice(0, 2));
    assert.equal(v.scenarios.length, model.scenarios!.labels.length);
    for (const [i, s] of v.scenarios.entries()) {
      const l = model.scenarios!.labels[i]!;
      assert.equal(s.label, l.label);
      assert.equal(s.rate, l.rate ?? null);
      assert.equal(s.group, l.group ?? splitScenarioLabel(l.label).group);
    }
  });

  it('thins large calibration sets evenly', async () => {
    const model = await loadDefaultModel();
    const v = modelView(model, { maxPoints: 100, source: 'test' });
    assert.equal(v.pca!.points.length, 100);
    assert.equal(v.source, 'test');
    assert.deepEqual([v.pca!.points[0]!.x, v.pca!.points[0]!.y], model.loss!.points[0]!.pc);
  });

  it('splits router-prefixed and plain scenario labels', () => {
    assert.deepEqual(splitScenarioLabel('fastclick:5000-64'), { group: 'fastclick', rate: 5000, size: '64' });
    assert.deepEqual(splitScenarioLabel('500_imix'), { group: null, rate: 500, size: 'imix' });
    assert.deepEqual(splitScenarioLabel('web-traffic'), { group: null, rate: null, size: null });
  });
});
