import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveRevisionAb } from '../../../src/core/compare/liveAb.ts';
import { abRows, change } from '../../../src/core/compare/render/revisionReport.ts';
import type { AbFigure, RevisionAb } from '../../../src/core/compare/revisionAb.ts';
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

describe('A/B figures as the card and the report write them', () => {
  const side = (mean: number, half: number, n = 10) => ({ mean, ciLow: mean - half, ciHigh: mean + half, n });
  test('a drop ratio changes in percentage points, and no interval reaches below zero', () => {
    const f: AbFigure = { feature: 'drop-ratio', unit: '', baseline: side(0.00552, 0.0123), current: side(0, 0), relative: -1, relativeHalfWidth: 0, different: false };
    assert.equal(change(f), '−0.552 pts ± 1.230 pts (no significant change)');
    const [, base, cur] = abRows({ figures: [f] } as unknown as RevisionAb)[0]!;
    assert.equal(base, '0.552 % [0.000, 1.782]');
    assert.equal(cur, '0.000 % [0.000, 0.000]');
  });

  test('throughput and cost per packet change relatively, with their interval', () => {
    const f: AbFigure = { feature: 'cpu-ns-per-packet', unit: 'ns/pkt', baseline: side(20000, 500), current: side(21000, 400), relative: 0.05, relativeHalfWidth: 0.032, different: true };
    assert.equal(change(f), '+5.0 % ± 3.2 %');
  });
});
