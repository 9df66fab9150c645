import { PCA } from 'ml-pca';
import { project } from '../inference/lossDetector.ts';
import { normalise } from '../model/featureSpace.ts';
import type { CalibrationPoint, FeatureSpace, LossModel } from '../model/model.ts';
import { fitFeatureSpace, normaliseAll } from './fitFeatures.ts';
import { fitTransientLoss, TRANSIENT_DEFAULTS } from './fitTransientLoss.ts';
import { fitLogistic, logit } from './logistic.ts';
import type { Sample } from './samples.ts';

export const LOSS_DEFAULTS = {
  /** Keep the leading components explaining this share of the variance for the lossy region. */
  variance: 0.999,
  maxComponents: 31,
  l2: 1,
  /** Points stored for the PCA panel. */
  maxPoints: 2000,
  /** Options of the transient detector; false leaves it out. */
  transient: TRANSIENT_DEFAULTS as Partial<typeof TRANSIENT_DEFAULTS> | false,
};

/**
 * The lossy region: a logistic boundary in the leading principal components of the
 * intervals labelled lossy or clean, normalised by their own feature space (intervals
 * labelled only for the state or scenarios, often of other routers, do not bend it).
 * Returns null without both labels. With `features` (the model's space, whose shrink
 * it keeps), also the transient detector (fitTransientLoss.ts), when the labels hold
 * enough lossy seconds the region calls clean. Without it, `zs` is the space (tests).
 */
export function fitLoss(samples: Sample[], zs: Float64Array[], opts: Partial<typeof LOSS_DEFAULTS> = {}, features?: FeatureSpace): LossModel | null {
  const o = { ...LOSS_DEFAULTS, ...opts };
  const labelled = samples.map((s, i) => ({ s, i })).filter(({ s }) => s.loss !== undefined);
  const nLossy = labelled.filter(({ s }) => s.loss === 'lossy').length;
  if (nLossy === 0 || nLossy === labelled.length) return null;
  const space = features ? fitFeatureSpace(labelled.map(({ s }) => s), features.shrink) : undefined;
  if (space) zs = normaliseAll(samples, space);
  const d = zs[0]!.length;
  const data = labelled.map(({ i }) => Array.from(zs[i]!, (v) => (Number.isNaN(v) ? 0 : v)));
  const pca = new PCA(data, { center: true, scale: false });
  const vectors = pca.getEigenvectors().transpose().to2DArray(); // rows = components
  const explained = pca.getExplainedVariance();
  const nMax = Math.min(vectors.length, d, o.maxComponents);
  let components = 2;
  let cum = 0;
  for (let c = 0; c < nMax; c++) {
    cum += explained[c] ?? 0;
    if (cum >= o.variance) {
      components = Math.max(2, c + 1);
      break;
    }
    components = Math.max(2, c + 1);
  }
  // The engine projects z without centring: z is already centred on the calibration data.
  const basis = vectors.slice(0, Math.max(components, 2)).map((row) => row.slice(0, d));
  const coords = zs.map((z) => project(z, basis, basis.length));
  // Each (recording, label) group weighs the same: nine lossy seconds of one router
  // must not drown in two thousand seconds of another platform.
  const groupOf = (s: Sample) => `${s.source.replace(/#[^#]*$/, '')}\u0000${s.loss}`;
  const sizes = new Map<string, number>();
  for (const { s } of labelled) sizes.set(groupOf(s), (sizes.get(groupOf(s)) ?? 0) + 1);
  const rowWeights = labelled.map(({ s }) => labelled.length / (sizes.size * sizes.get(groupOf(s))!));
  const fit = fitLogistic(
    labelled.map(({ i }) => Array.from(coords[i]!.subarray(0, components))),
    labelled.map(({ s }) => (s.loss === 'lossy' ? 1 : 0)),
    { l2: o.l2, rowWeights },
  );
  const stride = Math.max(1, Math.ceil(samples.length / o.maxPoints));
  const points: CalibrationPoint[] = [];
  for (let i = 0; i < samples.length; i += stride) {
    const s = samples[i]!;
    const p: CalibrationPoint = { pc: [round(coords[i]![0]!), round(coords[i]![1]!)], source: s.source };
    if (s.loss) p.loss = s.loss;
    if (s.state) p.state = s.state;
    if (s.scenario) p.scenario = s.scenario;
    points.push(p);
  }
  const model: LossModel = {
    method: 'pca-logistic',
    ...(space ? { features: space } : {}),
    basis,
    explainedVariance: explained.slice(0, basis.length),
    components,
    weights: fit.weights,
    bias: fit.bias,
    region2d: halfPlaneInBox(fit.weights[0]!, fit.weights[1]!, fit.bias, points.map((p) => p.pc)),
    points,
  };
  if (features && o.transient !== false) {
    const levelScores = coords.map((c) => logit(fit, c.subarray(0, components)));
    const rawZs = samples.map((s) => normalise(s.fp, space!).z);
    const transient = fitTransientLoss(samples, rawZs, levelScores, o.transient);
    if (transient) model.transient = transient;
  }
  return model;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * The lossy side (w1·x + w2·y + b > 0) of the boundary in the plane of the first
 * two components, clipped to the box around the calibration points: a polygon.
 */
export function halfPlaneInBox(w1: number, w2: number, b: number, pts: [number, number][]): [number, number][] {
  if (pts.length === 0) return [];
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const padX = (x1 - x0) * 0.1 || 1;
  const padY = (y1 - y0) * 0.1 || 1;
  const box: [number, number][] = [
    [x0 - padX, y0 - padY],
    [x1 + padX, y0 - padY],
    [x1 + padX, y1 + padY],
    [x0 - padX, y1 + padY],
  ];
  const f = ([x, y]: [number, number]) => w1 * x + w2 * y + b;
  const out: [number, number][] = [];
  for (let i = 0; i < box.length; i++) {
    const a = box[i]!;
    const c = box[(i + 1) % box.length]!;
    const fa = f(a);
    const fc = f(c);
    if (fa > 0) out.push(a);
    if ((fa > 0) !== (fc > 0)) {
      const t = fa / (fa - fc);
      out.push([a[0] + t * (c[0] - a[0]), a[1] + t * (c[1] - a[1])]);
    }
  }
  return out.map(([x, y]) => [round(x), round(y)]);
}
