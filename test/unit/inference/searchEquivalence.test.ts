import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { FamiliarityIndex } from '../../../src/core/inference/familiarity.ts';
import { BLOCK_ROWS, buildRowBlocks } from '../../../src/core/inference/rowBlocks.ts';
import { spawnSync } from 'node:child_process';
import { project, Projector } from '../../../src/core/inference/lossDetector.ts';
import { createKernels, setKernelsEnabled } from '../../../src/core/inference/kernels.ts';
import { ScenarioIndex, type ScenarioMatch } from '../../../src/core/inference/scenarioMatcher.ts';
import { logRate, normalise } from '../../../src/core/model/featureSpace.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model, ScenarioModel, StateFamiliarity } from '../../../src/core/model/model.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { datasetsDir } from '../../support/paths.ts';
import { perfFiles } from '../../support/perfFiles.ts';

/**
 * The nearest-neighbour searches skip rows by bounds; these are the searches without
 * any skipping: every exact sum, in event order, visited in the same order with the
 * same acceptance test. Their answers must be the same numbers, bit for bit.
 */
const MAX_TERM = 16;

function exactSum(x: ArrayLike<number>, rows: Float64Array, off: number, inv: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < inv.length; k++) {
    const v = x[k]!;
    if (v !== v) continue;
    const e = (v - rows[off + k]!) * inv[k]!;
    const e2 = e * e;
    s += e2 < MAX_TERM ? e2 : MAX_TERM;
  }
  return s;
}

class StraightMatch {
  private readonly d: number;
  private readonly protos: Float64Array;
  private readonly labelOf: number[];
  private readonly inv: number[];
  private readonly firstProto: number[];
  private lastStart = 0;

  constructor(private readonly m: ScenarioModel) {
    this.d = m.scale.length;
    this.protos = new Float64Array(m.prototypes.length * this.d);
    m.prototypes.forEach((p, i) => this.protos.set(p.z, i * this.d));
    this.labelOf = m.prototypes.map((p) => p.label);
    this.inv = m.scale.map((s) => 1 / s);
    this.firstProto = m.labels.map((_, l) => this.labelOf.indexOf(l));
  }

  match(z: ArrayLike<number>): ScenarioMatch | null {
    let n = 0;
    for (let k = 0; k < this.d; k++) if (z[k] === z[k]) n++;
    if (n === 0) return null;
    const P = this.labelOf.length;
    const best = new Array<number>(this.m.labels.length).fill(Infinity);
    let l1 = -1;
    let l2 = -1;
    let b1 = Infinity;
    let b2 = Infinity;
    for (let q = 0; q < P; q++) {
      const p = (this.lastStart + q) % P;
      const label = this.labelOf[p]!;
      const cut = Math.min(best[label]!, b2) * n;
      const sum = exactSum(z, this.protos, p * this.d, this.inv);
      if (sum >= cut) continue;
      const dist = sum / n;
      best[label] = dist;
      if (label === l1) b1 = dist;
      else if (label === l2) {
        b2 = dist;
        if (b2 < b1) [l1, b1, l2, b2] = [l2, b2, l1, b1];
      } else if (dist < b1) {
        [l2, b2] = [l1, b1];
        [l1, b1] = [label, dist];
      } else if (dist < b2) [l2, b2] = [label, dist];
    }
    if (l1 < 0) return null;
    this.lastStart = this.firstProto[l1]!;
    const s1 = Math.exp(-b1 / 2);
    const s2 = l2 >= 0 ? Math.exp(-b2 / 2) : null;
    return { scenario: this.m.labels[l1]!.label, similarity: s1, runnerUp: s2 === null ? null : this.m.labels[l2]!.label, runnerUpSimilarity: s2, margin: s2 === null ? null : s1 - s2, distance: b1, runnerUpDistance: s2 === null ? null : b2 };
  }
}

class StraightFamiliarity {
  private readonly inv: Float64Array;
  private readonly idle;
  private readonly proc;
  private lastIdle = 0;
  private lastProc = 0;
  private found = 0;

  constructor(private readonly f: StateFamiliarity) {
    this.inv = Float64Array.from(f.scale, (s) => 1 / s);
    this.idle = buildRowBlocks(f.idle, this.inv, MAX_TERM);
    this.proc = buildRowBlocks(f.processing, this.inv, MAX_TERM);
  }

  measure(fp: Fingerprint): ReturnType<FamiliarityIndex['measure']> {
    const d = this.f.events.length;
    const x = new Float64Array(d);
    let n = 0;
    for (let k = 0; k < d; k++) {
      const r = fp.rates[this.f.events[k]!];
      const ok = r !== undefined && Number.isFinite(r);
      x[k] = ok ? logRate(r) : NaN;
      if (ok) n++;
    }
    if (n < 0.6 * d) return { idle: Infinity, processing: Infinity, familiar: false, judged: false };
    const idleBest = this.nearest(x, this.idle.rows, this.idle.count, n, Infinity, this.lastIdle);
    this.lastIdle = this.found;
    const procBest = this.nearest(x, this.proc.rows, this.proc.count, n, idleBest, this.lastProc);
    if (procBest < idleBest) this.lastProc = this.found;
    const idle = Math.sqrt(idleBest);
    const processing = Math.sqrt(Math.min(procBest, idleBest));
    return { idle, processing, familiar: Math.min(idle, processing) <= this.f.maxDistance, judged: true };
  }

  /** Rows from the start's block round, every one summed whole. */
  private nearest(x: Float64Array, rows: Float64Array, count: number, n: number, bound: number, start: number): number {
    if (count === 0) return bound;
    const d = this.inv.length;
    const from = Math.floor(start / BLOCK_ROWS) * BLOCK_ROWS;
    let best = bound;
    let found = start;
    for (let q = 0; q < count; q++) {
      const row = (from + q) % count;
      const s = exactSum(x, rows, row * d, this.inv);
      if (s < best * n) {
        best = s / n;
        found = row;
      }
    }
    this.found = found;
    return best;
  }
}

/** A deterministic stream of numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const kernels of [true, false])
describe(`nearest-neighbour searches give the numbers of the searches without skipping (${kernels ? 'WebAssembly kernels' : 'TypeScript loops'})`, () => {
  let model: Model;
  const fps: Fingerprint[] = [];
  before(async () => {
    setKernelsEnabled(kernels);
    model = await loadDefaultModel();
    for (const file of perfFiles(datasetsDir)) for (const iv of await readAllIntervals(file)) fps.push(fingerprint(iv));
  });

  it('reads the reference recordings', () => assert.ok(fps.length > 3000, `${fps.length} intervals`));

  it('scenario match, on every reference interval, on prototypes, between them, far away and with events missing', () => {
    const scenarios = model.scenarios!;
    const fast = new ScenarioIndex(scenarios);
    const straight = new StraightMatch(scenarios);
    const d = scenarios.scale.length;
    const zs: Float64Array[] = fps.map((fp) => normalise(fp, model.features).z);
    const rnd = lcg(13);
    const protos = scenarios.prototypes.map((p) => Float64Array.from(p.z));
    for (let i = 0; i < 3000; i++) {
      const a = protos[Math.floor(rnd() * protos.length)]!;
      const b = protos[Math.floor(rnd() * protos.length)]!;
      const kind = i % 5;
      const z = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        if (kind === 0) z[k] = a[k]!; // exactly a prototype: distance 0
        else if (kind === 1) z[k] = a[k]! + (b[k]! - a[k]!) * rnd(); // between two
        else if (kind === 2) z[k] = a[k]! + (rnd() - 0.5) * 200; // far: most terms capped, many ties
        else if (kind === 3) z[k] = rnd() < 0.3 ? NaN : a[k]! + (rnd() - 0.5) * 2; // events missing
        else z[k] = a[k]! + (rnd() - 0.5) * 1e-9; // next to a prototype
      }
      zs.push(z);
    }
    let named = 0;
    let bestOnly = 0;
    // The same search following only the best below a similarity: the same best, no runner-up.
    const fastTop = new ScenarioIndex(scenarios);
    const from = 0.3;
    for (const z of zs) {
      const want = straight.match(z);
      assert.deepEqual(fast.match(z), want);
      if (want) named++;
      const top = fastTop.match(z, Infinity, from);
      if (want === null || want.similarity >= from) assert.deepEqual(top, want);
      else {
        assert.deepEqual(top, { scenario: want.scenario, similarity: want.similarity, runnerUp: null, runnerUpSimilarity: null, margin: null, distance: want.distance, runnerUpDistance: null });
        bestOnly++;
      }
    }
    assert.ok(named > zs.length * 0.9);
    assert.ok(bestOnly > 100 && bestOnly < zs.length - 100, `${bestOnly} of ${zs.length} below ${from}`);
  });

  it('familiarity, on every reference interval and on calibration rows, moved and thinned', () => {
    const f = model.state.familiarity!;
    const fast = new FamiliarityIndex(f);
    const straight = new StraightFamiliarity(f);
    const rnd = lcg(7);
    const probes: Fingerprint[] = [...fps];
    for (let i = 0; i < 2000; i++) {
      const src = i % 2 ? f.idle : f.processing;
      const row = src[Math.floor(rnd() * src.length)]!;
      const kind = i % 4;
      const rates: Record<string, number> = {};
      f.events.forEach((e, k) => {
        const x = kind === 0 ? row[k]! : kind === 1 ? row[k]! + (rnd() - 0.5) * 0.2 : kind === 2 ? row[k]! + (rnd() - 0.5) * 8 : rnd() < 0.2 ? NaN : row[k]!;
        if (x === x) rates[e] = 10 ** x - 1;
      });
      probes.push({ t: i, dt: 1, rates, running: {}, derived: {}, missing: [] });
    }
    let familiar = 0;
    for (const fp of probes) {
      const want = straight.measure(fp);
      assert.deepEqual(fast.measure(fp), want);
      if (want.familiar) familiar++;
    }
    assert.ok(familiar > 0 && familiar < probes.length);
  });

  it('loss-space projection, on every reference interval, whole and with events missing', () => {
    const loss = model.loss!;
    const space = loss.features ?? model.features;
    const n = Math.max(2, loss.components);
    const projector = new Projector(loss.basis, n);
    const rnd = lcg(3);
    for (const fp of fps) {
      const z = normalise(fp, space).z;
      const thinned = Float64Array.from(z, (v) => (rnd() < 0.1 ? NaN : v));
      for (const x of [z, thinned]) assert.deepEqual(projector.project(x, new Float64Array(n)), project(x, loss.basis, n));
    }
  });

  it('cosine table, on every reference interval, whole and with events missing', () => {
    const scenarios = model.scenarios!;
    const index = new ScenarioIndex(scenarios);
    const d = scenarios.scale.length;
    const rnd = lcg(5);
    let compared = 0;
    for (const fp of fps) {
      const z = normalise(fp, model.features).z;
      const thinned = Float64Array.from(z, (v) => (rnd() < 0.1 ? NaN : v));
      for (const x of [z, thinned]) {
        const got = index.cosine(x);
        for (let c = 0; c < scenarios.labels.length; c++) {
          const r = scenarios.centroids[c]!;
          let dot = 0;
          let nz = 0;
          let nr = 0;
          for (let k = 0; k < d; k++) {
            const v = x[k]!;
            if (v !== v) continue;
            dot += v * r[k]!;
            nz += v * v;
            nr += r[k]! * r[k]!;
          }
          assert.equal(got[c], nz > 0 && nr > 0 ? dot / Math.sqrt(nz * nr) : 0);
          compared++;
        }
      }
    }
    assert.ok(compared > 100000, `${compared} similarities`);
  });
});

describe('WebAssembly kernels', () => {
  it('are the compiled kernels.wat', () => {
    const r = spawnSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('are used where WebAssembly runs', () => {
    setKernelsEnabled(true);
    assert.ok(createKernels(), 'no kernels: WebAssembly with SIMD did not load');
  });
});
