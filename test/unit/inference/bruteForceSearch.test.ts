import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { FamiliarityIndex } from '../../../src/core/inference/familiarity.ts';
import { setKernelsEnabled } from '../../../src/core/inference/kernels.ts';
import { ScenarioIndex, type ScenarioMatch } from '../../../src/core/inference/scenarioMatcher.ts';
import { normalise } from '../../../src/core/model/featureSpace.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { ScenarioModel, StateFamiliarity } from '../../../src/core/model/model.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { datasetsDir } from '../../support/paths.ts';
import { perfFiles } from '../../support/perfFiles.ts';

/**
 * The searches checked against their definitions, written as plainly as they read:
 * the distance from an interval to a known point is the mean, over the events the
 * interval counted, of its squared difference in units of the event's spread, each
 * term capped at 16; the scenario is the label of the nearest prototype, the
 * runner-up the label of the nearest prototype of any other label; the familiarity
 * is the root distance to the nearest known idle and processing interval. Every
 * point is visited and nothing is skipped, in no particular order. The fast searches
 * sum in another way (bounds, blocks, kernels), so numbers agree to rounding, and a
 * label may differ only where two labels are tied.
 */
const CAP = 16;

function distance(x: ArrayLike<number>, point: ArrayLike<number>, spread: ArrayLike<number>): number {
  const terms: number[] = [];
  for (let k = 0; k < spread.length; k++) {
    if (Number.isNaN(x[k])) continue;
    terms.push(Math.min(((x[k]! - point[k]!) / spread[k]!) ** 2, CAP));
  }
  return terms.length === 0 ? NaN : terms.reduce((a, b) => a + b, 0) / terms.length;
}

interface Ranked {
  label: string;
  distance: number;
}

/** Every label with its nearest prototype's distance, nearest first; only those under maxDistance. */
function rankLabels(m: ScenarioModel, z: ArrayLike<number>, maxDistance: number): Ranked[] {
  const best = new Map<string, number>();
  for (const p of m.prototypes) {
    const label = m.labels[p.label]!.label;
    const d = distance(z, p.z, m.scale);
    if (d < maxDistance && !(best.get(label)! <= d)) best.set(label, d);
  }
  return [...best].map(([label, d]) => ({ label, distance: d })).sort((a, b) => a.distance - b.distance);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The fast answer is one the definition allows: each label one at its distance, and nothing nearer. */
function checkMatch(got: ScenarioMatch | null, ranked: Ranked[], what: string): void {
  if (ranked.length === 0) return assert.equal(got, null, `${what}: no prototype in reach, yet ${got?.scenario}`);
  assert.ok(got, `${what}: ${ranked[0]!.label} at ${ranked[0]!.distance}, yet no match`);
  const at = (label: string | null) => ranked.find((r) => r.label === label);
  assert.ok(close(got.distance, ranked[0]!.distance), `${what}: nearest at ${ranked[0]!.distance} (${ranked[0]!.label}), fast says ${got.distance} (${got.scenario})`);
  assert.ok(at(got.scenario) && close(at(got.scenario)!.distance, got.distance), `${what}: ${got.scenario} is not at ${got.distance}`);
  assert.ok(close(got.similarity, Math.exp(-got.distance / 2)), `${what}: similarity`);
  const second = ranked.find((r) => r.label !== got.scenario);
  if (!second) return assert.equal(got.runnerUp, null, `${what}: no other label in reach`);
  assert.ok(got.runnerUp !== null && got.runnerUpDistance !== null, `${what}: runner-up ${second.label} missing`);
  assert.ok(close(got.runnerUpDistance, second.distance), `${what}: runner-up at ${second.distance} (${second.label}), fast says ${got.runnerUpDistance} (${got.runnerUp})`);
  assert.ok(at(got.runnerUp) && close(at(got.runnerUp)!.distance, got.runnerUpDistance), `${what}: ${got.runnerUp} is not at ${got.runnerUpDistance}`);
}

/** Familiarity by its definition, from a fingerprint's log rates (log10(rate + 1); NaN = not counted). */
function familiarityOf(f: StateFamiliarity, fp: Fingerprint) {
  const x = f.events.map((e) => {
    const r = fp.rates[e];
    return r === undefined || !Number.isFinite(r) ? NaN : Math.log10(Math.max(r, 0) + 1);
  });
  const counted = x.filter((v) => !Number.isNaN(v)).length;
  if (counted < 0.6 * f.events.length) return { judged: false };
  const nearest = (rows: number[][]) => Math.sqrt(Math.min(...rows.map((r) => distance(x, r, f.scale))));
  return { judged: true, idle: nearest(f.idle), processing: nearest(f.processing) };
}

/** Seeded numbers in [0, 1) (xorshift32): the same inputs on every run. */
function random(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A scenario model of random prototypes in clusters, some exact duplicates across labels (ties). */
function randomScenarios(rnd: () => number, labels: number, perLabel: number, d: number): ScenarioModel {
  const prototypes: ScenarioModel['prototypes'] = [];
  for (let l = 0; l < labels; l++) {
    const centre = Array.from({ length: d }, () => (rnd() - 0.5) * 6);
    for (let i = 0; i < perLabel; i++) prototypes.push({ label: l, z: centre.map((c) => c + (rnd() - 0.5) * 2) });
  }
  prototypes.push({ label: labels - 1, z: [...prototypes[0]!.z] });
  return {
    labels: Array.from({ length: labels }, (_, l) => ({ label: `s${l}` })),
    prototypes,
    scale: Array.from({ length: d }, () => 0.2 + rnd() * 2),
    centroids: Array.from({ length: labels }, () => Array.from({ length: d }, () => 0)),
  } as unknown as ScenarioModel;
}

function probes(rnd: () => number, points: readonly (readonly number[])[], d: number, count: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const a = points[Math.floor(rnd() * points.length)]!;
    const kind = i % 4;
    out.push(Float64Array.from({ length: d }, (_, k) => (kind === 0 ? a[k]! : kind === 1 ? a[k]! + (rnd() - 0.5) : kind === 2 ? (rnd() - 0.5) * 40 : rnd() < 0.35 ? NaN : a[k]! + (rnd() - 0.5) * 3)));
  }
  return out;
}

for (const kernels of [true, false])
  describe(`the searches agree with a brute-force scan of their definitions (${kernels ? 'WebAssembly kernels' : 'TypeScript loops'})`, () => {
    it('scenario match on random models: every prototype scanned, reach limits and ties included', () => {
      setKernelsEnabled(kernels);
      const rnd = random(kernels ? 101 : 202);
      for (let round = 0; round < 12; round++) {
        const d = 3 + Math.floor(rnd() * 20);
        const m = randomScenarios(rnd, 2 + Math.floor(rnd() * 6), 1 + Math.floor(rnd() * 40), d);
        const index = new ScenarioIndex(m);
        const maxDistance = round % 3 === 0 ? Infinity : 0.5 + rnd() * 8;
        for (const [i, z] of probes(rnd, m.prototypes.map((p) => p.z), d, 300).entries()) {
          if (z.every((v) => Number.isNaN(v))) continue;
          checkMatch(index.match(z, maxDistance), rankLabels(m, z, maxDistance), `round ${round} probe ${i}`);
        }
      }
    });

    it('scenario match and familiarity of the default model on every reference interval and on moved calibration points', async () => {
      setKernelsEnabled(kernels);
      const model = await loadDefaultModel();
      const fps: Fingerprint[] = [];
      for (const file of perfFiles(datasetsDir)) for (const iv of await readAllIntervals(file)) fps.push(fingerprint(iv));
      assert.ok(fps.length > 3000, `${fps.length} reference intervals`);
      const rnd = random(kernels ? 303 : 404);
      const scenarios = model.scenarios!;
      const index = new ScenarioIndex(scenarios);
      const d = scenarios.scale.length;
      // Every third reference interval (the scan is slow by design), and moved prototypes.
      const zs = [...fps.filter((_, i) => i % 3 === 0).map((fp) => normalise(fp, model.features).z), ...probes(rnd, scenarios.prototypes.map((p) => p.z), d, 600)];
      let matched = 0;
      for (const [i, z] of zs.entries()) {
        if (z.every((v) => Number.isNaN(v))) continue;
        const got = index.match(z);
        checkMatch(got, rankLabels(scenarios, z, Infinity), `scenario probe ${i}`);
        if (got) matched++;
      }
      assert.ok(matched > zs.length * 0.9, `${matched} of ${zs.length} matched`);

      const f = model.state.familiarity!;
      const fam = new FamiliarityIndex(f);
      const moved = probes(rnd, [...f.idle, ...f.processing], f.events.length, 800).map(
        (x, t): Fingerprint => ({ t, dt: 1, rates: Object.fromEntries(f.events.flatMap((e, k) => (Number.isNaN(x[k]) ? [] : [[e, 10 ** x[k]! - 1]]))), running: {}, derived: {}, missing: [] }) as unknown as Fingerprint,
      );
      let familiar = 0;
      const famProbes = [...fps.filter((_, j) => j % 3 === 1), ...moved];
      for (const [i, fp] of famProbes.entries()) {
        const want = familiarityOf(f, fp);
        const got = fam.measure(fp);
        assert.equal(got.judged, want.judged, `familiarity probe ${i}: judged`);
        if (!want.judged) continue;
        // The nearer state's distance is exact; the farther one's search stops at it.
        const nearer = Math.min(want.idle!, want.processing!);
        assert.ok(close(Math.min(got.idle, got.processing), nearer), `familiarity probe ${i}: nearest at ${nearer}, fast says ${got.idle} / ${got.processing}`);
        if (!close(want.idle!, want.processing!)) assert.equal(got.idle <= got.processing, want.idle! < want.processing!, `familiarity probe ${i}: which state is nearer`);
        if (want.idle! <= want.processing!) assert.ok(close(got.idle, want.idle!), `familiarity probe ${i}: idle at ${want.idle}, fast says ${got.idle}`);
        else assert.ok(close(got.processing, want.processing!) && got.idle >= got.processing, `familiarity probe ${i}: processing at ${want.processing}`);
        if (!close(nearer, f.maxDistance)) assert.equal(got.familiar, nearer <= f.maxDistance, `familiarity probe ${i}: nearest at ${nearer}, reach ${f.maxDistance}`);
        if (got.familiar) familiar++;
      }
      assert.ok(familiar > 0 && familiar < famProbes.length, `${familiar} of ${famProbes.length} familiar`);
    });
  });
