import { RUNNING_CLOCK, runningShare } from '../inference/runningShare.ts';
import type { RateModel } from '../model/model.ts';
import { fitRidge, predictRidge } from './ridge.ts';
import type { Sample } from './samples.ts';

export const RATE_DEFAULTS = {
  /** Fewer processing intervals with a packet rate than this make no rate model. */
  minIntervals: 10,
  /** The packet rates calibrated on must span at least this factor: one rate teaches no slope. */
  minSpan: 1.5,
  /** Regularisation tried, times the number of intervals; the held-out error picks one. */
  lambdas: [1e-4, 1e-3, 1e-2, 1e-1],
  /** Share of truth / estimate ratios left out below and above the range (5 % each: a ≈ 90 % range). */
  tail: 0.05,
  /** Groups held out in turn when the calibration has fewer than three of its own. */
  blocks: 5,
  /** Also fit on the rates per second the router ran (RunningRates), when the calibration counted task-clock. */
  running: true,
};

/**
 * Events that count time or the operating system's work, not the router's: a busy
 * poller's clocks tick at the same rate whatever the traffic (they tell its CPU share
 * and clock speed), and its faults and switches are rare. Left out of the fit: on the
 * OpenNetVM bridge, whose two runs ran at 2.96 and 2.59 GHz, the clocks made a fit on
 * one run misjudge the other.
 */
export const NOT_PACKET_WORK = new Set(['cycles', 'ref-cycles', 'bus-cycles', 'cpu-clock', 'task-clock', 'context-switches', 'cpu-migrations', 'page-faults', 'minor-faults', 'major-faults', 'alignment-faults', 'emulation-faults']);

/**
 * The packet rate from the CPU counters: an affine ridge fit of packets per second
 * on the per-second rates of the model's events that count work (divided by their
 * spread; NOT_PACKET_WORK left out), and of the same rates per second the router
 * ran (RunningRates: divided by its task-clock share, when counted), over the
 * processing intervals that carry a packet rate. Why affine on rates, not on log
 * rates: a busy-poll loop counts a baseline whatever the traffic, and each packet
 * adds its cost on top, so the events grow affinely with the packet rate and a
 * rate between two calibrated ones falls between their fingerprints. Why the
 * running rates too: a router starved of CPU counts per running second like one in
 * its batching regime, and the absolute rates alone mix the two up.
 *
 * The regularisation and the ≈ 90 % range come from held-out groups: each
 * recording in turn when there are three or more (a router the fit has not seen),
 * else each run, else contiguous blocks. The range is therefore as wide as the
 * error on data the fit did not see, not on the data it was fitted to.
 */
export function fitRate(samples: Sample[], modelEvents: readonly string[], opts: Partial<typeof RATE_DEFAULTS> = {}): RateModel | null {
  const o = { ...RATE_DEFAULTS, ...opts };
  const events = modelEvents.filter((e) => !NOT_PACKET_WORK.has(e));
  if (events.length === 0) return null;
  const used = samples.filter((s) => s.pps !== undefined && s.pps > 0 && s.state !== 'idle');
  if (used.length < o.minIntervals) return null;
  const ys = used.map((s) => s.pps!);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  if (hi < o.minSpan * lo) return null;
  // Columns: each event's rate, then (with RunningRates) the same per second the router ran.
  const shares = used.map((s) => runningShare(s.fp.rates[RUNNING_CLOCK]));
  // Offered only when the calibration saw the router's share of the CPU vary (by minSpan, as
  // for the rates): where it always had the whole CPU they copy the absolute rates, and a
  // fit would lean on the copies' tiny differences.
  const counted = shares.filter((x) => x === x);
  const canRun = o.running && modelEvents.includes(RUNNING_CLOCK) && counted.length >= 0.9 * used.length && Math.max(...counted) >= o.minSpan * Math.min(...counted);
  const raw = used.map((s, i) => {
    const row = new Float64Array(canRun ? 2 * events.length : events.length);
    events.forEach((e, k) => {
      const r = s.fp.rates[e];
      row[k] = r === undefined || !Number.isFinite(r) ? NaN : r;
      if (canRun) row[events.length + k] = row[k]! / shares[i]!;
    });
    return row;
  });
  const d = raw[0]!.length;
  // Spread of each column (a floor keeps a constant counter from blowing up).
  const scale = Array.from({ length: d }, (_, k) => {
    const v = raw.map((x) => x[k]!).filter((x) => Number.isFinite(x));
    if (v.length < 2) return 1;
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
    return sd > 1e-9 * Math.max(1, Math.abs(m)) ? sd : 1;
  });
  const xs = raw.map((x) => x.map((v, k) => (Number.isFinite(v) ? v / scale[k]! : NaN)));
  const fill = new Array<number>(d).fill(0);
  for (let k = 0; k < d; k++) {
    let sum = 0;
    let n = 0;
    for (const x of xs) {
      if (x[k] !== x[k]) continue;
      sum += x[k]!;
      n++;
    }
    fill[k] = n > 0 ? sum / n : 0;
  }
  const groups = groupsOf(used, o.blocks);
  const n = events.length;
  // The running rates are kept only when they lower the held-out error.
  const absOnly = canRun ? xs.map((x) => x.subarray(0, n)) : xs;
  type Choice = { lambda: number; error: number; ratios: number[] };
  const pick = (cols: ArrayLike<number>[]): Choice | undefined => {
    let best: Choice | undefined;
    for (const a of o.lambdas) {
      const lambda = a * used.length;
      const ratios = heldOutRatios(cols, ys, groups, lambda, fill);
      if (ratios.length === 0) continue;
      const error = median(ratios.map((r) => Math.abs(1 / r - 1)));
      if (!best || error < best.error) best = { lambda, error, ratios };
    }
    return best;
  };
  const absolute = pick(absOnly);
  const running = canRun ? pick(xs) : undefined;
  const withRunning = running !== undefined && (!absolute || running.error < absolute.error);
  const best = withRunning ? running : absolute;
  if (!best) return null;
  const fit = fitRidge(withRunning ? xs : absOnly, ys, best.lambda);
  const range = (c: Choice): [number, number] => {
    const sorted = c.ratios.sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
    return [round(q(o.tail)), round(q(1 - o.tail))];
  };
  const model: RateModel = {
    method: 'ridge-affine-rates',
    events: [...events],
    scale: scale.slice(0, n).map(round),
    fill: fill.slice(0, n).map(round),
    weights: fit.weights.slice(0, n).map(round),
    bias: round(fit.bias),
    ratio: range(best),
    seen: [lo, hi],
    heldOutError: round(best.error),
    intervals: used.length,
  };
  if (withRunning) {
    // The absolute-only fit is kept beside it: where the two disagree, the calibration
    // cannot tell which is right, and the range holds both fits' ranges.
    const alt = absolute ? fitRidge(absOnly, ys, absolute.lambda) : undefined;
    model.running = {
      clock: RUNNING_CLOCK,
      scale: scale.slice(n).map(round),
      fill: fill.slice(n).map(round),
      weights: fit.weights.slice(n).map(round),
      ...(alt && absolute ? { absolute: { weights: alt.weights.map(round), bias: round(alt.bias), ratio: range(absolute) } } : {}),
    };
  }
  return model;
}

/** Group index of each sample: its recording, its run, or a contiguous block (see fitRate). */
function groupsOf(samples: Sample[], blocks: number): Int32Array {
  const by = (key: (s: Sample) => string) => {
    const ids = new Map<string, number>();
    return { g: Int32Array.from(samples, (s) => {
      const k = key(s);
      if (!ids.has(k)) ids.set(k, ids.size);
      return ids.get(k)!;
    }), n: ids.size };
  };
  const files = by((s) => s.source.replace(/#[^#]*$/, ''));
  if (files.n >= 3) return files.g;
  const runs = by((s) => s.source);
  if (runs.n >= 3) return runs.g;
  return Int32Array.from(samples, (_, i) => Math.floor((i * blocks) / samples.length));
}

/** truth / estimate of every interval, estimated by a fit that did not see its group (estimates ≤ 0 left out). */
function heldOutRatios(xs: ArrayLike<number>[], ys: number[], groups: Int32Array, lambda: number, fill: number[]): number[] {
  const out: number[] = [];
  const n = Math.max(...groups) + 1;
  for (let g = 0; g < n; g++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < xs.length; i++) (groups[i] === g ? test : train).push(i);
    if (train.length < 2 || test.length === 0) continue;
    const fit = fitRidge(train.map((i) => xs[i]!), train.map((i) => ys[i]!), lambda);
    for (const i of test) {
      const est = predictRidge(fit, xs[i]!, fill);
      if (est > 0) out.push(ys[i]! / est);
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function round(x: number): number {
  return Number(x.toPrecision(8));
}
