import type { ChartGroup } from '../../src/core/ui/chartGroups.ts';
import type { ModelView } from '../../src/protocol.ts';
import { seconds } from './format.ts';
import type { History } from './history.ts';
import type { HostFacts } from './hostFacts.ts';

// What a chart says when it has nothing to draw, and the PCA plane's note: the reason, not just "no data".

/** Why a time-series chart has nothing to draw. */
export function emptyReason(g: ChartGroup, f: HostFacts, anyData: boolean): string {
  if (!anyData) return 'Waiting for the first interval…';
  const names = g.series.map((s) => s.label);
  const rateKeys = g.series.filter((s) => s.kind === 'rate').map((s) => s.key);
  const missing = new Set([...f.hardwareMissing, ...f.softwareMissing]);
  if (g.id === 'cost') return f.packets ? 'No packet counts in this time window.' : "No packet counts: the router's counters were not read in this session.";
  if (rateKeys.length > 0 && rateKeys.every((k) => missing.has(k))) {
    return rateKeys.every((k) => f.notSupported.has(k)) ? `perf reported <not supported> on this host for ${names.join(', ')} (no hardware PMU, as in most VMs).` : `Not counted on this host: ${names.join(', ')}.`;
  }
  const present = f.frames.some((fr) => rateKeys.some((k) => k in fr.rates));
  if (present) return 'No data in this time window.';
  const partlyMissing = rateKeys.filter((k) => missing.has(k));
  return partlyMissing.length > 0 ? `Not counted on this host: ${partlyMissing.join(', ')}; the others are not in this session's event list.` : `Not in this session's event list: ${names.join(', ')}.`;
}

/** Why the similarity chart has nothing to draw. */
export function similarityEmptyText(model: ModelView | null, history: History, facts: HostFacts): string {
  const ring = history.similarities;
  if (!model) return 'No model is active: the scenarios come with a model.';
  if (ring.labels.length === 0 && model.scenarios.length === 0) return 'No scenarios: the active model has no calibrated scenarios.';
  if (ring.size > 0) return 'No similarities kept for this time: they come with the newest interval of each batch.';
  if (facts.noHardware && facts.hardwareMissing.length > 0) return 'No similarities: the scenarios are described by hardware counters, and this host counts none.';
  if (history.version === 0) return 'Waiting for the first interval.';
  return 'No similarities: the intervals so far lack too many of the events the scenarios are described by, so none could be compared.';
}

/** The PCA plane's legend and where the live point is, or why there is none. */
export function pcaNote(model: ModelView | null, inf: { pca: [number, number] | null; t: number } | null, facts: HostFacts): string {
  if (!model) return 'No model is active: the PCA plane of the loss detector comes with a model.';
  if (!model.pca) return 'The active model has no PCA plane (it was calibrated without lossy and clean labels).';
  const legend = '▲ lossy, ● clean or unlabelled calibration intervals; colour: offered rate.';
  if (!inf) return legend;
  if (inf.pca === null) return `${legend} No live point: ${facts.noHardware ? 'this host counts no hardware events, which the plane is built from' : 'the interval lacks too many of the model events'}.`;
  return `${legend} Live point at t = ${seconds(inf.t)}: (${inf.pca[0].toFixed(2)}, ${inf.pca[1].toFixed(2)}).`;
}
