import type { FeatureSpace, ScenarioLabel, ScenarioModel } from '../model/model.ts';
import { MIN_STD_DECADES } from './fitFeatures.ts';
import type { Sample } from './samples.ts';

export const SCENARIO_DEFAULTS = {
  /** Prototypes kept per scenario (evenly spread over its intervals): bounds the cost per interval. */
  maxPrototypes: 12,
  /** An interval closer than this (mean squared scaled difference) to a kept prototype adds nothing. */
  minSpread: 0.5,
};

function scaledDistance(a: Float64Array, b: Float64Array, scale: number[]): number {
  let s = 0;
  let n = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const e = (x - y) / scale[k]!;
    s += e * e;
    n++;
  }
  return n > 0 ? s / n : Infinity;
}

/** Scenario representatives (mean z per label, for cosine) and prototypes with the within-scenario spread. */
export function fitScenarios(samples: Sample[], zs: Float64Array[], fs: FeatureSpace, opts: Partial<typeof SCENARIO_DEFAULTS> = {}): ScenarioModel | null {
  const o = { ...SCENARIO_DEFAULTS, ...opts };
  const byLabel = new Map<string, number[]>();
  samples.forEach((s, i) => {
    if (s.scenario === undefined) return;
    const list = byLabel.get(s.scenario) ?? [];
    list.push(i);
    byLabel.set(s.scenario, list);
  });
  if (byLabel.size < 2) return null;
  const names = [...byLabel.keys()].sort(compareLabels);
  const d = fs.events.length;
  const centroids: number[][] = [];
  const within = new Float64Array(d);
  const withinN = new Float64Array(d);
  const prototypes: ScenarioModel['prototypes'] = [];
  names.forEach((name) => {
    const idx = byLabel.get(name)!;
    const c = new Float64Array(d);
    const n = new Float64Array(d);
    for (const i of idx) zs[i]!.forEach((v, k) => {
      if (Number.isNaN(v)) return;
      c[k]! += v;
      n[k]!++;
    });
    for (let k = 0; k < d; k++) c[k] = n[k]! > 0 ? c[k]! / n[k]! : 0;
    centroids.push(Array.from(c, round));
    for (const i of idx) zs[i]!.forEach((v, k) => {
      if (Number.isNaN(v)) return;
      within[k]! += (v - c[k]!) ** 2;
      withinN[k]!++;
    });
  });
  const groups = byLabel.size;
  const scale = Array.from(within, (s, k) => {
    const dof = Math.max(1, withinN[k]! - groups);
    return Math.max(Math.sqrt(s / dof), MIN_STD_DECADES / fs.std[k]!);
  });
  // Prototypes: a scenario's intervals, skipping those its kept prototypes already
  // stand for (mean squared scaled difference under minSpread). A steady run keeps
  // one or two; a run that moves between levels keeps one per level.
  names.forEach((name, li) => {
    const kept: Float64Array[] = [];
    for (const i of byLabel.get(name)!) {
      if (kept.length >= o.maxPrototypes) break;
      const z = zs[i]!;
      if (kept.some((k) => scaledDistance(z, k, scale) < o.minSpread)) continue;
      kept.push(z);
      prototypes.push({ label: li, z: Array.from(z, (v) => (Number.isNaN(v) ? 0 : round(v))) });
    }
  });
  return { method: 'nearest-prototype', labels: names.map(parseScenarioLabel), centroids, prototypes, scale };
}

const LABEL = /^(?:(.+?)[:/ ])?(\d+(?:\.\d+)?)[-_]([A-Za-z0-9]+)$/;

/** `5000-64`, `5000_imix`, `fastclick:5000-64`: rate (Mbit/s), packet size, group, for the Fig. 9-style chart. */
export function parseScenarioLabel(label: string): ScenarioLabel {
  const m = LABEL.exec(label);
  if (!m) return { label };
  const out: ScenarioLabel = { label, rate: Number(m[2]), size: m[3]! };
  if (m[1] !== undefined) out.group = m[1];
  return out;
}

function compareLabels(a: string, b: string): number {
  const pa = parseScenarioLabel(a);
  const pb = parseScenarioLabel(b);
  if ((pa.group ?? '') !== (pb.group ?? '')) return (pa.group ?? '').localeCompare(pb.group ?? '');
  if (pa.size !== pb.size) return String(pa.size).localeCompare(String(pb.size), undefined, { numeric: true });
  if (pa.rate !== undefined && pb.rate !== undefined && pa.rate !== pb.rate) return pa.rate - pb.rate;
  return a.localeCompare(b);
}

function round(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
