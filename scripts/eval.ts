// Reproduces the ITC 2021 paper's figures on the reference data and compares the
// paper's methods with VNF Lens's, per router and protocol:  npm run eval
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readMoonGenLoss, type SecondLoss } from '../src/core/calibration/moongenLoss.ts';
import { cosine, fig10Distances, naiveBranchMissThreshold, PaperRepresentatives, parseNormalizedFeatures } from '../src/core/calibration/paperBaselines.ts';
import { calibrateRows, CLEAN_UP_TO_PPS, findDatasets, LOSSY_SHARE, offeredPps, onoffRows, onoffRuns, onvmRows, ONOFF_ROUTERS } from '../src/core/calibration/referenceData.ts';
import { fingerprint, type Fingerprint } from '../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine, SCENARIO_MATCH, type Inference } from '../src/core/inference/engine.ts';
import { leaveOneScenarioOut } from '../src/core/calibration/scenarioScore.ts';
import { FamiliarityIndex } from '../src/core/inference/familiarity.ts';
import { stateEvidence } from '../src/core/inference/stateDetector.ts';
import { loadDefaultModel } from '../src/core/model/load.ts';
import type { Model } from '../src/core/model/model.ts';
import { readAllIntervals } from '../src/core/source/readIntervals.ts';
import { TeachCollector, teachModel } from '../src/core/calibration/teach.ts';
import { addScores, emptyScore, ratio, scoreState, START_ORDERS } from '../src/core/calibration/stateScore.ts';
import { shiftMemory } from '../test/support/shiftMemory.ts';
import { applyShift, busyIdleShift } from '../test/support/busyIdle.ts';
import { leaveOneRateOutModel, onoffRateRuns } from '../src/core/calibration/rateProtocols.ts';
import { onvmRateSection } from './eval/onvmRate.ts';
import { medianOf, scoreRate } from '../src/core/calibration/rateScore.ts';

const root = path.resolve(__dirname, '..');
const IDLE_ROWS = (i: number) => i <= 14;
const PROC_ROWS = (i: number) => i >= 20;
/** The on-off run a user teaching VNF Lens a new router labels (a mid rate and size). */
const TEACH_RUN = '5000-512';

type Runs = Map<string, Fingerprint[]>;

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

// ---------------------------------------------------------------- packet rate

async function rateSection(datasets: string, onoff: Map<string, Runs>, def: Model, say: (s?: string) => void): Promise<void> {
  say('## Packet rate from the CPU alone (pps, ppsRange)');
  say();
  say('Leave-one-rate-out: per router, calibrated on its runs at 500 and 10000 Mbit/s (every packet size; pps from the run names, RATE × 10^6 / ((SIZE + 20) × 8)), judged on the processing seconds of its runs at each rate between. Error = |estimate / truth − 1|; in range = truth within ppsRange.');
  say();
  say('| router | judged rate | seconds | answered | median error | 90th percentile error | in range |');
  say('|---|---|---|---|---|---|---|');
  const q90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.9 * (xs.length - 1))] ?? NaN;
  for (const r of ONOFF_ROUTERS) {
    const model = await leaveOneRateOutModel(datasets, r, def.state);
    for (const rate of [2500, 5000, 7500]) {
      const s = scoreRate(model, onoffRateRuns(onoff.get(r)!, rate));
      say(`| ${r} | ${rate} | ${s.total} | ${pct(s.answered / s.total)} | ${pct(medianOf(s.errors))} | ${pct(q90(s.errors))} | ${pct(s.covered / s.answered)} |`);
    }
  }
  say();
  await onvmRateSection(datasets, def, say);
  const p = def.pps;
  say();
  say(p ? `Shipped default model: fitted on ${p.intervals} processing seconds of the four routers and OpenNetVM; held out one recording (router) at a time, median error ${pct(p.heldOutError)}, so its ppsRange is wide: ×${p.ratio[0].toFixed(2)} to ×${p.ratio[1].toFixed(2)} of the estimate.` : 'Shipped default model: no packet-rate fit.');
  say();
}

// ---------------------------------------------------------------- state

async function stateSection(datasets: string, onoff: Map<string, Runs>, def: Model, say: (s?: string) => void): Promise<void> {
  say('## State: idle | processing (on-off runs; rows 0-14 idle, 20-28 processing, 15-19 not scored)');
  say();
  // The paper's rule on its own six routers (Fig. 7 data).
  const dir = path.join(datasets, 'itc21/fastclick-scenarios');
  const off = (await readFile(path.join(dir, 'branch_miss_off.tlv'), 'utf8')).trim().split(/\s+/).map(Number);
  const on = (await readFile(path.join(dir, 'branch_miss_on.tlv'), 'utf8')).trim().split(/\s+/).map(Number);
  const thr6 = naiveBranchMissThreshold([...off, ...on]);
  const acc6 = (off.filter((v) => v < thr6).length + on.filter((v) => v >= thr6).length) / (off.length + on.length);
  say(`paper's naive estimator on its six routers (branch_miss_on/off.tlv, ${off.length + on.length} intervals): threshold ${thr6.toFixed(0)} branch-misses/s, accuracy ${acc6.toFixed(3)}`);

  const bm = (router: string, pick: (i: number) => boolean) => [...onoff.get(router)!.values()].flatMap((fps) => fps.filter((_, i) => pick(i)).map((fp) => fp.rates['branch-misses']!));
  const naiveAcc = (router: string, thr: number) => {
    const o = bm(router, IDLE_ROWS);
    const p = bm(router, PROC_ROWS);
    return (o.filter((v) => v < thr).length + p.filter((v) => v >= thr).length) / (o.length + p.length);
  };
  const pooled = ONOFF_ROUTERS.flatMap((r) => [...bm(r, IDLE_ROWS), ...bm(r, PROC_ROWS)]);
  const thr4 = naiveBranchMissThreshold(pooled);

  // Ours: leave-one-router-out models, judged in both start orders.
  const loro = new Map<string, Model>();
  const withOne = new Map<string, Model>();
  for (const test of ONOFF_ROUTERS) {
    const rows = ONOFF_ROUTERS.filter((r) => r !== test).flatMap((r) => onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r));
    loro.set(test, await calibrateRows(rows, datasets, def.state));
    // Plus one labelled on-off run of the left-out router, as a user teaching it would add.
    const one = onoffRows(rel(datasets, `itc21/on-off/${test}.csv`), test).filter((row) => row.file.endsWith(`#${TEACH_RUN}`)).map((row) => ({ ...row, own: true }));
    withOne.set(test, await calibrateRows([...rows, ...one], datasets, def.state));
  }
  say();
  say('The paper\'s rule (branch-misses below min + 0.3 std of the pooled OFF and ON rows), fitted on the four routers and leave-one-router-out:');
  say();
  say('| router | paper rule, fit on the four | paper rule, leave-one-router-out |');
  say('|---|---|---|');
  let nAll = 0;
  let paperAll = 0;
  let paperLoroAll = 0;
  for (const r of ONOFF_ROUTERS) {
    const others = ONOFF_ROUTERS.filter((x) => x !== r).flatMap((x) => [...bm(x, IDLE_ROWS), ...bm(x, PROC_ROWS)]);
    const paperLoro = naiveAcc(r, naiveBranchMissThreshold(others));
    const n = onoff.get(r)!.size * 24;
    nAll += n;
    paperAll += naiveAcc(r, thr4) * n;
    paperLoroAll += paperLoro * n;
    say(`| ${r} | ${naiveAcc(r, thr4).toFixed(3)} | ${paperLoro.toFixed(3)} |`);
  }
  say(`| all four | ${(paperAll / nAll).toFixed(3)} | ${(paperLoroAll / nAll).toFixed(3)} |`);
  say(`(threshold fitted on the four: ${thr4.toFixed(0)} branch-misses/s)`);
  say();
  say('Ours, leave-one-router-out (the router judged is not in the calibration), every on-off run a fresh session; idle-first = as recorded, traffic-first = its processing rows then its idle rows (a session that starts under traffic). Precision = right / answered; after change = the intervals after the run\'s first true state change; ≥ 0.9 = share right of the answers given at confidence ≥ 0.9.');
  say();
  say('| router | order | precision of answered | answered | after change: accuracy (answered) | after change: answered | from the 2nd interval after it: accuracy | ≥ 0.9 right | + one labelled run of it: precision | answered |');
  say('|---|---|---|---|---|---|---|---|---|---|');
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');
  for (const order of START_ORDERS) {
    let tot = emptyScore();
    let totOne = emptyScore();
    for (const r of ONOFF_ROUTERS) {
      const runs = onoff.get(r)!;
      const sc = scoreState(loro.get(r)!, runs.values(), order);
      const others = [...runs.entries()].filter(([run]) => run !== TEACH_RUN).map(([, fps]) => fps);
      const one = scoreState(withOne.get(r)!, others, order);
      tot = addScores(tot, sc);
      totOne = addScores(totOne, one);
      say(`| ${r} | ${order} | ${f(ratio(sc.correct, sc.answered))} | ${pct(sc.answered / sc.total)} | ${f(ratio(sc.afterCorrect, sc.afterAnswered))} | ${pct(sc.afterAnswered / sc.afterTotal)} | ${f(sc.settledCorrect / sc.settledTotal)} | ${f(ratio(sc.confidentCorrect, sc.confident))} | ${f(ratio(one.correct, one.answered))} | ${pct(one.answered / one.total)} |`);
    }
    say(`| all four | ${order} | ${f(ratio(tot.correct, tot.answered))} | ${pct(tot.answered / tot.total)} | ${f(ratio(tot.afterCorrect, tot.afterAnswered))} | ${pct(tot.afterAnswered / tot.afterTotal)} | ${f(tot.settledCorrect / tot.settledTotal)} | ${f(ratio(tot.confidentCorrect, tot.confident))} | ${f(ratio(totOne.correct, totOne.answered))} | ${pct(totOne.answered / totOne.total)} |`);
  }
  say(`(one labelled run: ${TEACH_RUN} of the left-out router added to the calibration; judged on its other ${onoffRuns().length - 1} runs.)`);
  // Each view alone, one interval at a time: why the two answers are treated alike or not.
  let ruleWrong = 0;
  let nearestWrong = 0;
  let scored = 0;
  for (const r of ONOFF_ROUTERS) {
    const st = loro.get(r)!.state;
    const near = st.familiarity ? new FamiliarityIndex(st.familiarity) : undefined;
    for (const fps of onoff.get(r)!.values()) {
      fps.forEach((fp, i) => {
        if (!IDLE_ROWS(i) && !PROC_ROWS(i)) return;
        const truth = IDLE_ROWS(i) ? 'idle' : 'processing';
        scored++;
        if ((stateEvidence(fp, st).evidence > 0 ? 'processing' : 'idle') !== truth) ruleWrong++;
        const f = near?.measure(fp);
        if (f && (f.idle <= f.processing ? 'idle' : 'processing') !== truth) nearestWrong++;
      });
    }
  }
  say(`Each view alone, leave-one-router-out, one interval at a time: the memory rule's sign is wrong on ${ruleWrong} of ${scored} scored intervals, the nearest calibration interval over the other events on ${nearestWrong}.`);
  // Routers further from the four than they are from each other: every memory-traffic rate shifted.
  say();
  say('Routers unlike the four: the left-out router with every memory-traffic rate (LLC, cache, node, L1-d misses) shifted by 1.5 decades, precision / answered:');
  say();
  say('| router | lifted: idle-first | lifted: traffic-first | lowered: idle-first | lowered: traffic-first |');
  say('|---|---|---|---|---|');
  for (const r of ONOFF_ROUTERS) {
    const cells: string[] = [];
    for (const decades of [1.5, -1.5]) {
      const shifted = [...onoff.get(r)!.values()].map((fps) => fps.map((fp) => shiftMemory(fp, decades)));
      for (const order of START_ORDERS) {
        const sc = scoreState(loro.get(r)!, shifted, order);
        cells.push(`${f(ratio(sc.correct, sc.answered))} / ${pct(sc.answered / sc.total)}`);
      }
    }
    say(`| ${r} | ${cells.join(' | ')} |`);
  }
  say();
  say('Routers whose idle looks like the others\' processing: every event of the left-out router moved (in log rate) a share of the way from its idle median to the median of the other routers\' processing seconds, the same shift for all its intervals (test/support/busyIdle.ts). Precision / answered over all scored intervals; after the first change, from its second interval: accuracy (answered).');
  say();
  say('| router | share | idle-first: all | idle-first: after change | traffic-first: all | traffic-first: after change |');
  say('|---|---|---|---|---|---|');
  for (const share of [0.5, 1]) {
    for (const r of ONOFF_ROUTERS) {
      const idle = [...onoff.get(r)!.values()].flatMap((fps) => fps.filter((_, i) => IDLE_ROWS(i)));
      const busy = ONOFF_ROUTERS.filter((x) => x !== r).flatMap((x) => [...onoff.get(x)!.values()].flatMap((fps) => fps.filter((_, i) => PROC_ROWS(i))));
      const shift = busyIdleShift(idle, busy, share);
      const runs = [...onoff.get(r)!.values()].map((fps) => fps.map((fp) => applyShift(fp, shift)));
      const cells = START_ORDERS.map((o) => {
        const sc = scoreState(loro.get(r)!, runs, o);
        return `${f(ratio(sc.correct, sc.answered))} / ${pct(sc.answered / sc.total)} | ${f(sc.settledCorrect / sc.settledTotal)} (${pct(sc.settledAnswered / sc.settledTotal)})`;
      });
      say(`| ${r} | ${share} | ${cells.join(' | ')} |`);
    }
  }
  say();
  say(`Taught from its own counters only (Teach VNF Lens This Router): the model is fitted on run ${TEACH_RUN} of the router alone, labelled as its packet counters would label it (no packets before 17 s, packets after), loss regime and scenarios from the default model; judged on its other runs.`);
  say();
  say('| router | idle-first: precision | answered | traffic-first: precision | answered |');
  say('|---|---|---|---|---|');
  for (const r of ONOFF_ROUTERS) {
    const runs = onoff.get(r)!;
    const ivs = (await readAllIntervals(path.join(datasets, 'itc21/on-off', `${r}.csv`))).filter((iv) => iv.run === TEACH_RUN);
    const collector = new TeachCollector();
    ivs.forEach((iv, row) => collector.push({ ...iv, packets: row >= 17 ? { rx: 1, tx: 1, dropped: 0 } : { rx: 0, tx: 0, dropped: 0 } }));
    const taught = teachModel(collector.samples(`${r}#${TEACH_RUN}`), def, { name: r });
    const others = [...runs.entries()].filter(([run]) => run !== TEACH_RUN).map(([, fps]) => fps);
    const [a, b] = START_ORDERS.map((o) => scoreState(taught, others, o));
    say(`| ${r} | ${f(ratio(a!.correct, a!.answered))} | ${pct(a!.answered / a!.total)} | ${f(ratio(b!.correct, b!.answered))} | ${pct(b!.answered / b!.total)} |`);
  }
  const defIdle = scoreState(def, [...onoff.values()].flatMap((m) => [...m.values()]), 'idle-first');
  const defTraffic = scoreState(def, [...onoff.values()].flatMap((m) => [...m.values()]), 'traffic-first');
  say(`Default model on the routers it was fitted on: idle-first precision ${f(ratio(defIdle.correct, defIdle.answered))}, answered ${pct(defIdle.answered / defIdle.total)}; traffic-first precision ${f(ratio(defTraffic.correct, defTraffic.answered))}, answered ${pct(defTraffic.answered / defTraffic.total)}.`);

  // OpenNetVM: traffic flows the whole run (tx_stats), so every interval is processing.
  say();
  for (const run of ['exp-2', 'exp-7', '128B']) {
    const fps = (await readAllIntervals(path.join(datasets, 'opennetvm-bridge', run, 'bridge.csv'))).map(fingerprint);
    const tx = await readMoonGenLoss(path.join(datasets, 'opennetvm-bridge', run, 'tx_stats.csv'), path.join(datasets, 'opennetvm-bridge', run, 'rx_stats.csv'));
    const minOffered = Math.min(...tx.slice(0, fps.length).map((s) => s.offered));
    const e = createInferenceEngine(def);
    const counts: Record<string, number> = {};
    for (const fp of fps) {
      const s = e.next(fp).state;
      counts[s] = (counts[s] ?? 0) + 1;
    }
    say(`OpenNetVM ${run}: ${fps.length} intervals, least offered in a second ${minOffered} packets; default model says ${JSON.stringify(counts)}`);
  }
  say();
}

// ---------------------------------------------------------------- loss

async function lossSection(datasets: string, def: Model, onoff: Map<string, Runs>, say: (s?: string) => void): Promise<void> {
  say(`## Loss regime: lossy (> ${LOSSY_SHARE * 100} % of the offered packets lost in the second) | clean`);
  say();
  const onvm = async (run: string) => {
    const dir = path.join(datasets, 'opennetvm-bridge', run);
    const fps = (await readAllIntervals(path.join(dir, 'bridge.csv'))).map(fingerprint);
    const rows = await onvmRows(dir, rel(datasets, `opennetvm-bridge/${run}/bridge.csv`), fps.map((f) => f.t));
    const loss = await readMoonGenLoss(path.join(dir, 'tx_stats.csv'), path.join(dir, 'rx_stats.csv'));
    return { fps, rows, loss, truth: fps.map((_, i) => (loss[i]?.lossRatio ?? 0) > LOSSY_SHARE) };
  };
  const runs = { 'exp-2': await onvm('exp-2'), 'exp-7': await onvm('exp-7'), '128B': await onvm('128B') };
  say('Lossy if the level region (PCA-logistic) or the transient detector (change of the log rates over the last two intervals) says so; the last column is the level region alone.');
  say();
  say('| calibrated on | judged on | lossy seconds | F1 | precision | recall | TP/FP/FN | level region only: F1, TP/FP/FN |');
  say('|---|---|---|---|---|---|---|---|');
  const protocols: [string[], string][] = [
    [['exp-2', 'exp-7'], '128B'],
    [['exp-2'], 'exp-7'],
    [['exp-7'], 'exp-2'],
  ];
  const row = (model: Model, fps: Fingerprint[], truth: boolean[]) => {
    const level = f1Counts(lossPredictions(withoutTransient(model), fps), truth);
    return `${f1Row(lossPredictions(model, fps), truth)} | ${level.f1.toFixed(3)}, ${level.tp}/${level.fp}/${level.fn}${model.loss?.transient ? '' : ' (no transient detector)'}`;
  };
  for (const [train, test] of protocols) {
    const model = await calibrateRows(
      train.flatMap((t) => runs[t as keyof typeof runs].rows),
      datasets,
      def.state,
    );
    const r = runs[test as keyof typeof runs];
    say(`| ${train.join(' + ')} | ${test} | ${r.truth.filter(Boolean).length}/${r.truth.length} | ${row(model, r.fps, r.truth)} |`);
  }
  const r128 = runs['128B'];
  say(`| default model (exp-2 + exp-7 + on-off) | 128B | ${r128.truth.filter(Boolean).length}/${r128.truth.length} | ${row(def, r128.fps, r128.truth)} |`);
  // The shipped recipe across OpenNetVM runs: the on-off runs (light traffic clean) plus one run, judged on the other.
  const lightClean = ONOFF_ROUTERS.flatMap((r) => onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r, { cleanUpToPps: CLEAN_UP_TO_PPS }));
  for (const [train, test] of [['exp-2', 'exp-7'], ['exp-7', 'exp-2']] as const) {
    const model = await calibrateRows([...lightClean, ...runs[train].rows], datasets, def.state);
    say(`| on-off (light traffic clean) + ${train}, as the default model is built | ${test} | ${runs[test].truth.filter(Boolean).length}/${runs[test].truth.length} | ${row(model, runs[test].fps, runs[test].truth)} |`);
  }
  say();
  // Other routers, other hosts: a lossy answer on a router whose runs taught the loss region nothing.
  // No loss was measured in the on-off runs; only FastClick at 10 Gbit/s of 64-byte packets is known lossy (the paper).
  const alarms: string[] = [];
  const without: string[] = [];
  const measuredOnly = await calibrateRows([...ONOFF_ROUTERS.flatMap((r) => onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r)), ...runs['exp-2'].rows, ...runs['exp-7'].rows], datasets, def.state);
  for (const left of ONOFF_ROUTERS) {
    const model = await calibrateRows([...ONOFF_ROUTERS.flatMap((r) => onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r, r === left ? {} : { cleanUpToPps: CLEAN_UP_TO_PPS })), ...runs['exp-2'].rows, ...runs['exp-7'].rows], datasets, def.state);
    let bare = 0;
    let n = 0;
    let lossy = 0;
    let light = 0;
    let lightLossy = 0;
    for (const [run, fps] of onoff.get(left)!) {
      if (left === 'fastclick' && run === '10000-64') continue;
      lossPredictions(measuredOnly, fps).forEach((p, i) => PROC_ROWS(i) && p && bare++);
      lossPredictions(model, fps).forEach((p, i) => {
        if (!PROC_ROWS(i)) return;
        n++;
        if (p) lossy++;
        if (offeredPps(run) <= CLEAN_UP_TO_PPS) {
          light++;
          if (p) lightLossy++;
        }
      });
    }
    alarms.push(`${left} ${lossy}/${n} (light traffic ${lightLossy}/${light})`);
    without.push(`${left} ${bare}/${n}`);
  }
  say(`Lossy answers on the processing seconds of a router whose on-off runs were left out of the loss labels (the default recipe otherwise): ${alarms.join(', ')}. Learnt on OpenNetVM's measured loss alone, the region says lossy on ${without.join(', ')}.`);
  const fc64 = lossPredictions(def, onoff.get('fastclick')!.get('10000-64')!).filter((p, i) => PROC_ROWS(i) && p).length;
  say(`FastClick at 10 Gbit/s of 64-byte packets (lossy by the paper, left out of the calibration): the default model says lossy on ${fc64} of its 9 processing seconds.`);
  say();
  const lossy128 = r128.truth.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  say(`128B lossy seconds (perf rows): ${lossy128.join(', ')}.`);
  say(`By the MoonGen counters: ${describeLossySeconds(r128.loss, lossy128)}`);
  say();
}

/**
 * Sorts lossy seconds by what the generator did around them: the first seconds of
 * the run, a step of the input rate across the second (offered before and after
 * differ by more than 10 %), or a one-second dip of the offered count. Rate steps
 * down give positive "loss" and steps up negative: TX and RX are read at slightly
 * different moments, so part of a step lands in different seconds.
 */
function describeLossySeconds(loss: SecondLoss[], lossy: number[]): string {
  const start: number[] = [];
  const down: number[] = [];
  const dip: number[] = [];
  const other: number[] = [];
  const offered = (i: number) => loss[i]?.offered ?? NaN;
  for (const i of lossy) {
    const before = offered(i - 1);
    const after = offered(i + 1);
    if (i < 3) start.push(i);
    else if (Number.isFinite(after) ? Math.abs(after - before) > 0.1 * before : offered(i) < 0.9 * before) down.push(i);
    else if (offered(i) < 0.99 * Math.min(before, after)) dip.push(i);
    else other.push(i);
  }
  let upLost = 0;
  let downLost = 0;
  for (let i = 3; i + 1 < loss.length; i++) {
    const step = offered(i + 1) - offered(i - 1);
    const lost = loss[i]!.offered - loss[i]!.received;
    if (step > 0.1 * offered(i - 1)) upLost += lost;
    else if (step < -0.1 * offered(i - 1)) downLost += lost;
  }
  return [
    `${start.length} in the first three seconds (${start.join(', ')}; the RX counter reads 0 in the first row)`,
    `${down.length} at input-rate steps (${down.join(', ')})`,
    `${dip.length} at one-second dips of the offered count (${dip.join(', ')})`,
    `${other.length} elsewhere${other.length ? ` (${other.join(', ')})` : ''}`,
    `Packets "lost" over all rate steps: ${downLost} at steps down, ${upLost} at steps up (net ${downLost + upLost}): the step seconds are mostly TX/RX sampling artefacts that steps in the other direction give back.`,
  ].join('; ');
}

function withoutTransient(model: Model): Model {
  if (!model.loss?.transient) return model;
  const { transient: _unused, ...loss } = model.loss;
  return { ...model, loss };
}

function lossPredictions(model: Model, fps: Fingerprint[]): boolean[] {
  const e = createInferenceEngine(model);
  return fps.map((fp) => e.next(fp).loss === 'lossy');
}

function f1Counts(pred: boolean[], truth: boolean[]): { f1: number; precision: number; recall: number; tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pred.forEach((p, i) => {
    if (p && truth[i]) tp++;
    else if (p) fp++;
    else if (truth[i]) fn++;
  });
  return { f1: tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0, precision: tp + fp > 0 ? tp / (tp + fp) : 0, recall: tp + fn > 0 ? tp / (tp + fn) : 0, tp, fp, fn };
}

function f1Row(pred: boolean[], truth: boolean[]): string {
  const c = f1Counts(pred, truth);
  return `${c.f1.toFixed(3)} | ${c.precision.toFixed(3)} | ${c.recall.toFixed(3)} | ${c.tp}/${c.fp}/${c.fn}`;
}

// ---------------------------------------------------------------- scenarios

async function scenarioSection(datasets: string, onoff: Map<string, Runs>, def: Model, say: (s?: string) => void): Promise<void> {
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

// ---------------------------------------------------------------- helpers

async function loadRuns(file: string): Promise<Runs> {
  const runs: Runs = new Map();
  for (const iv of await readAllIntervals(file)) {
    const list = runs.get(iv.run!) ?? [];
    list.push(fingerprint(iv));
    runs.set(iv.run!, list);
  }
  for (const run of onoffRuns()) if (!runs.has(run)) throw new Error(`${file}: run ${run} missing`);
  return runs;
}

function rel(datasets: string, p: string): string {
  return path.join(datasets, p);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

main().catch((e: Error) => {
  process.stderr.write(`eval: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
