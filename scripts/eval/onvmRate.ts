// `npm run eval`: the packet rate from the CPU alone on the OpenNetVM bridge, one run
// calibrating and the other judged, and why the truth is the forwarded packets, aligned.
import path from 'node:path';
import { readMoonGenLoss, type SecondLoss } from '../../src/core/calibration/moongenLoss.ts';
import { loadOnvmRate, onvmRateModel, type OnvmRateData } from '../../src/core/calibration/rateProtocols.ts';
import { medianOf, scoreRate } from '../../src/core/calibration/rateScore.ts';
import { fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import type { Model } from '../../src/core/model/model.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';

type Say = (s?: string) => void;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
/** The counter the alignment is read from: it follows packet work closely and is counted in every interval. */
const ALIGN_EVENT = 'L1-dcache-load-misses';
const SHIFTS = [-0.5, 0, 0.5, 1];

export async function onvmRateSection(datasets: string, def: Model, say: Say): Promise<void> {
  say(`OpenNetVM: which second is perf's interval? Correlation of the interval-to-interval change of log ${ALIGN_EVENT} (no fit) with that of MoonGen's received packets, MoonGen's seconds shifted by a share of a second (0.5: half of second i, half of second i + 1):`);
  say();
  say(`| run | ${SHIFTS.map((s) => `shift ${s}`).join(' | ')} |`);
  say(`|---|${SHIFTS.map(() => '---|').join('')}`);
  for (const run of ['exp-2', 'exp-7', '128B']) {
    const dir = path.join(datasets, 'opennetvm-bridge', run);
    const fps = (await readAllIntervals(path.join(dir, 'bridge.csv'))).map(fingerprint);
    const loss = await readMoonGenLoss(path.join(dir, 'tx_stats.csv'), path.join(dir, 'rx_stats.csv'));
    say(`| ${run} | ${SHIFTS.map((s) => changeCorrelation(fps.map((f) => f.rates[ALIGN_EVENT]), loss, s).toFixed(3)).join(' | ')} |`);
  }
  say();
  say('Calibrated on one run, judged on the other, against the packets the bridge forwarded in each interval (MoonGen RX, aligned as above): in a lossy second the bridge was starved and never took most of what was offered, so its counters cannot tell the offered rate. The last column scores the same estimates against MoonGen\'s offered packets of the second, as before.');
  say();
  say('Fit: the calibration\'s fit (with the rates per second the bridge ran, task-clock share, when they lower its held-out error), and for comparison the absolute rates only.');
  say();
  say('| calibrated on | judged on | fit | seconds | answered | median error | clean seconds | lossy seconds | 90th percentile error | truth in range | against offered: median error |');
  say('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [train, test] of [['exp-2', 'exp-7'], ['exp-7', 'exp-2']] as const) {
    const d = await loadOnvmRate(datasets, test);
    for (const [fit, opts] of [['calibrated', undefined], ['absolute rates only', { running: false }]] as const) {
      const model = await onvmRateModel(datasets, train, def.state, opts);
      const all = scoreRate(model, [{ fps: d.fps, truth: d.forwarded }]);
      const part = (lossy: boolean) => scoreRate(model, [{ fps: d.fps, truth: only(d, lossy) }]);
      const offered = scoreRate(model, [{ fps: d.fps, truth: d.offered }]);
      const name = fit === 'calibrated' ? (model.pps?.running ? 'absolute + running rates' : 'absolute rates') : fit;
      say(`| ${train} | ${test} | ${name} | ${all.total} | ${pct(all.answered / all.total)} | ${pct(medianOf(all.errors))} | ${pct(medianOf(part(false).errors))} | ${pct(medianOf(part(true).errors))} | ${pct(quantile(all.errors, 0.9))} | ${pct(all.covered / all.answered)} | ${pct(medianOf(offered.errors))} |`);
    }
  }
  say();
}

function only(d: OnvmRateData, lossy: boolean): (number | undefined)[] {
  return d.forwarded.map((v, i) => (d.lossy[i] === lossy ? v : undefined));
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))] ?? NaN;
}

/** Pearson correlation of Δ log counter against Δ log received packets, MoonGen's series shifted by `shift` seconds (linear between seconds). */
function changeCorrelation(counter: (number | undefined)[], loss: SecondLoss[], shift: number): number {
  const rx = (i: number) => {
    const j = Math.floor(i + shift);
    const f = i + shift - j;
    const a = loss[j]?.received;
    const b = loss[j + 1]?.received;
    return f === 0 ? a : a === undefined || b === undefined ? undefined : (1 - f) * a + f * b;
  };
  const xs: number[] = [];
  const ys: number[] = [];
  // From the fourth interval: the first ones hold the start of traffic and of the counters.
  for (let i = 4; i + 2 < counter.length && i + 2 < loss.length; i++) {
    const dx = Math.log(counter[i]! / counter[i - 1]!);
    const dy = Math.log(rx(i)! / rx(i - 1)!);
    if (Number.isFinite(dx) && Number.isFinite(dy)) {
      xs.push(dx);
      ys.push(dy);
    }
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * (ys[k]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[k]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
