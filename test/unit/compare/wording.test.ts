import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureComparison } from '../../../src/core/compare/compareRuns.ts';
import { sampleStats } from '../../../src/core/compare/sampleStats.ts';
import { buildVerdict } from '../../../src/core/compare/verdict.ts';
import { describeChange, formatChange } from '../../../src/core/compare/wording.ts';

const opts = { alpha: 0.05, adjust: 'holm' as const, minRelativeDifference: 0.05 };

/** A feature row with given means; the statistics other than the decision flags do not matter to the wording. */
function feature(name: string, meanA: number, meanB: number, different = true, kind: 'rate' | 'derived' = 'rate'): FeatureComparison {
  const s = sampleStats([1, 2, 3]);
  const ratio = meanB / meanA;
  return {
    feature: name,
    kind,
    unit: kind === 'rate' ? '/s' : '',
    a: { ...s, mean: meanA },
    b: { ...s, mean: meanB },
    difference: meanB - meanA,
    relativeDifference: ratio - 1,
    ratio,
    cohensD: 1,
    hedgesG: 1,
    t: 5,
    df: 10,
    p: different ? 1e-6 : 0.5,
    pAdjusted: different ? 1e-5 : 1,
    significant: different,
    material: Math.abs(ratio - 1) >= 0.05,
    different: different && Math.abs(ratio - 1) >= 0.05,
  };
}

describe('change wording', () => {
  it('says ratios of 2 or more as Nx and smaller changes in percent', () => {
    assert.deepEqual(formatChange(3), { amount: '3x', up: true });
    assert.deepEqual(formatChange(2.5), { amount: '2.5x', up: true });
    assert.deepEqual(formatChange(1 / 3), { amount: '3x', up: false });
    assert.deepEqual(formatChange(0.88), { amount: '12%', up: false });
    assert.deepEqual(formatChange(1.053), { amount: '5.3%', up: true });
    assert.deepEqual(formatChange(1.999), { amount: '100%', up: true }); // just under 2x
    assert.deepEqual(formatChange(17.4), { amount: '17x', up: true });
    assert.deepEqual(formatChange(11627), { amount: '12000x', up: true });
  });

  it('uses the right verb and comparative per feature', () => {
    assert.equal(describeChange('instructions', 0.88, false), 'executes 12% fewer instructions per second');
    assert.equal(describeChange('branch-misses', 3, false), 'misses 3x more branches per second');
    assert.equal(describeChange('ipc', 1.2, true), 'has 20% higher IPC');
    assert.equal(describeChange('context-switches', 0.25, false), 'switches context 4x less often');
    assert.equal(describeChange('LLC-load-misses', 1.5, false), 'has 50% more LLC-load-misses per second');
    assert.equal(describeChange('dTLB-load-miss-ratio', 0.5, true), 'has a 2x lower dTLB-load-miss-ratio');
    assert.equal(describeChange('page-faults', Infinity, false), 'counts page-faults where A counts none');
    assert.equal(describeChange('page-faults', 0, false), 'counts no page-faults');
  });
});

describe('verdict', () => {
  it('says there is no significant difference when no feature differs, and counts the small ones', () => {
    const v = buildVerdict([feature('instructions', 100, 101, true), feature('cycles', 100, 100, false)], opts);
    assert.equal(v.verdict, 'No significant difference between A and B: none of the 2 features compared differs by 5% or more with Holm-adjusted p < 0.05; 1 differs by less than 5%.');
    assert.deepEqual(v.highlights, []);
  });

  it('names headline features first, then the largest other change', () => {
    const v = buildVerdict(
      [feature('node-loads', 10, 1000), feature('branch-misses', 1e6, 3e6), feature('instructions', 5e9, 4.4e9), feature('cycles', 2.6e9, 2.6e9, false), feature('cache-references', 100, 110, false)],
      opts,
    );
    assert.equal(v.verdict, 'Compared with A, B executes 12% fewer instructions per second, misses 3x more branches per second and has 100x more node-loads per second (3 of 5 features differ significantly).');
    assert.deepEqual(v.highlights, ['instructions', 'branch-misses', 'node-loads']);
  });

  it('does not repeat IPC after instructions when the cycle rate did not change, nor synonyms', () => {
    const v = buildVerdict(
      [
        feature('instructions', 5e9, 4e9),
        feature('ipc', 2, 1.6, true, 'derived'),
        feature('cycles', 2.5e9, 2.5e9, false),
        feature('branch-misses', 1e6, 2e6),
        feature('branch-load-misses', 1e6, 2e6),
      ],
      opts,
    );
    assert.deepEqual(v.highlights, ['instructions', 'branch-misses']);
    assert.equal(v.verdict, 'Compared with A, B executes 20% fewer instructions per second and misses 2x more branches per second (4 of 5 features differ significantly).');
  });

  it('names IPC too when the cycle rate changed', () => {
    const v = buildVerdict([feature('instructions', 5e9, 4e9), feature('ipc', 2, 2.4, true, 'derived'), feature('cycles', 2.5e9, 1.67e9)], opts);
    assert.deepEqual(v.highlights, ['instructions', 'ipc', 'cycles']);
  });
});
