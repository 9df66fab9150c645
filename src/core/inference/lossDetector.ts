import type { LossModel } from '../model/model.ts';

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

/** Log-odds of the lossy regime from the leading principal coordinates. */
export function lossScore(pcs: ArrayLike<number>, m: LossModel): number {
  let s = m.bias;
  for (let c = 0; c < m.components; c++) s += m.weights[c]! * pcs[c]!;
  return s;
}
