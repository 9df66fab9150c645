import type { LossModel } from '../model/model.ts';
import { createKernels, type Kernels } from './kernels.ts';

export type LossRegime = 'lossy' | 'clean' | 'unknown';

/** Coordinates of a normalised fingerprint (NaN = missing, taken at the calibration mean 0) on the PCA basis. */
export function project(z: ArrayLike<number>, basis: number[][], n: number, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let c = 0; c < n; c++) {
    const row = basis[c]!;
    let s = 0;
    for (let k = 0; k < row.length; k++) {
      const v = z[k]!;
      if (!Number.isNaN(v)) s += row[k]! * v;
    }
    out[c] = s;
  }
  return out;
}

/**
 * project() onto one basis, interval after interval: with every coordinate present, in the
 * kernels (four rows at a time, each sum in event order: the same numbers).
 */
export class Projector {
  private readonly kl: { k: Kernels; rows: number; z: number; out: number; quads: number } | undefined;

  constructor(
    private readonly basis: number[][],
    private readonly n: number,
  ) {
    const k = createKernels();
    const d = basis[0]?.length ?? 0;
    if (!k || d === 0 || basis.length < n || basis.some((r) => r.length !== d)) return;
    const quads = Math.ceil(n / 4);
    this.kl = { k, rows: k.alloc(quads * d * 4), z: k.alloc(d), out: k.alloc(quads * 4), quads };
    for (let c = 0; c < n; c++) for (let e = 0; e < d; e++) k.f64[this.kl.rows / 8 + ((c >> 2) * d + e) * 4 + (c & 3)] = basis[c]![e]!;
  }

  project(z: ArrayLike<number>, out: Float64Array): Float64Array {
    const kl = this.kl;
    const d = this.basis[0]?.length ?? 0;
    if (!kl || z.length !== d) return project(z, this.basis, this.n, out);
    const f64 = kl.k.f64;
    for (let k = 0; k < d; k++) {
      const v = z[k]!;
      // A missing coordinate is left out of project()'s sums: that path keeps them exact.
      if (Number.isNaN(v)) return project(z, this.basis, this.n, out);
      f64[kl.z / 8 + k] = v;
    }
    kl.k.dots4(kl.rows, kl.z, kl.out, kl.quads, d);
    for (let c = 0; c < this.n; c++) out[c] = f64[kl.out / 8 + c]!;
    return out;
  }
}

/** Log-odds of the lossy regime from the leading principal coordinates. */
export function lossScore(pcs: ArrayLike<number>, m: LossModel): number {
  let s = m.bias;
  for (let c = 0; c < m.components; c++) s += m.weights[c]! * pcs[c]!;
  return s;
}
