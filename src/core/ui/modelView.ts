import type { CalibrationPoint, Model } from '../model/model.ts';
import type { ModelView } from '../../protocol.ts';
import { splitScenarioLabel } from './scenarioLabel.ts';

export interface ModelViewOptions {
  /** Where the model came from, as the panel should name it (a file path, "built-in"). */
  source?: string;
  /** Calibration points beyond this are thinned evenly: the scatter stays readable and the init message small. */
  maxPoints?: number;
}

const DEFAULT_MAX_POINTS = 4000;

/** The parts of a model the live panel draws: the PCA plane with its lossy region, and the scenarios. */
export function modelView(model: Model, opts: ModelViewOptions = {}): ModelView {
  const scenarioRate = new Map<string, number | null>();
  const scenarios: ModelView['scenarios'] = (model.scenarios?.labels ?? []).map((l) => {
    const parsed = splitScenarioLabel(l.label);
    const rate = l.rate ?? parsed.rate;
    scenarioRate.set(l.label, rate);
    return { label: l.label, rate, size: l.size ?? parsed.size, group: l.group ?? parsed.group };
  });
  let pca: ModelView['pca'] = null;
  if (model.loss) {
    const all = model.loss.points.filter((p) => Number.isFinite(p.pc[0]) && Number.isFinite(p.pc[1]));
    const max = Math.max(1, opts.maxPoints ?? DEFAULT_MAX_POINTS);
    const step = all.length > max ? all.length / max : 1;
    const points: NonNullable<ModelView['pca']>['points'] = [];
    for (let i = 0; i < all.length && points.length < max; i++) {
      if (step > 1 && Math.floor(i / step) === Math.floor((i - 1) / step)) continue;
      const p = all[i]!;
      points.push({ x: p.pc[0], y: p.pc[1], label: pointLabel(p), rate: pointRate(p, scenarioRate), lossy: p.loss === undefined ? null : p.loss === 'lossy' });
    }
    const region = model.loss.region2d.filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1]));
    const ev = model.loss.explainedVariance;
    pca = {
      points,
      lossyRegion: region.length >= 3 ? region.map((q) => [q[0], q[1]] as [number, number]) : null,
      explained: ev.length >= 2 && Number.isFinite(ev[0]) && Number.isFinite(ev[1]) ? [ev[0]!, ev[1]!] : null,
    };
  }
  return { name: model.name, source: opts.source ?? defaultSource(model), pca, scenarios };
}

/** Offered rate of the traffic behind a calibration point; 0 for an idle router (no traffic), null when unknown. */
function pointRate(p: CalibrationPoint, scenarioRate: Map<string, number | null>): number | null {
  if (p.scenario !== undefined) return scenarioRate.get(p.scenario) ?? splitScenarioLabel(p.scenario).rate;
  if (p.state === 'idle') return 0;
  return null;
}

function pointLabel(p: CalibrationPoint): string {
  if (p.scenario !== undefined) return p.scenario;
  if (p.state === 'idle') return 'idle';
  return shortSource(p.source);
}

/** `../../shared/datasets/opennetvm-bridge/exp-2/bridge.csv#run` -> `exp-2/bridge.csv#run`. */
function shortSource(source: string): string {
  const [file, run] = source.split('#', 2);
  const parts = (file ?? '').split(/[\\/]/).filter((s) => s !== '' && s !== '..' && s !== '.');
  const short = parts.slice(-2).join('/');
  return run ? `${short}#${run}` : short;
}

function defaultSource(model: Model): string {
  const p = model.provenance;
  return p.manifest ? `calibrated from ${p.manifest}` : p.tool;
}
