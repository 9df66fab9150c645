import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { defaultModelPath, loadDefaultModel } from '../model/load.ts';
import { loadCounterRecordings } from './counterSamples.ts';
import type { ParseDiagnostic } from '../perf/reading.ts';
import type { Model, StateParams } from '../model/model.ts';
import { MODEL_FORMAT, MODEL_VERSION } from '../model/model.ts';
import { parseModel } from '../model/load.ts';
import { fitFeatureSpace, normaliseAll } from './fitFeatures.ts';
import { fitLoss, type LOSS_DEFAULTS } from './fitLoss.ts';
import { fitScenarios } from './fitScenarios.ts';
import { fitRate } from './fitRate.ts';
import { fitState, stateEventsFor } from './fitState.ts';
import { ManifestError, readManifest, type ManifestEntry } from './manifest.ts';
import { loadSamples, type CalibrationProgress, type LoadedSamples, type Sample } from './samples.ts';

export type { CalibrationProgress } from './samples.ts';

export interface CalibrateOptions {
  onProgress?: (p: CalibrationProgress) => void;
  /** Model name; defaults to the manifest's file name. */
  name?: string;
  notes?: string[];
}

/** Builds a model from the labelled recordings a manifest lists (see manifest.ts for the format). */
export async function calibrate(manifestPath: string, opts: CalibrateOptions = {}): Promise<Model> {
  const entries = await markOwn(await readManifest(manifestPath));
  const loaded = await loadSamples(entries, manifestPath, opts.onProgress);
  if (loaded.samples.length === 0) throw new Error(`manifest ${manifestPath}: its rows select no intervals`);
  const needsDefaultState = !hasBothStates(loaded.samples);
  const fallback = needsDefaultState ? (await loadDefaultModel().catch((e: Error) => {
    throw new Error(`manifest ${manifestPath} labels no idle and processing intervals, and the default state detector could not be loaded: ${e.message}`);
  })).state : undefined;
  return buildModel(loaded, {
    ...opts,
    name: opts.name ?? path.basename(manifestPath).replace(/\.[^.]*$/, ''),
    manifest: path.basename(manifestPath),
    ...(fallback ? { stateFallback: fallback } : {}),
  });
}

export interface CalibrateFromOptions extends CalibrateOptions {
  /** Recordings whose intervals carry the router's packet counters (labels for free). */
  recordings: string[];
  /** A line of a recording that was rejected (which file, which line, why). */
  onDiagnostic?: (file: string, d: ParseDiagnostic) => void;
  /** A labelled manifest to add. */
  manifest?: string;
  /** Also the reference data the default model was built from (media/default-model.manifest.csv), when it is on this machine. */
  withDefault?: boolean;
}

/**
 * Builds a model from recordings labelled by the router's own counters, plus
 * optionally a manifest and the default model's reference data.
 */
export async function calibrateFrom(opts: CalibrateFromOptions): Promise<Model> {
  const parts: LoadedSamples[] = [];
  if (opts.recordings.length > 0) parts.push(await loadCounterRecordings(opts.recordings, opts.onProgress, opts.onDiagnostic));
  if (opts.manifest) parts.push(await loadSamples(await markOwn(await readManifest(opts.manifest)), opts.manifest, opts.onProgress));
  if (opts.withDefault) {
    const manifest = path.join(path.dirname(defaultModelPath()), 'default-model.manifest.csv');
    const entries = await readManifest(manifest);
    const missing = entries.find((e) => !existsSync(e.path));
    if (missing) throw new ManifestError(`the default model's reference data is not on this machine (${missing.path} is missing): calibrate without --with-default`);
    parts.push(await loadSamples(entries, manifest, opts.onProgress));
  }
  if (parts.length === 0) throw new ManifestError('calibrate: give recordings with router counters (--from), a manifest (--manifest), or both');
  const loaded: LoadedSamples = { samples: parts.flatMap((p) => p.samples), recordings: parts.flatMap((p) => p.recordings) };
  const fallback = hasBothStates(loaded.samples) ? undefined : (await loadDefaultModel()).state;
  return buildModel(loaded, {
    ...opts,
    name: opts.name ?? path.basename(opts.recordings[0] ?? opts.manifest ?? 'model').replace(/\.[^.]*$/, ''),
    ...(opts.manifest ? { manifest: path.basename(opts.manifest) } : {}),
    ...(fallback ? { stateFallback: fallback } : {}),
  });
}

export interface BuildOptions extends CalibrateOptions {
  manifest?: string;
  /** State parameters to use when the samples do not label both states. */
  stateFallback?: StateParams;
  shrink?: number;
  /** Overrides of the lossy-region fit (components, regularisation). */
  loss?: Partial<typeof LOSS_DEFAULTS>;
}

/** The fitting half of calibrate(), for samples already in memory. */
export function buildModel(loaded: LoadedSamples, opts: BuildOptions = {}): Model {
  const { samples } = loaded;
  const progress = (done: number, detail: string) => opts.onProgress?.({ phase: 'fit', done, total: 4, detail });
  progress(0, 'normalisation');
  const features = fitFeatureSpace(samples, opts.shrink);
  const zs = normaliseAll(samples, features);
  progress(1, 'state detector');
  let state: StateParams;
  const notes = [...(opts.notes ?? [])];
  if (hasBothStates(samples)) {
    const chosen = stateEventsFor(samples);
    state = fitState(samples, chosen.events);
    if (chosen.software) notes.push(`state fitted on software events (${state.features.join(', ')}): no memory-traffic event is counted in every labelled interval (no hardware PMU?)`);
  } else if (opts.stateFallback) {
    state = opts.stateFallback;
    notes.push(`state from the default model: fewer than ${MIN_PER_STATE} idle or processing intervals to fit on`);
  } else throw new Error('calibration: no idle and processing intervals to fit the state detector on');
  progress(2, 'PCA and lossy region');
  const loss = fitLoss(samples, zs, opts.loss, features);
  progress(3, 'scenarios');
  const scenarios = fitScenarios(samples, zs, features);
  const pps = fitRate(samples, features.events);
  progress(4, 'done');
  const count = (key: 'state' | 'loss') => {
    const out: Record<string, number> = {};
    for (const s of samples) {
      const v = s[key];
      if (v !== undefined) out[v] = (out[v] ?? 0) + 1;
    }
    return out;
  };
  const model: Model = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name: opts.name ?? 'calibrated',
    features,
    state,
    loss,
    scenarios,
    ...(pps ? { pps } : {}),
    provenance: {
      created: new Date().toISOString(),
      tool: `vnf-lens calibrate ${VERSION}`,
      ...(opts.manifest ? { manifest: opts.manifest } : {}),
      host: { cpu: os.cpus()[0]?.model ?? 'unknown', platform: `${os.platform()} ${os.release()} ${os.arch()}`, cores: os.cpus().length },
      recordings: loaded.recordings,
      counts: { intervals: samples.length, state: count('state'), loss: count('loss'), scenarios: scenarios?.labels.length ?? 0 },
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
  // What we write must load: check it against the same schema now rather than at first use.
  return parseModel(JSON.parse(JSON.stringify(model)), model.name);
}


/**
 * Marks the rows that label the router the model is for: every row but those the
 * default model's own manifest has too (the reference routers, copied in).
 */
async function markOwn(entries: ManifestEntry[]): Promise<ManifestEntry[]> {
  const key = (e: ManifestEntry) => [e.path, e.select ?? '', e.from ?? '', e.to ?? ''].join('\u0000');
  const manifest = path.join(path.dirname(defaultModelPath()), 'default-model.manifest.csv');
  const reference = new Set(existsSync(manifest) ? (await readManifest(manifest)).map(key) : []);
  return entries.map((e) => (reference.has(key(e)) ? e : { ...e, own: true }));
}

/** Fewer intervals of a state than this do not make a state detector (a stray idle second in a busy recording). */
const MIN_PER_STATE = 10;

function hasBothStates(samples: Sample[]): boolean {
  let idle = 0;
  let proc = 0;
  for (const s of samples) {
    if (s.state === 'idle') idle++;
    else if (s.state === 'processing') proc++;
  }
  return idle >= MIN_PER_STATE && proc >= MIN_PER_STATE;
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';
