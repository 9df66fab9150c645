// Inference and calibration speed, printed (not a timed test):  node --import tsx scripts/bench-inference.ts
// - inference per interval: the full engine (state + PCA/loss + 60 scenarios with the
//   similarity table) on the 31-event fingerprints of the reference on-off runs,
//   next to the paper's cosine-only matching in the same process as a baseline;
// - calibration (fitting) on 20 k intervals, next to normalising them as a baseline.
import path from 'node:path';
import { buildModel } from '../src/core/calibration/calibrate.ts';
import { fitFeatureSpace, normaliseAll } from '../src/core/calibration/fitFeatures.ts';
import { parseManifest } from '../src/core/calibration/manifest.ts';
import { findDatasets, manifestText, onoffRows, onvmRows, type ManifestRow } from '../src/core/calibration/referenceData.ts';
import { loadSamples, type Sample } from '../src/core/calibration/samples.ts';
import { fingerprint, type Fingerprint } from '../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../src/core/inference/engine.ts';
import { ScenarioIndex } from '../src/core/inference/scenarioMatcher.ts';
import { normalise } from '../src/core/model/featureSpace.ts';
import { loadDefaultModel } from '../src/core/model/load.ts';
import { readAllIntervals } from '../src/core/source/readIntervals.ts';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const ds = findDatasets(root);
  if (!ds) throw new Error('no reference datasets at ../shared/datasets');
  const def = await loadDefaultModel();
  // 60 scenarios: FastClick, VPP and OVS on-off runs, 20 each, with state and loss rows.
  const rows: ManifestRow[] = [];
  for (const r of ['fastclick', 'vpp', 'ovs']) rows.push(...onoffRows(path.join(ds, `itc21/on-off/${r}.csv`), r, { scenarioPrefix: `${r}:`, lossLabels: true }));
  const loaded = await loadSamples(parseManifest(manifestText(rows), 'bench', ds), 'bench');
  const model = buildModel(loaded, { stateFallback: def.state });
  const fps: Fingerprint[] = [];
  for (const r of ['fastclick', 'vpp', 'ovs', 'bess']) for (const iv of await readAllIntervals(path.join(ds, `itc21/on-off/${r}.csv`))) fps.push(fingerprint(iv));
  process.stdout.write(`model: ${model.features.events.length} events, ${model.scenarios!.labels.length} scenarios, ${model.scenarios!.prototypes.length} prototypes, ${model.loss!.components} PCs; ${fps.length} fingerprints\n`);

  const rounds = 20;
  const z = new Float64Array(model.features.events.length);
  const index = new ScenarioIndex(model.scenarios!);
  const baseline = time(rounds, () => {
    for (const fp of fps) {
      normalise(fp, model.features, z);
      index.cosine(z);
    }
  });
  const engine = createInferenceEngine(model);
  const full = time(rounds, () => {
    engine.reset();
    for (const fp of fps) engine.next(fp);
  });
  const perB = (baseline / (rounds * fps.length)) * 1e3; // ms → us
  const perF = (full / (rounds * fps.length)) * 1e3;
  process.stdout.write(`inference per interval: ${perF.toFixed(1)} us (engine: state, PCA/loss, ${model.scenarios!.labels.length} scenarios + similarity table); baseline cosine-only ${perB.toFixed(1)} us; ratio ${(perF / perB).toFixed(2)}x\n`);

  // Calibration on 20 k intervals: the OpenNetVM runs (loss-labelled, heavily multiplexed) and the on-off runs, repeated.
  const onvm: ManifestRow[] = [];
  for (const run of ['exp-2', 'exp-7', '128B']) {
    const dir = path.join(ds, 'opennetvm-bridge', run);
    const times = (await readAllIntervals(path.join(dir, 'bridge.csv'))).map((iv) => iv.t);
    onvm.push(...(await onvmRows(dir, path.join(dir, 'bridge.csv'), times)));
  }
  const readStart = performance.now();
  const base = await loadSamples(parseManifest(manifestText([...rows, ...onvm]), 'bench', ds), 'bench');
  const readMs = performance.now() - readStart;
  const samples: Sample[] = [];
  for (let k = 0; samples.length < 20000; k++) for (const s of base.samples) if (samples.length < 20000) samples.push({ ...s, source: `${s.source}@${k}` });
  const norm = time(3, () => normaliseAll(samples, fitFeatureSpace(samples))) / 3;
  const fit = time(3, () => buildModel({ samples, recordings: base.recordings }, { stateFallback: def.state })) / 3;
  process.stdout.write(`calibration on ${samples.length} intervals: ${(fit / 1000).toFixed(2)} s (normalisation, state fit, PCA + lossy region, scenarios); baseline normalisation only ${(norm / 1000).toFixed(3)} s; ratio ${(fit / norm).toFixed(1)}x\n`);
  process.stdout.write(`reading and labelling the ${base.samples.length} intervals of the manifest (7 files): ${(readMs / 1000).toFixed(2)} s\n`);
}

function time(rounds: number, fn: () => void): number {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return performance.now() - t0;
}

main().catch((e: Error) => {
  process.stderr.write(`bench-inference: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
