import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveSampleSize, lag1Autocorrelation, sampleStats, unbiasedRho1 } from '../../../src/core/compare/sampleStats.ts';
import { tCdf, tCritical, tTwoSidedP } from '../../../src/core/compare/tDistribution.ts';
import { bhAdjust, effectSize, holmAdjust, welchTest } from '../../../src/core/compare/tests.ts';

// Reference values from scipy 1.17 (scipy.stats.t.cdf / t.sf / t.ppf, ttest_ind(equal_var=False)).
/** mulberry32: a small seeded generator, so simulated series are the same on every run. */
function seeded(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x = (x + 0x6d2b79f5) | 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(rnd: () => number): number {
  let u = 0;
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

function ar1(rnd: () => number, n: number, rho: number): number[] {
  const out: number[] = [];
  let x = gauss(rnd) / Math.sqrt(1 - rho * rho);
  for (let i = 0; i < n; i++) {
    x = rho * x + gauss(rnd);
    out.push(x);
  }
  return out;
}

const close = (actual: number, expected: number, rel = 1e-9) => assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} != ${expected}`);

describe("Student's t distribution", () => {
  it('matches reference CDF and two-sided tail values, also for fractional df', () => {
    const cases: [number, number, number, number][] = [
      [2.0, 5, 0.9490302605850708, 0.10193947882985835],
      [-1.5, 2.3, 0.1282776239464315, 0.256555247892863],
      [0.7, 1, 0.6944001122142147, 0.6111997755715705],
      [3.2, 100, 0.9990790287420585, 0.0018419425158830536],
      [12.0, 3.5, 0.999712732903572, 0.0005745341928561276],
      [-40, 4, 1.1670081613006339e-6, 2.3340163226012678e-6],
    ];
    for (const [t, df, cdf, p] of cases) {
      close(tCdf(t, df), cdf);
      close(tTwoSidedP(t, df), p);
    }
  });

  it('matches reference critical values', () => {
    const cases: [number, number, number][] = [
      [0.95, 1, 12.706204736174694],
      [0.95, 2.5, 3.5746548420036817],
      [0.95, 10, 2.228138851986274],
      [0.95, 30, 2.0422724563012378],
      [0.99, 7.3, 3.451031655622185],
      [0.95, 1000, 1.9623390808264083],
    ];
    for (const [conf, df, t] of cases) close(tCritical(conf, df), t, 1e-9);
  });
});

describe("Welch's t-test", () => {
  it('gives the reference t, df and p for textbook samples', () => {
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    // scipy's t is mean(a1) - mean(a2); ours is B - A, so A = a2, B = a1.
    let r = welchTest(sampleStats(a2), sampleStats(a1), false);
    close(r.t, -2.455356398286006);
    close(r.df, 24.988529290231416);
    close(r.p, 0.021378001462866992);
    const b1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
    const b2 = [21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8];
    r = welchTest(sampleStats(b2), sampleStats(b1), false);
    close(r.t, -1.5654335235985037);
    close(r.df, 9.904741248650831);
    close(r.p, 0.14884169660532817);
  });

  it('loses power, as it should, when the values are serially correlated', () => {
    const rnd = seeded(7);
    const a = ar1(rnd, 60, 0.8);
    const b = ar1(rnd, 60, 0.8).map((x) => x + 0.5);
    const sa = sampleStats(a);
    assert.ok(sa.nEff < 25, `nEff ${sa.nEff}`);
    const pCorrected = welchTest(sa, sampleStats(b)).p;
    const pNaive = welchTest(sa, sampleStats(b), false).p;
    assert.ok(pCorrected > 3 * pNaive, `${pCorrected} vs ${pNaive}`);
  });

  it('keeps false positives near the nominal 5 % on autocorrelated noise (simulated AR(1), ρ = 0.8)', () => {
    const rnd = seeded(42);
    let corrected = 0;
    let naive = 0;
    const runs = 400;
    for (let i = 0; i < runs; i++) {
      const a = sampleStats(ar1(rnd, 30, 0.8));
      const b = sampleStats(ar1(rnd, 30, 0.8));
      if (welchTest(a, b).p < 0.05) corrected++;
      if (welchTest(a, b, false).p < 0.05) naive++;
    }
    assert.ok(corrected / runs < 0.1, `corrected false-positive rate ${corrected / runs}`);
    assert.ok(naive / runs > 0.3, `naive false-positive rate ${naive / runs}`);
  });

  it('takes a change of level as part of the run and measures the noise around it', () => {
    const rnd = seeded(3);
    const step = Array.from({ length: 30 }, (_, i) => (i < 18 ? 100 : 60) + gauss(rnd));
    const s = sampleStats(step);
    assert.deepEqual(s.levelShifts, [18]);
    assert.ok(s.noiseSd > 0.5 && s.noiseSd < 1.5, `noise sd ${s.noiseSd}`);
    assert.ok(s.sd > 15);
    assert.ok(s.ciHigh - s.ciLow < 2, `CI ${s.ciLow}..${s.ciHigh}`);
    const single = sampleStats(step, { singleLevel: true });
    assert.ok(single.ciHigh - single.ciLow > 10 * (s.ciHigh - s.ciLow));
  });

  it('handles constant samples', () => {
    const same = welchTest(sampleStats([5, 5, 5]), sampleStats([5, 5, 5, 5]));
    assert.equal(same.p, 1);
    const shifted = welchTest(sampleStats([5, 5, 5]), sampleStats([6, 6, 6]));
    assert.equal(shifted.p, 0);
    assert.equal(shifted.t, Infinity);
  });
});

describe('autocorrelation and effective sample size', () => {
  it('matches the standard lag-1 estimator', () => {
    close(lag1Autocorrelation([5.1, 5.3, 5.2, 5.6, 5.9, 5.7, 5.4, 5.2, 5.0, 4.9, 5.1, 5.5]), 0.6003740648379052);
    // 1..4: deviations ±1.5, ±0.5 → (0.75 − 0.25 + 0.75) / 5 = 0.25.
    close(lag1Autocorrelation([1, 2, 3, 4]), 0.25);
  });

  it('corrects the estimator for its small-sample bias', () => {
    close(unbiasedRho1(0.5, 20), 0.5 + 2.5 / 20);
    close(unbiasedRho1(-0.2, 10), -0.2 + 0.1);
  });

  it('uses n(1−ρ)/(1+ρ), bounded to [2, n], with negative ρ counted as 0', () => {
    close(effectiveSampleSize(4, 0.25), 2.4);
    assert.equal(effectiveSampleSize(30, -0.5), 30);
    assert.equal(effectiveSampleSize(30, 0.99), 2);
    close(effectiveSampleSize(100, 0.5), 100 / 3);
  });

  it('gives the textbook 95 % interval when there is no serial correlation', () => {
    const s = sampleStats([10, 12, 9, 11]); // ρ1 = −0.75 (+0.25 for bias) → taken as 0
    const half = (Math.sqrt(5 / 3) / 2) * 3.1824463052837078; // t(0.975, 3) from scipy
    close(s.ciHigh - s.mean, half, 1e-9);
    assert.equal(s.nEff, 4);
  });
});

describe('effect size', () => {
  it("computes Cohen's d and Hedges' g", () => {
    // Means 2 and 4, both variances 1 → pooled sd 1, d = 2; J = 1 − 3/(4·6 − 9) = 0.8.
    const { d, g } = effectSize(sampleStats([1, 2, 3]), sampleStats([3, 4, 5]));
    close(d, 2);
    close(g, 1.6);
  });
});

describe('multiple-testing corrections', () => {
  // Worked by hand for m = 7: Holm multiplies the k-th smallest by m − k + 1 and keeps the running maximum;
  // BH multiplies by m/k and keeps the running minimum from the top.
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.8, 0.049];
  it('Holm', () => {
    const want = [0.06, 0.16, 0.15, 0.035, 0.4, 0.8, 0.16];
    holmAdjust(p).forEach((x, i) => close(x, want[i]!, 1e-12));
  });
  it('Benjamini–Hochberg', () => {
    const want = [0.035, 0.0686, 0.0686, 0.035, 0.2 * (7 / 6), 0.8, 0.0686];
    bhAdjust(p).forEach((x, i) => close(x, want[i]!, 1e-12));
  });
  it('leaves untestable features out of the family', () => {
    const adj = holmAdjust([0.01, NaN, 0.02]);
    assert.ok(Number.isNaN(adj[1]!));
    close(adj[0]!, 0.02);
    close(adj[2]!, 0.02);
  });
});
