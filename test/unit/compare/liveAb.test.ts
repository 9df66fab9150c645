import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveRevisionAb } from '../../../src/core/compare/liveAb.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { withPacketFeatures } from '../../../src/core/fingerprint/packetMetrics.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';

describe('the live A/B of a followed router', () => {
  test('a revision that has begun is the current one before its first interval; the verdict comes with its steady traffic', async () => {
    const seconds = (await bridgeWithPackets('exp-2')).map((s) => s.iv).slice(0, 60);
    const ab = new LiveRevisionAb();
    const push = (rev: number, from: number, to: number) => {
      for (const iv of seconds.slice(from, to)) ab.push('pid-1', rev, withPacketFeatures(fingerprint(iv), iv));
    };
    push(1, 0, 30);
    ab.pin('pid-1', 1);
    assert.match(ab.view()!.waiting!, /revision 1 is the baseline and still the current one: restart the router/);
    // The restart: revision 2 has begun, perf is not yet counting it.
    ab.opened('pid-1', 2);
    const before = ab.view()!;
    assert.equal(before.current, 2);
    assert.equal(before.waiting, 'revision 2 has 0 intervals with traffic; the A/B needs 5');
    push(2, 30, 33);
    // Of its first three seconds, those below 3/4 of its median rate (a partial second) do not count.
    assert.match(ab.view()!.waiting!, /^revision 2 has [1-3] intervals with traffic; the A\/B needs 5$/);
    push(2, 33, 60);
    const ready = ab.view()!;
    assert.equal(ready.waiting, undefined, JSON.stringify(ready));
    assert.match(ready.verdict, /^Revision 2 (is (faster|slower) per packet than|does not differ from) revision 1/);
    assert.deepEqual(ready.figures.map((f) => f.feature).slice(0, 2), ['packets-per-second', 'drop-ratio']);
  });
});
