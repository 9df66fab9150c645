// `npm run eval`: the state on routers unlike the four: memory traffic shifted, and an idle that looks like the others' processing.
import { ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { ratio, scoreState, START_ORDERS } from '../../src/core/calibration/stateScore.ts';
import type { Model } from '../../src/core/model/model.ts';
import { shiftMemory } from '../../test/support/shiftMemory.ts';
import { applyShift, busyIdleShift } from '../../test/support/busyIdle.ts';
import { f4 as f, IDLE_ROWS, pct, PROC_ROWS, type Runs, type Say } from './common.ts';

/** The left-out router (leave-one-router-out models in `loro`) with its counters moved away from the four. */
export function stressTables(onoff: Map<string, Runs>, loro: Map<string, Model>, say: Say): void {
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
}
