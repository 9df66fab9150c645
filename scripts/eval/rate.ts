// `npm run eval`: the packet rate from the CPU alone.
import { ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import type { Model } from '../../src/core/model/model.ts';
import { leaveOneRateOutModel, onoffRateRuns } from '../../src/core/calibration/rateProtocols.ts';
import { medianOf, scoreRate } from '../../src/core/calibration/rateScore.ts';
import { pct, type Runs, type Say } from './common.ts';
import { onvmRateSection } from './onvmRate.ts';

export async function rateSection(datasets: string, onoff: Map<string, Runs>, def: Model, say: Say): Promise<void> {
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
