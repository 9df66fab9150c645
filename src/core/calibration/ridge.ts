/**
 * Ridge regression y ≈ bias + w·x, solved in closed form ((XᵀX + λI) w = Xᵀy on
 * centred data, the bias not penalised). Sizes here are a few dozen features at
 * most, so a dense Cholesky solve is all it needs.
 */
export interface RidgeFit {
  weights: number[];
  bias: number;
}

/** Rows of `xs` may hold NaN (a missing event): it is taken at the mean of its column, contributing nothing. */
export function fitRidge(xs: ArrayLike<number>[], ys: number[], lambda: number): RidgeFit {
  const n = xs.length;
  if (n === 0) throw new Error('ridge: no rows to fit');
  const d = xs[0]!.length;
  const mean = new Float64Array(d);
  const cnt = new Float64Array(d);
  for (const x of xs) {
    for (let k = 0; k < d; k++) {
      if (x[k] !== x[k]) continue;
      mean[k]! += x[k]!;
      cnt[k]!++;
    }
  }
  for (let k = 0; k < d; k++) mean[k] = cnt[k]! > 0 ? mean[k]! / cnt[k]! : 0;
  const yMean = ys.reduce((a, b) => a + b, 0) / n;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    for (let k = 0; k < d; k++) c[k] = x[k] === x[k] ? x[k]! - mean[k]! : 0;
    const dy = ys[i]! - yMean;
    for (let k = 0; k < d; k++) {
      const ck = c[k]!;
      if (ck === 0) continue;
      b[k]! += ck * dy;
      for (let j = k; j < d; j++) a[k * d + j]! += ck * c[j]!;
    }
  }
  for (let k = 0; k < d; k++) {
    a[k * d + k]! += lambda;
    for (let j = 0; j < k; j++) a[k * d + j] = a[j * d + k]!;
  }
  const w = choleskySolve(a, b, d);
  let bias = yMean;
  for (let k = 0; k < d; k++) bias -= w[k]! * mean[k]!;
  return { weights: Array.from(w), bias };
}

export function predictRidge(fit: RidgeFit, x: ArrayLike<number>, fill?: ArrayLike<number>): number {
  let y = fit.bias;
  for (let k = 0; k < fit.weights.length; k++) {
    const v = x[k]!;
    y += fit.weights[k]! * (v === v ? v : (fill?.[k] ?? 0));
  }
  return y;
}

/** Solves A w = b for a symmetric positive definite A (d × d, row-major); A is overwritten. */
function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k++) s -= a[j * d + k]! ** 2;
    if (!(s > 0)) throw new Error('ridge: the system is not positive definite (regularisation too small?)');
    const l = Math.sqrt(s);
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = t / l;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= a[i * d + k]! * y[k]!;
    y[i] = t / a[i * d + i]!;
  }
  const w = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let t = y[i]!;
    for (let k = i + 1; k < d; k++) t -= a[k * d + i]! * w[k]!;
    w[i] = t / a[i * d + i]!;
  }
  return w;
}
