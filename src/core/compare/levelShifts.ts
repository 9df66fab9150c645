/**
 * Change points where a series jumps to a new steady level — a router going
 * from idle to forwarding, a traffic rate step. Binary segmentation: split
 * where the two parts' means differ most, and keep the split only when
 *  - the gain in squared error beats a BIC-like penalty, 8·σ̂²·ln n, with σ̂
 *    the noise scale from the median absolute first difference (robust to the
 *    jumps themselves), and
 *  - the two means are at least 4 pooled within-part standard deviations
 *    apart: a change of state, not the slow wander of correlated noise.
 * The second rule is what keeps autocorrelated but steady series from being
 * cut into spurious levels (checked by simulation: false-positive rates of
 * the comparison stay at the AR(1) baseline).
 */
const MIN_SEGMENT = 3;
const MAX_CHANGES = 4;
const PENALTY = 8;
const SEPARATION = 4;

export function levelShifts(xs: readonly number[]): number[] {
  const n = xs.length;
  if (n < 2 * MIN_SEGMENT) return [];
  const sigma = noiseScale(xs);
  if (!(sigma > 0)) return [];
  const penalty = PENALTY * sigma * sigma * Math.log(n);
  const cuts: number[] = [];
  const todo: [number, number][] = [[0, n]];
  while (todo.length > 0 && cuts.length < MAX_CHANGES) {
    const [a, b] = todo.pop()!;
    const split = bestSplit(xs, a, b);
    if (!split || split.gain <= penalty || !separated(xs, a, split.at, b)) continue;
    cuts.push(split.at);
    todo.push([a, split.at], [split.at, b]);
  }
  return cuts.sort((x, y) => x - y);
}

function noiseScale(xs: readonly number[]): number {
  const d: number[] = [];
  for (let i = 1; i < xs.length; i++) d.push(Math.abs(xs[i]! - xs[i - 1]!));
  d.sort((x, y) => x - y);
  const mid = d.length >> 1;
  const median = d.length % 2 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
  // For Gaussian noise a difference has sd σ√2; median |N(0,1)| = 0.6745.
  if (median > 0) return median / (0.6745 * Math.SQRT2);
  // Mostly repeated values (small integer counts): mean |d| = 2σ/√π.
  const meanAbs = d.reduce((s, x) => s + x, 0) / d.length;
  return (meanAbs * Math.sqrt(Math.PI)) / 2;
}

function bestSplit(xs: readonly number[], a: number, b: number): { at: number; gain: number } | undefined {
  if (b - a < 2 * MIN_SEGMENT) return undefined;
  let total = 0;
  for (let i = a; i < b; i++) total += xs[i]!;
  let left = 0;
  let best: { at: number; gain: number } | undefined;
  for (let k = a + 1; k < b; k++) {
    left += xs[k - 1]!;
    const n1 = k - a;
    const n2 = b - k;
    if (n1 < MIN_SEGMENT || n2 < MIN_SEGMENT) continue;
    const gain = ((n1 * n2) / (n1 + n2)) * (left / n1 - (total - left) / n2) ** 2;
    if (!best || gain > best.gain) best = { at: k, gain };
  }
  return best;
}

function separated(xs: readonly number[], a: number, k: number, b: number): boolean {
  const m1 = meanOf(xs, a, k);
  const m2 = meanOf(xs, k, b);
  let ss = 0;
  for (let i = a; i < k; i++) ss += (xs[i]! - m1) ** 2;
  for (let i = k; i < b; i++) ss += (xs[i]! - m2) ** 2;
  const within = Math.sqrt(ss / (b - a - 2));
  return Math.abs(m1 - m2) >= SEPARATION * within;
}

function meanOf(xs: readonly number[], a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += xs[i]!;
  return s / (b - a);
}
