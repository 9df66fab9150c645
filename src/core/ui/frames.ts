import type { Fingerprint } from '../fingerprint/fingerprint.ts';
import type { Inference, SimilarityTable } from '../inference/engine.ts';
import { setOwn } from '../perf/eventSchema.ts';
import type { PacketMetrics } from '../fingerprint/packetMetrics.ts';
import type { Frame, InferenceView, PacketView } from '../../protocol.ts';
import { CHART_EVENTS } from './chartGroups.ts';

/** Inference of a session without a model: the panels still chart the counters. */
const NO_INFERENCE: Readonly<InferenceView> = {
  state: 'unknown',
  stateConfidence: 0,
  loss: 'unknown',
  lossScore: null,
  pca: null,
  scenario: null,
  similarity: null,
  runnerUp: null,
  runnerUpSimilarity: null,
  margin: null,
};

export interface ToFrameOptions {
  /**
   * Attach the similarity to every scenario. The protocol carries it on the newest
   * frame of a batch only (80 numbers per frame add up in a one-hour ring buffer).
   */
  similarities?: boolean;
  /** The interval's packet metrics (intervalPacketMetrics), when it carried packet counts. */
  packets?: PacketMetrics | null;
}

/**
 * One interval reduced to what the panels draw. Frames cross a JSON boundary, so
 * non-finite numbers (an interval of length 0, a ratio over nothing) are dropped or
 * become null rather than turning into `null` inside a number map.
 */
export function toFrame(fp: Fingerprint, inference: Inference | null, opts: ToFrameOptions = {}): Frame {
  const rates: Record<string, number> = {};
  for (const e in fp.rates) {
    const v = fp.rates[e]!;
    if (CHART_EVENTS.has(e) && Number.isFinite(v)) rates[e] = v;
  }
  const derived: Record<string, number> = {};
  for (const k in fp.derived) {
    const v = fp.derived[k]!;
    if (Number.isFinite(v)) derived[k] = v;
  }
  const multiplexed: Record<string, number> = {};
  for (const e in fp.running) {
    const pct = fp.running[e]!;
    if (Number.isFinite(pct) && pct < 100 && e in fp.rates) multiplexed[e] = Math.round(pct * 100) / 100;
  }
  const frame: Frame = {
    t: fp.t,
    dt: fp.dt,
    rates,
    derived,
    multiplexed,
    missing: [...fp.missing],
    inference: inference ? inferenceView(inference) : { ...NO_INFERENCE },
  };
  if (fp.stream !== undefined) frame.stream = fp.stream;
  if (fp.run !== undefined) frame.run = fp.run;
  if (opts.packets) frame.packets = packetView(opts.packets);
  if (opts.similarities && inference) {
    const sims = finiteRecord(inference.similarities);
    if (Object.keys(sims).length > 0) frame.similarities = sims;
  }
  return frame;
}

/** A copy of `frame` carrying the similarities of `inference` (for the newest frame of a batch). */
export function withSimilarities(frame: Frame, inference: Inference | null): Frame {
  if (!inference) return frame;
  const sims = finiteRecord(inference.similarities);
  return Object.keys(sims).length > 0 ? { ...frame, similarities: sims } : frame;
}

/** A batch as the protocol sends it: similarities only on the newest frame. */
export function batchForPanel(frames: readonly Frame[]): Frame[] {
  return frames.map((f, i) => {
    if (i === frames.length - 1 || f.similarities === undefined) return f;
    const { similarities: _dropped, ...rest } = f;
    return rest;
  });
}

function inferenceView(inf: Inference): InferenceView {
  const view: InferenceView = {
    state: inf.state,
    stateConfidence: finiteOr(inf.stateConfidence, 0),
    loss: inf.loss,
    lossScore: finiteOrNull(inf.lossScore),
    pca: inf.pca && Number.isFinite(inf.pca[0]) && Number.isFinite(inf.pca[1]) ? [inf.pca[0], inf.pca[1]] : null,
    scenario: inf.scenario,
    similarity: finiteOrNull(inf.similarity),
    runnerUp: inf.runnerUp,
    runnerUpSimilarity: finiteOrNull(inf.runnerUpSimilarity),
    margin: finiteOrNull(inf.margin),
  };
  if (inf.stateChange) view.stateChange = { ...inf.stateChange };
  if (inf.stateBasis) view.stateBasis = inf.stateBasis;
  if (inf.stateReason) view.stateReason = inf.stateReason;
  if (inf.lossReason) view.lossReason = inf.lossReason;
  if (inf.scenarioReason) view.scenarioReason = inf.scenarioReason;
  if (inf.agreement) view.agreement = { ...inf.agreement };
  if (inf.pps !== null && inf.ppsRange !== null && Number.isFinite(inf.pps)) {
    view.pps = inf.pps;
    view.ppsRange = [inf.ppsRange[0], inf.ppsRange[1]];
  }
  return view;
}

function packetView(m: PacketMetrics): PacketView {
  const view: PacketView = {
    pps: finiteOr(m.pps, 0),
    txPps: finiteOr(m.txPps, 0),
    dropsPerSecond: finiteOr(m.dropsPerSecond, 0),
    dropRatio: finiteOrNull(m.dropRatio),
    bps: finiteOrNull(m.bps),
    cyclesPerPacket: finiteOrNull(m.cyclesPerPacket),
    instructionsPerPacket: finiteOrNull(m.instructionsPerPacket),
    cpuNsPerPacket: finiteOrNull(m.cpuNsPerPacket),
  };
  if (m.source !== undefined) view.source = m.source;
  return view;
}

/** The finite similarities as a record keyed by label. */
function finiteRecord(t: SimilarityTable): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < t.labels.length; i++) {
    const v = t.values[i]!;
    // Assigning `__proto__` would set the prototype and lose the label: setOwn defines it as a property.
    if (Number.isFinite(v)) setOwn(out, t.labels[i]!, v);
  }
  return out;
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
