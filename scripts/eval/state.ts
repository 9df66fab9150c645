// `npm run eval`: the state on the on-off runs: the paper's rule, leave-one-router-out, taught, OpenNetVM.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readMoonGenLoss } from '../../src/core/calibration/moongenLoss.ts';
import { naiveBranchMissThreshold } from '../../src/core/calibration/paperBaselines.ts';
import { calibrateRows, onoffRows, onoffRuns, ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { addScores, emptyScore, ratio, scoreState, START_ORDERS } from '../../src/core/calibration/stateScore.ts';
import { TeachCollector, teachModel } from '../../src/core/calibration/teach.ts';
import { fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../src/core/inference/engine.ts';
import { FamiliarityIndex } from '../../src/core/inference/familiarity.ts';
import { stateEvidence } from '../../src/core/inference/stateDetector.ts';
import type { Model } from '../../src/core/model/model.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';
import { IDLE_ROWS, pct, PROC_ROWS, rel, TEACH_RUN, type Runs, type Say } from './common.ts';
import { beforeChangeTable } from './stateBeforeChange.ts';
import { busyIdleTable } from './stateBusyIdle.ts';
import { stressTables } from './stateStress.ts';

export async function stateSection(datasets: string, onoff: Map<string, Runs>, def: Model, say: Say): Promise<void> {
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
  stressTables(onoff, loro, say);
  say();
  await busyIdleTable(datasets, onoff, loro, def.state, say);
  say();
  await beforeChangeTable(datasets, onoff, loro, say);
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
