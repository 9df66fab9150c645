// `npm run eval`: the state on a router whose idle looks like the other routers' processing in every event.
import { onoffRows, ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { addScores, emptyScore, ratio, scoreState, START_ORDERS, type StateScore } from '../../src/core/calibration/stateScore.ts';
import type { Model, StateParams } from '../../src/core/model/model.ts';
import { applyShift, busyIdleShift, calibrateShiftedOwn } from '../../test/support/busyIdle.ts';
import { f4 as f, IDLE_ROWS, pct, PROC_ROWS, rel, TEACH_RUN, type Runs, type Say } from './common.ts';

export const BUSY_IDLE_SHARES = [0.5, 1];

/**
 * Every event of the left-out router moved (log rate) `share` of the way from its idle
 * median to the other routers' processing median; judged with the leave-one-router-out
 * model, and with one labelled run of the moved router added to the calibration.
 */
export async function busyIdleTable(datasets: string, onoff: Map<string, Runs>, loro: Map<string, Model>, stateFallback: StateParams, say: Say): Promise<void> {
  say('Routers whose idle looks like the others\' processing: every event of the left-out router moved (in log rate) a share of the way from its idle median to the median of the other routers\' processing seconds, the same shift for all its intervals (test/support/busyIdle.ts). Precision / answered over all scored intervals; "2nd on" = from the second interval after the first change: accuracy (answered); "+ one run" = one labelled run (5000-512) of the moved router added to the calibration, judged on its 19 other runs: accuracy (answered) over all scored intervals.');
  say();
  say('| router | share | idle-first: all | idle-first: 2nd on | traffic-first: all | traffic-first: 2nd on | + one run: idle-first | + one run: traffic-first |');
  say('|---|---|---|---|---|---|---|---|');
  const all = (s: StateScore) => `${f(ratio(s.correct, s.answered))} / ${pct(s.answered / s.total)}`;
  const settled = (s: StateScore) => `${f(s.settledCorrect / s.settledTotal)} (${pct(s.settledAnswered / s.settledTotal)})`;
  const acc = (s: StateScore) => `${f(s.correct / s.total)} (${pct(s.answered / s.total)})`;
  for (const share of BUSY_IDLE_SHARES) {
    const tot = START_ORDERS.map(() => emptyScore());
    const totOne = START_ORDERS.map(() => emptyScore());
    for (const r of ONOFF_ROUTERS) {
      const shift = busyIdleRouterShift(onoff, r, share);
      const runs = [...onoff.get(r)!.entries()].map(([run, fps]) => [run, fps.map((fp) => applyShift(fp, shift))] as const);
      const rows = ONOFF_ROUTERS.filter((x) => x !== r).flatMap((x) => onoffRows(rel(datasets, `itc21/on-off/${x}.csv`), x));
      const own = onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r).filter((row) => row.file.endsWith(`#${TEACH_RUN}`)).map((row) => ({ ...row, own: true }));
      const withOne = await calibrateShiftedOwn([...rows, ...own], datasets, shift, stateFallback);
      const cells: string[] = [];
      const oneCells: string[] = [];
      START_ORDERS.forEach((o, k) => {
        const s = scoreState(loro.get(r)!, runs.map(([, fps]) => fps), o);
        const one = scoreState(withOne, runs.filter(([run]) => run !== TEACH_RUN).map(([, fps]) => fps), o);
        tot[k] = addScores(tot[k]!, s);
        totOne[k] = addScores(totOne[k]!, one);
        cells.push(all(s), settled(s));
        oneCells.push(acc(one));
      });
      say(`| ${r} | ${share} | ${cells.join(' | ')} | ${oneCells.join(' | ')} |`);
    }
    say(`| all four | ${share} | ${tot.flatMap((s) => [all(s), settled(s)]).join(' | ')} | ${totOne.map(acc).join(' | ')} |`);
  }
}

/** The shift that moves router `r`'s idle `share` of the way to the other routers' processing. */
export function busyIdleRouterShift(onoff: Map<string, Runs>, r: string, share: number): Record<string, number> {
  const idle = [...onoff.get(r)!.values()].flatMap((fps) => fps.filter((_, i) => IDLE_ROWS(i)));
  const busy = ONOFF_ROUTERS.filter((x) => x !== r).flatMap((x) => [...onoff.get(x)!.values()].flatMap((fps) => fps.filter((_, i) => PROC_ROWS(i))));
  return busyIdleShift(idle, busy, share);
}
