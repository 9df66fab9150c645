import path from 'node:path';
import { fingerprint, type Fingerprint } from '../fingerprint/fingerprint.ts';
import type { Model, StateParams } from '../model/model.ts';
import { readAllIntervals } from '../source/readIntervals.ts';
import { forwardedPerInterval, readMoonGenLoss } from './moongenLoss.ts';
import type { RateRun } from './rateScore.ts';
import { fitRate, type RATE_DEFAULTS } from './fitRate.ts';
import { calibrateRows, offeredPps, ONOFF, onoffRows, onvmRows, ONOFF_RATES, rowSamples } from './referenceData.ts';

/**
 * The packet-rate protocols of `npm run eval` and the tests, in one place.
 * - leave-one-rate-out: a router's on-off runs at its lowest and highest rate
 *   (every packet size) calibrate; its runs at a rate between judge, on their
 *   processing seconds (truth: the rate the run name gives).
 * - OpenNetVM: one run calibrates, the other judges (truth: the packets the bridge
 *   forwarded in each interval, forwardedPerInterval; in a lossy second the bridge never
 *   saw most of what was offered, so the CPU cannot tell that).
 */
export const RATE_TRAIN = [ONOFF_RATES[0]!, ONOFF_RATES[ONOFF_RATES.length - 1]!];

const rateOf = (run: string) => Number(run.split('-')[0]);

/** A model of one router from its runs at the lowest and highest rate (state, and the packet rate of the processing seconds). */
export async function leaveOneRateOutModel(datasets: string, router: string, stateFallback?: StateParams): Promise<Model> {
  const file = path.join(datasets, 'itc21/on-off', `${router}.csv`);
  const rows = onoffRows(file, router, { pps: true }).filter((r) => RATE_TRAIN.includes(rateOf(r.file.slice(r.file.lastIndexOf('#') + 1))));
  return calibrateRows(rows, datasets, stateFallback, `${router}-rates`);
}

/** The runs at `rate` (every packet size), processing seconds scored with the rate their name gives. */
export function onoffRateRuns(runs: Map<string, Fingerprint[]>, rate: number): RateRun[] {
  const out: RateRun[] = [];
  for (const [run, fps] of runs) {
    if (rateOf(run) !== rate) continue;
    const pps = offeredPps(run);
    out.push({ fps, truth: fps.map((fp) => (fp.t >= ONOFF.processingFrom ? pps : undefined)) });
  }
  return out;
}

export interface OnvmRateData {
  fps: Fingerprint[];
  /** Packets the bridge forwarded in each interval (forwardedPerInterval; undefined: not known). */
  forwarded: (number | undefined)[];
  /** Packets MoonGen offered in the same MoonGen second. */
  offered: number[];
  /** Whether more than 1 % of them were lost. */
  lossy: boolean[];
}

export async function loadOnvmRate(datasets: string, run: string): Promise<OnvmRateData> {
  const dir = path.join(datasets, 'opennetvm-bridge', run);
  const fps = (await readAllIntervals(path.join(dir, 'bridge.csv'))).map(fingerprint);
  const loss = await readMoonGenLoss(path.join(dir, 'tx_stats.csv'), path.join(dir, 'rx_stats.csv'));
  const n = Math.min(fps.length, loss.length);
  const forwarded = forwardedPerInterval(loss).slice(0, n);
  return { fps: fps.slice(0, n), forwarded, offered: loss.slice(0, n).map((s) => s.offered), lossy: loss.slice(0, n).map((s) => s.lossRatio > 0.01) };
}

/** A model from one OpenNetVM run: processing throughout, its loss labels and the packets forwarded per interval. */
export async function onvmRateModel(datasets: string, run: string, stateFallback?: StateParams, rate?: Partial<typeof RATE_DEFAULTS>): Promise<Model> {
  const dir = path.join(datasets, 'opennetvm-bridge', run);
  const file = path.join(dir, 'bridge.csv');
  const times = (await readAllIntervals(file)).map((iv) => iv.t);
  const rows = await onvmRows(dir, file, times, { pps: true });
  const model = await calibrateRows(rows, datasets, stateFallback, `${run}-rates`);
  // Other rate-fit options (the eval's comparisons): the same samples, the packet-rate part refitted.
  if (!rate) return model;
  return { ...model, pps: fitRate((await rowSamples(rows, datasets, `${run}-rates`)).samples, model.features.events, rate) };
}
