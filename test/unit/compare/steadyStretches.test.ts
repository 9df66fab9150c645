import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { selectIntervals } from '../../../src/core/compare/selectIntervals.ts';
import { steadyStretches } from '../../../src/core/compare/steadyStretches.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');

describe('steady stretches', () => {
  it('splits an on-off run at the traffic start: idle before, processing after, the transition left out', async () => {
    const file = path.join(datasets, 'itc21/on-off', 'fastclick.csv');
    const ivs = selectIntervals(await readAllIntervals(file), file, '5000-64');
    const stretches = steadyStretches(ivs.map(fingerprint));
    assert.ok(stretches.length >= 2, JSON.stringify(stretches));
    const idle = stretches.find((s) => s.last <= 18)!;
    const busy = stretches.find((s) => s.first >= 18)!;
    assert.ok(idle && busy, `an idle and a processing stretch: ${JSON.stringify(stretches)}`);
    assert.ok(idle.intervals >= 10 && busy.intervals >= 5);
    // The range picks exactly the stretch's intervals back.
    assert.equal(selectIntervals(ivs, file, undefined, busy.range).length, busy.intervals);
    assert.equal(selectIntervals(ivs, file, undefined, idle.range).length, idle.intervals);
  });

  it('a steady run is one stretch, the whole of it', async () => {
    const file = path.join(datasets, 'itc21/on-off', 'vpp.csv');
    const ivs = selectIntervals(await readAllIntervals(file), file, '5000-64').filter((iv) => iv.t > 21);
    const stretches = steadyStretches(ivs.map(fingerprint));
    assert.equal(stretches.length, 1, JSON.stringify(stretches));
    assert.equal(stretches[0]!.intervals, ivs.length);
  });
});
