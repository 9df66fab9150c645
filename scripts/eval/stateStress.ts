// `npm run eval`: the state on routers unlike the four, their memory traffic shifted (an idle that looks busy in every event: stateBusyIdle.ts).
import { ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { ratio, scoreState, START_ORDERS } from '../../src/core/calibration/stateScore.ts';
import type { Model } from '../../src/core/model/model.ts';
import { shiftMemory } from '../../test/support/shiftMemory.ts';
import { f4 as f, pct, type Runs, type Say } from './common.ts';

/** The left-out router (leave-one-router-out models in `loro`) with its memory-traffic counters moved away from the four. */
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
}
