/**
 * The methods of the ITC 2021 paper, reproduced as baselines for the evaluation.
 */

/** Naive state estimator (Sec. IV-A): OFF when branch-misses < min + 0.3·std of the pooled values. */
export function naiveBranchMissThreshold(values: number[], k = 0.3): number {
  let min = Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    sum += v;
  }
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  // The authors' notebook uses numpy's default (population) standard deviation.
  return min + k * Math.sqrt(ss / values.length);
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Fig. 10's estimation distances from the representative vectors
 * (normalized_features.csv): for each scenario of one packet size, the cosine
 * distance 1 − cos to the closest scenario of another size. The published
 * values (cdf.tlv) are 64 B → 256 B (distances ≤ 1 only), 256 B → 64 B and imix → 256 B.
 */
export function fig10Distances(reps: Map<string, number[]>, from: string, to: string): { scenario: string; distance: number; closest: string }[] {
  const size = (label: string) => label.split('_')[1];
  const out: { scenario: string; distance: number; closest: string }[] = [];
  for (const [a, va] of reps) {
    if (size(a) !== from) continue;
    let best = -Infinity;
    let closest = '';
    for (const [b, vb] of reps) {
      if (size(b) !== to) continue;
      const c = cosine(va, vb);
      if (c > best) {
        best = c;
        closest = b;
      }
    }
    out.push({ scenario: a, distance: 1 - best, closest });
  }
  return out;
}

/** Reads normalized_features.csv: rows = events, columns = scenarios `RATE_SIZE`. */
export function parseNormalizedFeatures(text: string): Map<string, number[]> {
  const rows = text.trim().split(/\r?\n/).map((l) => l.split(','));
  const names = rows[0]!.slice(1);
  const reps = new Map<string, number[]>();
  names.forEach((n, j) => reps.set(n.trim(), rows.slice(1).map((r) => Number(r[j + 1]))));
  return reps;
}

/**
 * The paper's scenario classifier (Sec. IV-C), built as the paper builds it: per
 * event, the global mean and standard deviation of the raw per-second values over
 * the calibration intervals; a scenario's representative vector is its mean raw
 * vector minus the global mean, divided by the global std (normalized_features.csv);
 * an interval is normalised the same way and given the scenario of highest cosine.
 */
export class PaperRepresentatives {
  private readonly mean: number[];
  private readonly std: number[];
  private readonly reps = new Map<string, number[]>();

  constructor(
    private readonly events: string[],
    labelled: { rates: Record<string, number>; label: string }[],
  ) {
    const d = events.length;
    const n = labelled.length;
    this.mean = events.map((e) => labelled.reduce((a, s) => a + (s.rates[e] ?? 0), 0) / n);
    this.std = events.map((e, k) => Math.sqrt(labelled.reduce((a, s) => a + ((s.rates[e] ?? 0) - this.mean[k]!) ** 2, 0) / n) || 1);
    const sums = new Map<string, { v: number[]; n: number }>();
    for (const s of labelled) {
      const acc = sums.get(s.label) ?? { v: new Array<number>(d).fill(0), n: 0 };
      events.forEach((e, k) => (acc.v[k]! += s.rates[e] ?? 0));
      acc.n++;
      sums.set(s.label, acc);
    }
    for (const [label, acc] of sums) this.reps.set(label, acc.v.map((v, k) => (v / acc.n - this.mean[k]!) / this.std[k]!));
  }

  classify(rates: Record<string, number>): string {
    const x = this.events.map((e, k) => ((rates[e] ?? this.mean[k]!) - this.mean[k]!) / this.std[k]!);
    let best = '';
    let bestCos = -Infinity;
    for (const [label, r] of this.reps) {
      const c = cosine(x, r);
      if (c > bestCos) [best, bestCos] = [label, c];
    }
    return best;
  }
}
