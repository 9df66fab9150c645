import type { ScenarioModel } from '../model/model.ts';
import { layScenarioKernels, type ScenarioKernelLayout } from './scenarioKernelLayout.ts';
import type { SimilarityTable } from './similarityTable.ts';
import { CAPPED_SLOP, cappedTerm, PRUNE_SLACK } from './termOrder.ts';

export interface ScenarioMatch {
  scenario: string;
  similarity: number;
  runnerUp: string | null;
  runnerUpSimilarity: number | null;
  margin: number | null;
  /** Mean (capped) squared scaled difference to the nearest prototype of the scenario, and of the runner-up (null with it). */
  distance: number;
  runnerUpDistance: number | null;
}

export { labelsKeepOrder, NO_SIMILARITIES, similarityRecord, type SimilarityTable } from './similarityTable.ts';

/** Each event's squared scaled difference is capped: one event far off (a burst, a multiplexing glitch) cannot outvote the rest. */
const MAX_TERM = 16;

/**
 * A scenario model laid out for speed (flat typed arrays), built once per engine.
 * It is one class over 350 lines on purpose: the layout, the pruning bounds and the two
 * paths of each search (the WebAssembly kernels and the TypeScript loops, which must
 * add the same terms in the same order for byte-identical answers) share its private
 * arrays; split apart, the two paths could drift without a type error to say so
 * (`searchEquivalence.test.ts` and `bruteForceSearch.test.ts` hold them together).
 * - cosine: the paper's measure, cosine similarity of the normalised fingerprint to
 *   each scenario's representative vector (missing events skipped);
 * - match: nearest calibration interval, distances in units of the within-scenario
 *   spread per event; a scenario's similarity is exp(−d²/2) of its nearest
 *   prototype, d² the mean (capped) squared scaled difference. Prototypes rather
 *   than one mean per scenario keep scenarios whose fingerprint moves between two
 *   levels within a run.
 */
export class ScenarioIndex {
  readonly labels: string[];
  private readonly d: number;
  private readonly centroids: Float64Array;
  /** Per centroid: its squared norm over every event (what cosine sums when no event is missing). */
  private readonly centroidNorm2: Float64Array;
  private readonly protos: Float64Array;
  /** Per event: smallest / largest prototype value; scratch order of the events that tell prototypes apart. */
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly order: Int32Array;
  private readonly terms: Float64Array;
  private readonly protoLabel: Int32Array;
  private readonly invScale: Float64Array;
  private readonly best: Float64Array;
  private readonly firstProto: Int32Array;
  /**
   * Runs of consecutive prototypes of one scenario: run r holds prototypes runStart[r] to
   * runStart[r + 1] − 1, with per-event ranges runLo / runHi. A search skips a whole run
   * once the capped difference to its ranges (never more than to any of its prototypes)
   * passes the bound.
   */
  private readonly runStart: Int32Array;
  private readonly runOf: Int32Array;
  private readonly runLo: Float64Array;
  private readonly runHi: Float64Array;
  /** Per run, scratch: its bound for the fingerprint being matched. */
  private readonly runBound: Float64Array;
  /** The kernels, with the run ranges and centroids in their memory (byte offsets), when available. */
  private readonly kl: ScenarioKernelLayout | undefined;
  /** Per run, its first chunk of four prototypes in the kernels' memory (run r has chunks runChunk[r] to runChunk[r + 1] − 1). */
  private readonly runChunk: Int32Array;
  /** Where the last search found its winner: the next interval most likely matches the same scenario. */
  private lastStart = 0;
  /**
   * Cosine tables are cut from a few tables' worth of memory at a time: a typed array with
   * its own memory costs far more to make than a view (a slab lives on while a view of it does).
   */
  private slab = new Float64Array(0);
  private slabAt = 0;

  constructor(m: ScenarioModel) {
    this.labels = m.labels.map((l) => l.label);
    const d = (this.d = m.scale.length);
    this.centroids = new Float64Array(m.centroids.length * d);
    m.centroids.forEach((c, i) => this.centroids.set(c, i * d));
    this.centroidNorm2 = new Float64Array(m.centroids.length);
    for (let c = 0; c < m.centroids.length; c++) {
      let nr = 0;
      for (let k = 0; k < d; k++) nr += this.centroids[c * d + k]! * this.centroids[c * d + k]!;
      this.centroidNorm2[c] = nr;
    }
    this.protos = new Float64Array(m.prototypes.length * d);
    this.protoLabel = new Int32Array(m.prototypes.length);
    m.prototypes.forEach((p, i) => {
      this.protos.set(p.z, i * d);
      this.protoLabel[i] = p.label;
    });
    this.invScale = Float64Array.from(m.scale, (s) => 1 / s);
    this.lo = new Float64Array(d).fill(Infinity);
    this.hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < this.protos.length; i++) {
      const k = i % d;
      const v = this.protos[i]!;
      if (v < this.lo[k]!) this.lo[k] = v;
      if (v > this.hi[k]!) this.hi[k] = v;
    }
    this.order = new Int32Array(d);
    this.terms = new Float64Array(d);
    this.best = new Float64Array(this.labels.length);
    this.firstProto = new Int32Array(this.labels.length).fill(0);
    for (let i = m.prototypes.length - 1; i >= 0; i--) this.firstProto[m.prototypes[i]!.label] = i;
    const starts: number[] = [];
    this.runOf = new Int32Array(m.prototypes.length);
    for (let i = 0; i < m.prototypes.length; i++) {
      if (i === 0 || this.protoLabel[i] !== this.protoLabel[i - 1]) starts.push(i);
      this.runOf[i] = starts.length - 1;
    }
    const runs = starts.length;
    starts.push(m.prototypes.length);
    this.runStart = Int32Array.from(starts);
    this.runLo = new Float64Array(runs * d).fill(Infinity);
    this.runHi = new Float64Array(runs * d).fill(-Infinity);
    // Event-major (k · runs + r): one pass per event sums the bounds of every run.
    for (let i = 0; i < m.prototypes.length; i++) {
      const r = this.runOf[i]!;
      for (let k = 0; k < d; k++) {
        const v = this.protos[i * d + k]!;
        const at = k * runs + r;
        if (v < this.runLo[at]!) this.runLo[at] = v;
        if (v > this.runHi[at]!) this.runHi[at] = v;
      }
    }
    this.runBound = new Float64Array(runs);
    const runChunk = (this.runChunk = new Int32Array(runs + 1));
    for (let r = 0; r < runs; r++) runChunk[r + 1] = runChunk[r]! + Math.ceil((this.runStart[r + 1]! - this.runStart[r]!) / 4);
    this.kl = layScenarioKernels({ d, scenarios: this.labels.length, runs, runStart: this.runStart, runChunk: this.runChunk, protoLabel: this.protoLabel, protos: this.protos, invScale: this.invScale, runLo: this.runLo, runHi: this.runHi, centroids: this.centroids });
  }

  /** Cosine similarity of `z` to each scenario's representative vector, in label order (a new array each call, never reused). */
  cosine(z: ArrayLike<number>): Float64Array {
    const d = this.d;
    // The fingerprint's norm is the same sum for every centroid, and so is each centroid's
    // when no event is missing: summed once, in the same order, they are the same numbers.
    let nz = 0;
    let complete = true;
    for (let k = 0; k < d; k++) {
      const v = z[k]!;
      if (v !== v) complete = false; // NaN: missing event
      else nz += v * v;
    }
    const sims = this.table();
    const centroids = this.centroids;
    const labels = this.labels.length;
    let c = 0;
    const kl = this.kl;
    if (complete && kl) {
      // The same sums in the kernels, four centroids at a time.
      const f64 = kl.k.f64;
      for (let k = 0; k < d; k++) f64[kl.z / 8 + k] = z[k]!;
      kl.k.dots4(kl.centroids, kl.z, kl.dots, kl.quads, d);
      for (; c < labels; c++) sims[c] = cosineOf(f64[kl.dots / 8 + c]!, nz, this.centroidNorm2[c]!);
    }
    if (complete) {
      // Four centroids at a time: four independent sums, each in event order as before.
      for (; c + 4 <= labels; c += 4) {
        const o = c * d;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        for (let k = 0; k < d; k++) {
          const v = z[k]!;
          d0 += v * centroids[o + k]!;
          d1 += v * centroids[o + d + k]!;
          d2 += v * centroids[o + 2 * d + k]!;
          d3 += v * centroids[o + 3 * d + k]!;
        }
        sims[c] = cosineOf(d0, nz, this.centroidNorm2[c]!);
        sims[c + 1] = cosineOf(d1, nz, this.centroidNorm2[c + 1]!);
        sims[c + 2] = cosineOf(d2, nz, this.centroidNorm2[c + 2]!);
        sims[c + 3] = cosineOf(d3, nz, this.centroidNorm2[c + 3]!);
      }
    }
    for (; c < labels; c++) {
      let dot = 0;
      let nr = 0;
      const off = c * d;
      if (complete) {
        for (let k = 0; k < d; k++) dot += z[k]! * centroids[off + k]!;
        nr = this.centroidNorm2[c]!;
      } else {
        for (let k = 0; k < d; k++) {
          const v = z[k]!;
          if (v !== v) continue;
          const r = centroids[off + k]!;
          dot += v * r;
          nr += r * r;
        }
      }
      sims[c] = cosineOf(dot, nz, nr);
    }
    return sims;
  }

  /** A fresh table of one value per label, from the slab. */
  private table(): Float64Array {
    const n = this.labels.length;
    if (this.slabAt + n > this.slab.length) {
      this.slab = new Float64Array(n * SLAB_TABLES);
      this.slabAt = 0;
    }
    const t = this.slab.subarray(this.slabAt, this.slabAt + n);
    this.slabAt += n;
    return t;
  }

  /**
   * Null when no prototype is within `maxDistance` (mean squared scaled difference): nothing
   * calibrated is close. The runner-up is looked for only when the best similarity reaches
   * `runnerUpFrom` (a scenario the caller names); below it, runnerUp, its similarity and the
   * margin are null, and the search need only follow the best.
   */
  match(z: ArrayLike<number>, maxDistance = Infinity, runnerUpFrom = 0): ScenarioMatch | null {
    const d = this.d;
    let n = 0;
    for (let k = 0; k < d; k++) if (z[k] === z[k]) n++;
    if (n === 0) return null;
    const kl = this.kl;
    const inv = this.invScale;
    const runs = this.runStart.length - 1;
    if (kl) {
      // The kernels bound each run over every counted event at once (an event capped for
      // every prototype adds the cap, as `fixed` does), each term rounded once.
      const f64 = kl.k.f64;
      for (let k = 0; k < d; k++) {
        const v = z[k]!;
        const counted = v === v;
        f64[kl.z / 8 + k] = v;
        f64[kl.zq / 8 + k] = counted ? v : 0;
        f64[kl.invq / 8 + k] = counted ? inv[k]! : 0;
      }
      kl.k.rangeBounds(kl.runLo, kl.runHi, kl.zq, kl.invq, kl.bounds, kl.runPairs, d, MAX_TERM);
      this.runBound.set(f64.subarray(kl.bounds / 8, kl.bounds / 8 + runs));
      const slop = n * CAPPED_SLOP;
      // The kernels sum whole prototypes: the early drop's order is not needed.
      return this.finish(z, n, 0, 0, slop, maxDistance, runnerUpFrom);
    }
    const protos = this.protos;
    const P = this.protoLabel.length;
    const start = this.lastStart;
    // Early drop: events capped for every prototype add a constant; the others, largest
    // term first, reach the bound within a few events. It sums in another order than the
    // exact sum below, so it drops only past the bound plus a rounding margin.
    const order = this.order;
    const terms = this.terms;
    let fixed = 0;
    let m = 0;
    for (let k = 0; k < d; k++) {
      const v = z[k]!;
      if (v !== v) continue;
      const gap = v < this.lo[k]! ? this.lo[k]! - v : v > this.hi[k]! ? v - this.hi[k]! : 0;
      const g = gap * inv[k]!;
      if (!(g * g < MAX_TERM)) {
        fixed += MAX_TERM;
        continue;
      }
      const e = P > 0 ? (v - protos[start * d + k]!) * inv[k]! : 0;
      const e2 = e * e;
      terms[k] = e2 < MAX_TERM ? e2 : MAX_TERM;
      let j = m++;
      while (j > 0 && terms[order[j - 1]!]! < terms[k]!) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = k;
    }
    // Runs in the prototypes' own order, round from the start's (a scenario's first
    // prototype, so a run's first): the same visits as one prototype at a time, less
    // those of runs that cannot win.
    const runBound = this.runBound.fill(fixed);
    const lo = this.runLo;
    const hi = this.runHi;
    // Two events per pass over the runs: half the loads and stores of the sums.
    let j = 0;
    for (; j + 1 < m; j += 2) {
      const k1 = order[j]!;
      const k2 = order[j + 1]!;
      const v1 = z[k1]!;
      const v2 = z[k2]!;
      const s1 = inv[k1]!;
      const s2 = inv[k2]!;
      for (let r = 0, a1 = k1 * runs, a2 = k2 * runs; r < runs; r++, a1++, a2++) {
        // The distance of v outside [lo, hi], exactly, without a branch: max(x, 0) is (x + |x|) / 2.
        const below1 = lo[a1]! - v1;
        const above1 = v1 - hi[a1]!;
        const below2 = lo[a2]! - v2;
        const above2 = v2 - hi[a2]!;
        const t1 = cappedTerm((below1 + Math.abs(below1) + above1 + Math.abs(above1)) * 0.5 * s1, MAX_TERM);
        const t2 = cappedTerm((below2 + Math.abs(below2) + above2 + Math.abs(above2)) * 0.5 * s2, MAX_TERM);
        runBound[r] = runBound[r]! + (t1 + t2);
      }
    }
    for (; j < m; j++) {
      const k = order[j]!;
      const v = z[k]!;
      const s = inv[k]!;
      for (let r = 0, at = k * runs; r < runs; r++, at++) {
        const below = lo[at]! - v;
        const above = v - hi[at]!;
        runBound[r] = runBound[r]! + cappedTerm((below + Math.abs(below) + above + Math.abs(above)) * 0.5 * s, MAX_TERM);
      }
    }
    return this.finish(z, n, m, fixed, m * CAPPED_SLOP, maxDistance, runnerUpFrom);
  }

  /** The scans, once the run bounds are set: the best alone first where a runner-up may not be needed. */
  private finish(z: ArrayLike<number>, n: number, m: number, fixed: number, slop: number, maxDistance: number, runnerUpFrom: number): ScenarioMatch | null {
    let found = runnerUpFrom > 0 ? this.scan(z, n, m, fixed, slop, maxDistance, true) : null;
    if (runnerUpFrom <= 0 || (found !== null && found.similarity >= runnerUpFrom)) found = this.scan(z, n, m, fixed, slop, maxDistance, false);
    if (found !== null) this.lastStart = this.firstProto[this.l1]!;
    return found;
  }

  /** Index of the nearest scenario the last scan found. */
  private l1 = -1;

  /**
   * The two nearest scenarios (or, with `bestOnly`, the nearest), from the run bounds match()
   * has set. Only they need exact distances: a prototype is abandoned as soon as its partial
   * sum passes both its scenario's best and the current runner-up (with `bestOnly`, the
   * best). Starting at the last winner's prototypes makes that bound tight at once.
   */
  private scan(z: ArrayLike<number>, n: number, m: number, fixed: number, slop: number, maxDistance: number, bestOnly: boolean): ScenarioMatch | null {
    const d = this.d;
    const best = this.best.fill(Infinity);
    const protos = this.protos;
    const inv = this.invScale;
    const order = this.order;
    const runStart = this.runStart;
    const protoLabel = this.protoLabel;
    const runBound = this.runBound;
    const runs = runStart.length - 1;
    const start = this.lastStart;
    const kl = this.kl;
    let l1 = -1;
    let l2 = -1;
    let b1 = maxDistance;
    let b2 = maxDistance;
    const firstRun = protoLabel.length > 0 ? this.runOf[start]! : 0;
    if (kl && bestOnly) {
      // The same search in one call to the kernels (their bounds are runBound's numbers).
      l1 = kl.k.scanBest(kl.bounds, kl.runChunk, kl.runStart, kl.labels, kl.chunks, kl.z, kl.inv, kl.sums, runs, firstRun, d, MAX_TERM, n, PRUNE_SLACK, slop, b1, kl.result);
      if (l1 < 0) return null;
      this.l1 = l1;
      b1 = kl.k.f64[kl.result / 8]!;
      return { scenario: this.labels[l1]!, similarity: Math.exp(-b1 / 2), runnerUp: null, runnerUpSimilarity: null, margin: null, distance: b1, runnerUpDistance: null };
    }
    for (let qr = 0; qr < runs; qr++) {
      const r = firstRun + qr < runs ? firstRun + qr : firstRun + qr - runs;
      const from = runStart[r]!;
      const to = runStart[r + 1]!;
      const runLabel = protoLabel[from]!;
      const runBest = best[runLabel]!;
      // The bound of every prototype of the run only falls while the run is visited.
      const runDrop = (bestOnly ? b1 : runBest < b2 ? runBest : b2) * n * PRUNE_SLACK + slop;
      if (runBound[r]! >= runDrop) continue;
      // The kernels sum every prototype of the run, four at a time (the same numbers).
      if (kl) for (let c = this.runChunk[r]!, at = kl.sums; c < this.runChunk[r + 1]!; c++, at += 32) kl.k.rowSums4(kl.chunks + c * d * 32, kl.z, kl.inv, at, d, MAX_TERM);
      for (let p = from; p < to; p++) {
        const label = protoLabel[p]!;
        const bl = best[label]!;
        // Every scenario's best and the runner-up are at least b1: following only the best cuts lower.
        const cut = (bestOnly ? b1 : bl < b2 ? bl : b2) * n;
        let sum = 0;
        if (kl) sum = kl.k.f64[kl.sums / 8 + p - from]!;
        else {
          const off = p * d;
          const drop = cut * PRUNE_SLACK + slop;
          let partial = fixed;
          for (let j = 0; j < m && partial < drop; j++) {
            const k = order[j]!;
            partial += cappedTerm((z[k]! - protos[off + k]!) * inv[k]!, MAX_TERM);
          }
          if (partial >= drop) continue;
          for (let k = 0; k < d && sum < cut; k++) {
            const v = z[k]!;
            if (v !== v) continue; // NaN: missing event
            const e = (v - protos[off + k]!) * inv[k]!;
            const e2 = e * e;
            sum += e2 < MAX_TERM ? e2 : MAX_TERM;
          }
        }
        if (!(sum < cut)) continue;
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
    }
    if (l1 < 0) return null;
    this.l1 = l1;
    const s1 = Math.exp(-b1 / 2);
    const s2 = !bestOnly && l2 >= 0 ? Math.exp(-b2 / 2) : null;
    return {
      scenario: this.labels[l1]!,
      similarity: s1,
      runnerUp: s2 === null ? null : this.labels[l2]!,
      runnerUpSimilarity: s2,
      margin: s2 === null ? null : s1 - s2,
      distance: b1,
      runnerUpDistance: s2 === null ? null : b2,
    };
  }
}

/** Tables per slab: enough to make the views cheap, few enough that one table kept alone holds little memory. */
const SLAB_TABLES = 32;

function cosineOf(dot: number, nz: number, nr: number): number {
  return nz > 0 && nr > 0 ? dot / Math.sqrt(nz * nr) : 0;
}

/** Cosine table of one fingerprint (convenience for callers without an index). */
export function cosineTable(z: ArrayLike<number>, m: ScenarioModel): SimilarityTable {
  const index = new ScenarioIndex(m);
  return { labels: index.labels, values: index.cosine(z) };
}
