/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS). The
 * problems here are small (a handful to a few dozen features, up to ~1e5 rows),
 * where Newton converges in a few steps without any learning-rate tuning.
 */
export interface LogisticFit {
  weights: number[];
  bias: number;
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias), in units of rows: larger = smoother boundary. */
  l2?: number;
  /** Per-row weights, e.g. to balance classes. */
  rowWeights?: ArrayLike<number>;
  maxIter?: number;
}

export function fitLogistic(x: ArrayLike<number>[], y: ArrayLike<number>, opts: LogisticOptions = {}): LogisticFit {
  const n = x.length;
  if (n === 0) throw new Error('logistic regression: no rows');
  const d = x[0]!.length;
  const l2 = opts.l2 ?? 1;
  const maxIter = opts.maxIter ?? 50;
  const beta = new Float64Array(d + 1); // last = bias
  const dim = d + 1;
  for (let iter = 0; iter < maxIter; iter++) {
    const grad = new Float64Array(dim);
    const hess = new Float64Array(dim * dim);
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let z = beta[d]!;
      for (let k = 0; k < d; k++) z += beta[k]! * xi[k]!;
      const p = sigmoid(z);
      const w = opts.rowWeights ? opts.rowWeights[i]! : 1;
      const r = w * (p - y[i]!);
      const h = w * Math.max(p * (1 - p), 1e-10);
      for (let a = 0; a < dim; a++) {
        const xa = a === d ? 1 : xi[a]!;
        grad[a]! += r * xa;
        for (let b = a; b < dim; b++) {
          const xb = b === d ? 1 : xi[b]!;
          hess[a * dim + b]! += h * xa * xb;
        }
      }
    }
    for (let a = 0; a < d; a++) {
      grad[a]! += l2 * beta[a]!;
      hess[a * dim + a]! += l2;
    }
    hess[d * dim + d]! += 1e-9;
    for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) hess[a * dim + b] = hess[b * dim + a]!;
    const step = solveSymmetric(hess, grad, dim);
    let change = 0;
    for (let a = 0; a < dim; a++) {
      beta[a]! -= step[a]!;
      change = Math.max(change, Math.abs(step[a]!));
    }
    if (change < 1e-8) break;
  }
  return { weights: Array.from(beta.subarray(0, d)), bias: beta[d]! };
}

export function logit(fit: LogisticFit, x: ArrayLike<number>): number {
  let z = fit.bias;
  for (let k = 0; k < fit.weights.length; k++) z += fit.weights[k]! * x[k]!;
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Cholesky solve of a symmetric positive definite system (row-major a). */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) l[i * n + i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  const yv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * yv[k]!;
    yv[i] = s / l[i * n + i]!;
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = yv[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * out[k]!;
    out[i] = s / l[i * n + i]!;
  }
  return out;
}
