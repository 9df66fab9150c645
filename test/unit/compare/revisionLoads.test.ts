import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareRevisions, SAME_LOAD, trafficParts, type RevisionSide } from '../../../src/core/compare/revisionAb.ts';
import type { Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';

/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 78.233) * 0.5;

/** One second of a busy poller at `pps` packets per second costing `ns` CPU-ns per packet (±2 %). */
function second(t: number, pps: number, ns: number): Fingerprint {
  const p = pps * (1 + 0.02 * noise(t));
  const c = ns * (1 + 0.02 * noise(t + 1000));
  return { t, dt: 1, rates: {}, running: {}, missing: [], derived: { 'packets-per-second': p, 'drop-ratio': 0, 'cpu-ns-per-packet': c } };
}

/** `n` seconds from `t0` at each (pps, ns) in turn. */
function run(t0: number, phases: [number, number, number][]): Fingerprint[] {
  const out: Fingerprint[] = [];
  let t = t0;
  for (const [n, pps, ns] of phases) for (let i = 0; i < n; i++) out.push(second(++t, pps, ns));
  return out;
}

// As the demo router: a busy poller's CPU-ns per packet is its polling shared out over the packets.
const baseline: RevisionSide = { revision: 1, fingerprints: run(0, [[15, 10_000, 100_000], [10, 60_000, 16_700]]) };

describe('the revision A/B compares stretches offered about the same load', () => {
  test('a revision is cut into its steady stretches, each with its offered load', () => {
    const parts = trafficParts(baseline.fingerprints);
    assert.equal(parts.length, 2, parts.map((p) => p.description).join(' | '));
    assert.deepEqual(parts.map((p) => Math.round(p.offered / 1000)).sort((a, b) => a - b), [10, 60]);
  });

  test('the baseline stretch at the current load is taken, not its longest: the same router reads the same', () => {
    // The current revision is at 60 kpps, the baseline's longest stretch at 10 kpps (6x the cost per packet).
    const ab = compareRevisions(baseline, { revision: 2, fingerprints: run(100, [[8, 60_000, 16_700]]) });
    assert.ok(!('waiting' in ab));
    assert.equal(ab.sameLoad, true);
    assert.match(ab.used.baseline, /^steady stretch 1[5-7](\.\d)?–25 s/, ab.used.baseline);
    assert.match(ab.verdict, /^Revision 2 does not differ from revision 1 in cost per packet/, ab.verdict);
  });

  test('at the same load, a real change of cost is the verdict', () => {
    const ab = compareRevisions(baseline, { revision: 2, fingerprints: run(100, [[8, 10_000, 80_000]]) });
    assert.ok(!('waiting' in ab));
    assert.match(ab.verdict, /^Revision 2 is faster per packet than revision 1 by (19|20)\.\d % ± \d+\.\d % \(CPU-ns per packet\)$/, ab.verdict);
  });

  test(`no stretch within ${SAME_LOAD}x of the other's load: figures, but no faster or slower`, () => {
    const ab = compareRevisions(baseline, { revision: 2, fingerprints: run(100, [[8, 30_000, 33_300]]) });
    assert.ok(!('waiting' in ab));
    assert.equal(ab.sameLoad, false);
    assert.match(ab.verdict, /^Revisions 1 and 2 do not compare in cost per packet yet: revision 1 was offered (9\.9\d|10\.0) kpps, revision 2 (29\.9\d|30\.\d) kpps/, ab.verdict);
    assert.ok(ab.figures.some((f) => f.feature === 'cpu-ns-per-packet'), 'the figures are still there');
    assert.ok(ab.warnings.some((w) => /offered different loads/.test(w)), ab.warnings.join(' | '));
  });
});
