// `npm run eval`: the traffic scenario, the paper's figures 9 and 10 and leave-one-scenario-out.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cosine, fig10Distances, PaperRepresentatives, parseNormalizedFeatures } from '../../src/core/calibration/paperBaselines.ts';
import { calibrateRows, onoffRows, ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { leaveOneScenarioOut } from '../../src/core/calibration/scenarioScore.ts';
import { createInferenceEngine, SCENARIO_MATCH, type Inference } from '../../src/core/inference/engine.ts';
import type { Model } from '../../src/core/model/model.ts';
import { pct, rel, type Runs, type Say } from './common.ts';

export async function scenarioSection(datasets: string, onoff: Map<string, Runs>, def: Model, say: Say): Promise<void> {
  say('## Traffic scenario');
  say();
  const dir = path.join(datasets, 'itc21/fastclick-scenarios');
  const reps = parseNormalizedFeatures(await readFile(path.join(dir, 'normalized_features.csv'), 'utf8'));
  const published = (await readFile(path.join(dir, 'cdf.tlv'), 'utf8')).trim().split(/\s+/).map(Number);
  const d64 = fig10Distances(reps, '64', '256').filter((x) => x.distance <= 1);
  const d256 = fig10Distances(reps, '256', '64');
  const dimix = fig10Distances(reps, 'imix', '256');
  const ours = [...d64, ...d256, ...dimix].map((x) => x.distance);
  const maxDiff = ours.length === published.length ? Math.max(...ours.map((v, i) => Math.abs(v - published[i]!))) : NaN;
  const share = (xs: number[]) => xs.filter((v) => v > 0.1).length / xs.length;
  say(`Fig. 10 (normalized_features.csv, cosine distance to the closest scenario of another packet size; 64→256 B, 256→64 B, imix→256 B): ${ours.length} distances, min ${Math.min(...ours).toFixed(4)}, ${pct(share(ours))} above 0.1; the published cdf.tlv: ${published.length} values, min ${Math.min(...published).toFixed(4)}, ${pct(share(published))} above 0.1; largest difference ${maxDiff.toExponential(2)}`);
  const all = [...reps.keys()];
  let selfTop = 0;
  for (const a of all) {
    const best = all.reduce((b, c) => (cosine(reps.get(a)!, reps.get(c)!) > cosine(reps.get(a)!, reps.get(b)!) ? c : b), all[0]!);
    if (best === a) selfTop++;
  }
  say(`Fig. 9 (similarity_matrix.dat = cosine of the representative vectors): each representative's best match is itself for ${selfTop}/${all.length}`);
  say();
  say(`Protocol: per router, calibrate on seconds 21-25 of each on-off run (scenario RATE-SIZE), judge seconds 26-29 (top-1 per interval). The paper's column is its method: representative vectors of the raw per-second values normalised by the global mean and std of the calibration seconds, cosine similarity. Ours answers "no match" unless the nearest scenario is clearly nearer than the runner-up (squared distance ratio ≤ ${SCENARIO_MATCH.maxRatio}) and within ${Math.sqrt(SCENARIO_MATCH.maxDistance)} within-scenario spreads; a no-match counts as wrong; precision = right / named.`);
  say();
  say('| router | scenarios | judged intervals | paper: cosine to representative vectors | ours: top-1 | ours: no match | ours: precision of named | ours: median margin | shipped default model: top-1 | no match |');
  say('|---|---|---|---|---|---|---|---|---|---|');
  const tot = { n: 0, paper: 0, ours: 0, none: 0, def: 0, defNone: 0 };
  for (const r of ONOFF_ROUTERS) {
    const rows = onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r, { state: false, scenarioPrefix: '', scenarioFrom: 20.5, scenarioTo: 25.5 });
    const model = await calibrateRows(rows, datasets, def.state);
    const runs = onoff.get(r)!;
    const events = Object.keys([...runs.values()][0]![0]!.rates).sort();
    const paper = new PaperRepresentatives(
      events,
      [...runs.entries()].flatMap(([run, fps]) => fps.filter((_, i) => i >= 20 && i < 25).map((fp) => ({ rates: fp.rates, label: run }))),
    );
    let n = 0;
    let okPaper = 0;
    let okOurs = 0;
    let none = 0;
    let okDef = 0;
    let noneDef = 0;
    const margins: number[] = [];
    for (const [run, fps] of runs) {
      const e = createInferenceEngine(model);
      const ed = createInferenceEngine(def);
      fps.forEach((fp, i) => {
        const inf: Inference = e.next(fp);
        const infDef = ed.next(fp);
        if (i < 25) return;
        n++;
        if (paper.classify(fp.rates) === run) okPaper++;
        if (inf.scenario === run) okOurs++;
        if (inf.scenario === null) none++;
        if (infDef.scenario === `${r}:${run}`) okDef++;
        if (infDef.scenario === null) noneDef++;
        if (inf.margin !== null) margins.push(inf.margin);
      });
    }
    margins.sort((a, b) => a - b);
    Object.entries({ n, paper: okPaper, ours: okOurs, none, def: okDef, defNone: noneDef }).forEach(([k, v]) => ((tot as Record<string, number>)[k]! += v));
    say(`| ${r} | ${model.scenarios!.labels.length} | ${n} | ${(okPaper / n).toFixed(4)} | ${(okOurs / n).toFixed(4)} | ${none} | ${(okOurs / (n - none)).toFixed(4)} | ${(margins[Math.floor(margins.length / 2)] ?? 0).toFixed(3)} | ${(okDef / n).toFixed(4)} | ${noneDef} |`);
  }
  say(`| all four | | ${tot.n} | ${(tot.paper / tot.n).toFixed(4)} | ${(tot.ours / tot.n).toFixed(4)} | ${tot.none} | ${(tot.ours / (tot.n - tot.none)).toFixed(4)} | | ${(tot.def / tot.n).toFixed(4)} | ${tot.defNone} |`);
  say('(shipped default model: its 80 scenarios "router:RATE-SIZE" were calibrated on seconds 21-25 only, so seconds 26-29 are unseen.)');
  say();
  say('Leave-one-scenario-out: per router, each on-off run in turn is left out of the scenario calibration (seconds 21-25 of the other 19 runs) and its processing seconds (21-29) are judged: the right answer is "no match".');
  say();
  say('| router | judged intervals | no match | named a scenario of the same size | named another size |');
  say('|---|---|---|---|---|');
  const lo = { n: 0, noMatch: 0, sameSize: 0 };
  for (const r of ONOFF_ROUTERS) {
    const t = await leaveOneScenarioOut(datasets, rel(datasets, `itc21/on-off/${r}.csv`), r, onoff.get(r)!, def.state);
    lo.n += t.n;
    lo.noMatch += t.noMatch;
    lo.sameSize += t.sameSize;
    say(`| ${r} | ${t.n} | ${pct(t.noMatch / t.n)} | ${pct(t.sameSize / t.n)} | ${pct((t.n - t.noMatch - t.sameSize) / t.n)} |`);
  }
  say(`| all four | ${lo.n} | ${pct(lo.noMatch / lo.n)} | ${pct(lo.sameSize / lo.n)} | ${pct((lo.n - lo.noMatch - lo.sameSize) / lo.n)} |`);
  say();
}
