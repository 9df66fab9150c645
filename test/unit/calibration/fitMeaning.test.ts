import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { samplesFromCounters } from '../../../src/core/calibration/counterSamples.ts';
import { fitLoss } from '../../../src/core/calibration/fitLoss.ts';
import { fitState } from '../../../src/core/calibration/fitState.ts';
import type { Sample } from '../../../src/core/calibration/samples.ts';
import type { Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { project } from '../../../src/core/inference/lossDetector.ts';
import { logRate } from '../../../src/core/model/featureSpace.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';

/**
 * What calibration means, on synthetic samples whose right answer is known: a
 * boundary between the classes however unequal their sizes, a small recording
 * not swamped by a big one, no loss region without both labels, and the router's
 * own idle level only from enough of its own idle intervals.
 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(22);
const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const fp = (rates: Record<string, number>): Fingerprint => ({ t: 1, dt: 1, rates, running: {}, derived: {} }) as unknown as Fingerprint;
/** A rate whose log10 is about `log` (spread 0.15). */
const rate = (log: number) => 10 ** (log + 0.15 * gauss()) - 1;

describe('calibration: what a fit means', () => {
  test('an imbalanced state set (10 idle, 1000 processing) still puts the boundary between the classes, near their middle', () => {
    const samples: Sample[] = [
      ...Array.from({ length: 10 }, () => ({ fp: fp({ 'LLC-stores': rate(3.0) }), source: 'a', state: 'idle' as const })),
      ...Array.from({ length: 1000 }, () => ({ fp: fp({ 'LLC-stores': rate(3.6) }), source: 'a', state: 'processing' as const })),
    ];
    const p = fitState(samples, ['LLC-stores']);
    // Evidence is bias + w·(log − neutral): zero at the boundary.
    const boundary = p.neutral[0]! - p.bias / p.weights[0]!;
    assert.ok(p.weights[0]! > 0, 'more LLC stores is more processing');
    assert.ok(boundary > 3.15 && boundary < 3.45, `boundary at log10 ${boundary.toFixed(3)}, the classes at 3.0 and 3.6`);
    const evidence = (log: number) => p.bias + p.weights[0]! * (logRate(10 ** log - 1) - p.neutral[0]!);
    assert.ok(evidence(3.0) < 0 && evidence(3.6) > 0);
  });

  test('one big recording does not swamp a small one: each (recording, label) group weighs the same in the loss fit', () => {
    // Big platform: clean spread wide around -0.5 (its tail reaches past 1), lossy at 2.5. Small router: clean at 0.3, lossy at 1.1.
    const z = (x: number, sd: number) => Float64Array.from([x + sd * gauss(), 0.3 * gauss(), 0.05 * gauss()]);
    const rows: { s: Sample; z: Float64Array }[] = [];
    for (let i = 0; i < 1000; i++) rows.push({ s: { fp: fp({}), source: 'big', loss: 'clean' }, z: z(-0.5, 0.7) }, { s: { fp: fp({}), source: 'big', loss: 'lossy' }, z: z(2.5, 0.3) });
    for (let i = 0; i < 10; i++) rows.push({ s: { fp: fp({}), source: 'small', loss: 'clean' }, z: z(0.3, 0.05) }, { s: { fp: fp({}), source: 'small', loss: 'lossy' }, z: z(1.1, 0.05) });
    const m = fitLoss(
      rows.map((x) => x.s),
      rows.map((x) => x.z),
      { transient: false },
    )!;
    const score = (x: number) => {
      const pcs = project(Float64Array.from([x, 0, 0]), m.basis, m.components);
      let s = m.bias;
      for (let c = 0; c < m.components; c++) s += m.weights[c]! * pcs[c]!;
      return s;
    };
    assert.ok(score(0.3) < 0, `the small router's clean level is clean (score ${score(0.3).toFixed(2)})`);
    assert.ok(score(1.1) > 0, `the small router's lossy level is lossy (score ${score(1.1).toFixed(2)})`);
    assert.ok(score(-0.5) < 0 && score(2.5) > 0, 'and the big platform still fits');
  });

  test('a training set that is all lossy (or all clean) gives no loss region', () => {
    const rows = Array.from({ length: 50 }, () => ({ s: { fp: fp({}), source: 'a', loss: 'lossy' as const }, z: Float64Array.from([gauss(), gauss()]) }));
    assert.equal(
      fitLoss(
        rows.map((x) => x.s),
        rows.map((x) => x.z),
        { transient: false },
      ),
      null,
    );
    const clean = rows.map((x) => ({ ...x, s: { ...x.s, loss: 'clean' as const } }));
    assert.equal(
      fitLoss(
        clean.map((x) => x.s),
        clean.map((x) => x.z),
        { transient: false },
      ),
      null,
    );
  });

  test("the router's own idle level needs at least 5 of its own idle intervals; reference routers' idle never counts", () => {
    const set = (ownIdle: number): Sample[] => [
      ...Array.from({ length: 40 }, () => ({ fp: fp({ 'LLC-stores': rate(2.0) }), source: 'reference', state: 'idle' as const })),
      ...Array.from({ length: 40 }, () => ({ fp: fp({ 'LLC-stores': rate(4.0) }), source: 'reference', state: 'processing' as const })),
      ...Array.from({ length: ownIdle }, () => ({ fp: fp({ 'LLC-stores': rate(2.5) }), source: 'mine', state: 'idle' as const, own: true })),
    ];
    assert.equal(fitState(set(0), ['LLC-stores']).ownIdle, undefined, 'no own idle intervals: no own level');
    assert.equal(fitState(set(4), ['LLC-stores']).ownIdle, undefined, 'four say too little');
    const five = fitState(set(5), ['LLC-stores']).ownIdle;
    assert.equal(five?.intervals, 5);
    assert.ok(five!.level > 2.2 && five!.level < 3.2, `own idle level ${five!.level} from the router's own intervals at about 2.5`);
  });

  test('intervals labelled by the router’s own counters are marked as its own', () => {
    const iv = (rx: number): Interval => ({ t: 1, dt: 1, counters: { 'LLC-stores': 1000 }, running: { 'LLC-stores': 100 }, notCounted: [], unsupported: [], packets: { rx, tx: rx, dropped: 0 } }) as unknown as Interval;
    const got = samplesFromCounters([iv(0), iv(50_000)], 'rec.vnflens');
    assert.deepEqual(
      got.map((s) => [s.state, s.own]),
      [
        ['idle', true],
        ['processing', true],
      ],
    );
  });
});
