// Reproduces the ITC 2021 paper's figures on the reference data and compares the
// paper's methods with VNF Lens's, per router and protocol:  npm run eval
// Sections: eval/state.ts (+ eval/stateStress.ts), eval/loss.ts, eval/scenario.ts, eval/rate.ts.
import path from 'node:path';
import { findDatasets, ONOFF_ROUTERS } from '../src/core/calibration/referenceData.ts';
import { loadDefaultModel } from '../src/core/model/load.ts';
import { loadRuns, type Runs } from './eval/common.ts';
import { lossSection } from './eval/loss.ts';
import { rateSection } from './eval/rate.ts';
import { scenarioSection } from './eval/scenario.ts';
import { stateSection } from './eval/state.ts';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const datasets = findDatasets(root);
  if (!datasets) throw new Error(`no reference datasets at ${path.resolve(root, '../shared/datasets')}`);
  const def = await loadDefaultModel();
  const onoff = new Map<string, Runs>();
  for (const r of ONOFF_ROUTERS) onoff.set(r, await loadRuns(path.join(datasets, 'itc21/on-off', `${r}.csv`)));
  const say = (s = '') => process.stdout.write(s + '\n');

  say('# VNF Lens evaluation on the ITC 2021 reference data');
  say(`default model: media/default-model.json (${def.provenance.created}), state fitted on ${def.state.fittedOn.join(', ')}`);
  say();
  await stateSection(datasets, onoff, def, say);
  await lossSection(datasets, def, onoff, say);
  await scenarioSection(datasets, onoff, def, say);
  await rateSection(datasets, onoff, def, say);
}

main().catch((e: Error) => {
  process.stderr.write(`eval: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
