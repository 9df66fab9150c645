import { logRate } from '../model/featureSpace.ts';
import type { StateFamiliarity, StateParams } from '../model/model.ts';
import { LEVEL_DEFAULTS, MEMORY_TRAFFIC, memoryLevel, readsMemoryTraffic } from '../inference/stateDetector.ts';
import { fitLogistic } from './logistic.ts';
import type { Sample } from './samples.ts';

/**
 * Memory-traffic events whose rates separate busy polling from packet work on
 * every router we have data for: LLC stores and loads (DMA'd packets and
 * descriptors), cache references, L1-d misses, plus branch misses.
 */
export const STATE_EVENTS = ['LLC-stores', 'LLC-loads', 'cache-references', 'L1-dcache-load-misses', 'branch-misses'];

export const STATE_DEFAULTS = {
  maxEvidence: 8,
  switchProbability: 0.02,
  minConfidence: 0.9,
  l2: 0.1,
  /** Familiar: the nearest known interval within this RMS distance, in spreads within one recording and state. */
  maxDistance: 2.5,
  /** Known intervals kept per recording and state (evenly spread over them). */
  perGroup: 60,
};

/**
 * The events to fit the state on: the memory-traffic STATE_EVENTS counted in every
 * labelled interval; on a host without a hardware PMU none is, so every other event
 * counted in all of them that varies (software events: context switches, task clock…).
 * Those are the router's own on this host, so a model taught from its counters still
 * learns what this router looks like when it works.
 */
export function stateEventsFor(samples: Sample[]): { events: string[]; software: boolean } {
  const labelled = samples.filter((s) => s.state !== undefined);
  const countedInAll = (e: string) => labelled.every((s) => s.fp.rates[e] !== undefined && Number.isFinite(s.fp.rates[e]!));
  const memory = STATE_EVENTS.filter(countedInAll);
  if (memory.length > 0 || labelled.length === 0) return { events: memory.length > 0 ? memory : STATE_EVENTS, software: false };
  const varies = (e: string) => new Set(labelled.map((s) => logRate(s.fp.rates[e]!).toFixed(3))).size > 1;
  const others = Object.keys(labelled[0]!.fp.rates).filter((e) => !MEMORY_TRAFFIC.test(e) && countedInAll(e) && varies(e)).sort();
  return { events: others.length > 0 ? others : STATE_EVENTS, software: others.length > 0 };
}

/** Fits the state evidence on idle/processing-labelled intervals (classes weighted equally). */
export function fitState(samples: Sample[], events: readonly string[] = STATE_EVENTS, opts: Partial<typeof STATE_DEFAULTS> = {}): StateParams {
  const o = { ...STATE_DEFAULTS, ...opts };
  const labelled = samples.filter((s) => s.state !== undefined);
  const usable = events.filter((e) => labelled.every((s) => s.fp.rates[e] !== undefined && Number.isFinite(s.fp.rates[e]!)));
  if (usable.length === 0) throw new Error(`calibration: none of the state events (${events.join(', ')}) is counted in every state-labelled interval`);
  const nIdle = labelled.filter((s) => s.state === 'idle').length;
  const nProc = labelled.length - nIdle;
  if (nIdle === 0 || nProc === 0) throw new Error('calibration: state needs both idle and processing intervals');
  const x = labelled.map((s) => usable.map((e) => logRate(s.fp.rates[e]!)));
  const y = labelled.map((s) => (s.state === 'processing' ? 1 : 0));
  const w = labelled.map((s) => (s.state === 'processing' ? labelled.length / (2 * nProc) : labelled.length / (2 * nIdle)));
  const fit = fitLogistic(x, y, { l2: o.l2, rowWeights: w });
  // Re-express around each feature's class midpoint, so a missing feature can be taken as "no evidence".
  const neutral = usable.map((_, k) => {
    let si = 0;
    let sp = 0;
    x.forEach((row, i) => (y[i] ? (sp += row[k]!) : (si += row[k]!)));
    return (si / nIdle + sp / nProc) / 2;
  });
  let bias = fit.bias;
  usable.forEach((_, k) => (bias += fit.weights[k]! * neutral[k]!));
  const fittedOn = [...new Set(labelled.map((s) => s.source.replace(/#.*$/, '')))].sort();
  const params: StateParams = {
    method: 'logistic-hmm',
    features: usable,
    weights: fit.weights,
    neutral,
    bias,
    maxEvidence: o.maxEvidence,
    switchProbability: o.switchProbability,
    minConfidence: o.minConfidence,
    fittedOn,
    familiarity: fitFamiliarity(labelled, o),
    levels: { ...LEVEL_DEFAULTS },
  };
  const ownIdle = fitOwnIdle(labelled, params);
  if (ownIdle) params.ownIdle = ownIdle;
  const busyTop = highestBusyLevel(labelled, params);
  if (busyTop !== undefined) params.levels!.busyTop = busyTop;
  return params;
}

/**
 * The highest memory-traffic level of the labelled processing intervals: a run whose
 * traffic sits above it is doing what no calibrated router did, and the model's word on
 * its lower level (a rate step or the end of traffic) is not trusted (see LevelTracker).
 */
function highestBusyLevel(labelled: Sample[], p: StateParams): number | undefined {
  const levels = labelled.filter((s) => s.state === 'processing').map((s) => memoryLevel(s.fp, p)).filter(Number.isFinite);
  return levels.length === 0 ? undefined : Math.round(Math.max(...levels) * 1e4) / 1e4;
}

/** Fewer idle intervals of the router itself than this say too little about its idle loop. */
const MIN_OWN_IDLE = 5;

/**
 * The highest memory-traffic level the router the model is for showed in its own
 * idle intervals (not the reference routers'): only for a rule on memory traffic.
 */
function fitOwnIdle(labelled: Sample[], p: StateParams): StateParams['ownIdle'] {
  if (!readsMemoryTraffic(p)) return undefined;
  const levels = labelled.filter((s) => s.own && s.state === 'idle').map((s) => memoryLevel(s.fp, p)).filter(Number.isFinite);
  if (levels.length < MIN_OWN_IDLE) return undefined;
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return { level: r4(Math.max(...levels)), intervals: levels.length, low: r4(Math.min(...levels)), movement: r4(Math.max(idleMovement(labelled, p) ?? 0, IDLE_MOVEMENT)) };
}

/**
 * How far one router's idle level moves between its runs, at least: the widest range of the
 * per-run median idle levels of one router in the public on-off runs (FastClick 0.45, VPP
 * 0.69, OVS 0.33, BESS 0.63 decades; 20 runs each), rounded. The calibration's own routers
 * may move less than the router being taught (one labelled run cannot tell), or be absent
 * (a router taught from a live session alone).
 */
export const IDLE_MOVEMENT = 0.7;

/** Runs of one recording needed to measure its idle movement. */
const MIN_RUNS = 3;

/**
 * The between-run movement of the idle level, measured on the calibration: per recording
 * (a router) with at least MIN_RUNS runs that show idle, the range of their median idle
 * levels; the widest of them. One labelled run says where a router idles in that run, not
 * where it idles in the next one.
 */
function idleMovement(labelled: Sample[], p: StateParams): number | undefined {
  const runs = new Map<string, number[]>();
  for (const s of labelled) {
    if (s.state !== 'idle') continue;
    const l = memoryLevel(s.fp, p);
    if (!Number.isFinite(l)) continue;
    const list = runs.get(s.source) ?? [];
    list.push(l);
    runs.set(s.source, list);
  }
  const byFile = new Map<string, number[]>();
  for (const [source, ls] of runs) {
    if (ls.length < MIN_OWN_IDLE) continue;
    const file = source.replace(/#.*$/, '');
    byFile.set(file, [...(byFile.get(file) ?? []), middle(ls)]);
  }
  const ranges = [...byFile.values()].filter((m) => m.length >= MIN_RUNS).map((m) => Math.max(...m) - Math.min(...m));
  return ranges.length > 0 ? Math.max(...ranges) : undefined;
}

function middle(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}


/**
 * Known intervals of each state over every other event counted in all of them, and the
 * unit of distance: each event's spread within one recording and state, pooled
 * (a floor of 0.05 decades keeps a constant counter from dominating).
 */
function fitFamiliarity(labelled: Sample[], o: typeof STATE_DEFAULTS): StateFamiliarity {
  const events = Object.keys(labelled[0]!.fp.rates)
    .filter((e) => !MEMORY_TRAFFIC.test(e) && labelled.every((s) => s.fp.rates[e] !== undefined && Number.isFinite(s.fp.rates[e]!)))
    .sort();
  const groups = new Map<string, Sample[]>();
  for (const s of labelled) {
    const key = `${s.source.replace(/#.*$/, '')}\u0000${s.state}`;
    const g = groups.get(key) ?? [];
    g.push(s);
    groups.set(key, g);
  }
  const ss = events.map(() => 0);
  let dof = 0;
  const idle: number[][] = [];
  const processing: number[][] = [];
  for (const g of groups.values()) {
    const rows = g.map((s) => events.map((e) => logRate(s.fp.rates[e]!)));
    events.forEach((_, k) => {
      const m = rows.reduce((a, r) => a + r[k]!, 0) / rows.length;
      ss[k]! += rows.reduce((a, r) => a + (r[k]! - m) ** 2, 0);
    });
    dof += rows.length - 1;
    const stride = Math.max(1, rows.length / o.perGroup);
    for (let i = 0; i < rows.length; i += stride) {
      const row = rows[Math.floor(i)]!.map((v) => Math.round(v * 1e4) / 1e4);
      (g[0]!.state === 'idle' ? idle : processing).push(row);
    }
  }
  const scale = ss.map((v) => Math.max(Math.sqrt(v / Math.max(1, dof)), MIN_SPREAD));
  return { events, scale, idle, processing, maxDistance: o.maxDistance };
}

/** Decades. */
const MIN_SPREAD = 0.05;
