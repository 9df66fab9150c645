/**
 * A VNF Lens model: everything inference needs, as one versioned JSON document.
 * Built by `vnf-lens calibrate` from labelled recordings; validated on load
 * against MODEL_SCHEMA (schema.ts).
 */
export const MODEL_FORMAT = 'vnf-lens-model';
export const MODEL_VERSION = 1;

export interface Model {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  name: string;
  features: FeatureSpace;
  state: StateParams;
  /** Null when the calibration had no lossy and clean labels: loss is then "unknown". */
  loss: LossModel | null;
  /** Null when the calibration had fewer than two scenario labels. */
  scenarios: ScenarioModel | null;
  /** The packet rate from the CPU alone; absent or null when the calibration gave no packet rates. */
  pps?: RateModel | null;
  provenance: Provenance;
}

/**
 * The normalised fingerprint shared by the loss and scenario parts: for each
 * event, z = (log10(rate per second + 1) − mean) / std over the calibration data.
 */
export interface FeatureSpace {
  transform: 'log10-rate-plus-1';
  events: string[];
  mean: number[];
  std: number[];
  /**
   * Multiplexed counters (perf ran them part of the interval) are estimates:
   * z is shrunk toward the stream's previous value with weight p / (p + shrink·(1 − p)),
   * p the share of the interval the event was counted (0..1). 0 disables it.
   */
  shrink: number;
}

/**
 * Idle (busy polling) vs processing. A logistic score over log10 per-second
 * rates of memory-traffic events, filtered causally by a two-state hidden Markov
 * model so that a single odd interval does not flip the state.
 */
export interface StateParams {
  method: 'logistic-hmm';
  features: string[];
  weights: number[];
  /** Per feature, the value contributing no evidence (a missing feature is taken at it). */
  neutral: number[];
  /** Score at the neutral point (log-odds of processing, with the training class balance removed). */
  bias: number;
  /** Evidence of one interval is clipped to ±this (log-odds). */
  maxEvidence: number;
  /** Probability that the state changes between two intervals. */
  switchProbability: number;
  /** Below this posterior the state is reported as unknown. */
  minConfidence: number;
  /** Where these parameters were fitted (recordings/routers), for the report. */
  fittedOn: string[];
  /**
   * Session-relative evidence, once the stream has shown `minIdle` confidently idle
   * intervals: a logistic score of the rise of the same log rates over the stream's
   * own idle level (packets lift them by a router-specific but large factor).
   */
  relative?: { weights: number[]; bias: number; minIdle: number };
  /** Known intervals of each state, to tell a router like the known ones from an unfamiliar one. Without it the absolute rule always speaks. */
  familiarity?: StateFamiliarity;
  /** The run's own levels: steady stretches of the memory-traffic level and the idle floor learnt at a level change. */
  levels?: LevelParams;
  /**
   * The router the model is for, from its own labelled idle intervals (a model taught on it,
   * not the reference routers): the highest memory-traffic level (log10) its idle loop showed,
   * and (newer models) the lowest, and how far a router's idle level moves between runs
   * (decades, measured on the calibration's runs): its idle range is [low − movement, level + movement].
   */
  ownIdle?: { level: number; intervals: number; low?: number; movement?: number };
}

/**
 * Calibration intervals per state in log10 rates of `events`. An interval is
 * familiar when its nearest known interval lies within `maxDistance`: the root
 * mean square over the counted events of the difference in units of `scale`
 * (the spread within one recording and state), each event's term capped at 4².
 */
export interface StateFamiliarity {
  events: string[];
  scale: number[];
  idle: number[][];
  processing: number[][];
  maxDistance: number;
}

/**
 * The memory-traffic level of an interval is the weighted mean (weights of the
 * state rule's positive features) of their log10 rates. A level change is a move
 * of more than `jump` decades between two steady stretches of at least
 * `minSteady` intervals; the lower one is the run's idle floor. Over the floor,
 * a rise up to `idleBand` decades is idle and from `processingRise` up processing.
 */
export interface LevelParams {
  jump: number;
  minSteady: number;
  idleBand: number;
  processingRise: number;
  /**
   * The highest memory-traffic level of the calibration's processing intervals: a level
   * change whose upper stretch lies above it is the run's own to judge (its lower stretch
   * becomes the floor whatever the model's rule said of it). Older models: no such limit.
   */
  busyTop?: number;
}

export interface LossModel {
  method: 'pca-logistic';
  /**
   * The normalisation the lossy region is learnt in: that of the intervals labelled lossy
   * or clean (older models: the model's `features`), so that intervals labelled for the
   * state or scenarios only do not bend the loss space.
   */
  features?: FeatureSpace;
  /** PCA of the z-scored fingerprint: rows are components, columns FeatureSpace.events. */
  basis: number[][];
  explainedVariance: number[];
  /** Number of leading components the lossy region is learnt in. */
  components: number;
  weights: number[];
  bias: number;
  /** The lossy region in the plane of the first two components (others at 0), for the panel. */
  region2d: [number, number][];
  /** Calibration points in the first two components, for the panel. */
  points: CalibrationPoint[];
  /**
   * Optional second detector for one- or two-second loss (rate steps, generator
   * dips) that the level-based region cannot see: the interval is also lossy
   * when this score is positive. Models without it use the region alone.
   */
  transient?: TransientLossModel;
}

/**
 * Logistic score over the change of the normalised log rates (raw z, before the
 * multiplexing shrink) from interval t−1 to t, t−2 to t−1, … (`lags` steps),
 * each change divided by its typical size in calibration (`scale`).
 * Feature j = lag·events + k. A change across a gap or a missing event counts 0.
 */
export interface TransientLossModel {
  method: 'delta-logistic';
  lags: number;
  scale: number[];
  weights: number[];
  bias: number;
}

export interface CalibrationPoint {
  pc: [number, number];
  loss?: 'lossy' | 'clean';
  state?: 'idle' | 'processing';
  scenario?: string;
  source: string;
}

export interface ScenarioModel {
  method: 'nearest-prototype';
  labels: ScenarioLabel[];
  /** Mean z vector per label (the paper's representative vector, compared by cosine). */
  centroids: number[][];
  /** Calibration intervals kept for nearest-prototype matching. */
  prototypes: { label: number; z: number[] }[];
  /** Per-feature spread within scenarios (pooled), the unit of the prototype distance. */
  scale: number[];
}

/**
 * Packets per second from the CPU counters: an affine (ridge) fit of the packet rate
 * on the per-second rates of `events`, each divided by its calibration spread
 * (`scale`). Counters that grow with packet work grow affinely with the packet rate
 * (a busy-poll baseline plus a cost per packet), so the fit interpolates between the
 * rates it was calibrated on. `ratio` is the 5th and 95th percentile of truth /
 * estimate over held-out groups of the calibration (recordings or runs it was not
 * fitted on): the ≈ 90 % range is [estimate·ratio[0], estimate·ratio[1]].
 */
export interface RateModel {
  method: 'ridge-affine-rates';
  events: string[];
  scale: number[];
  /** Per event, the scaled value taken where an interval lacks it (the calibration mean). */
  fill: number[];
  weights: number[];
  bias: number;
  ratio: [number, number];
  /** Smallest and largest packet rate calibrated on: estimates beyond half / twice these are refused. */
  seen: [number, number];
  /** Leave-one-group-out median relative error of the fit, for the report. */
  heldOutError: number;
  intervals: number;
  /** When present, the fit also reads the same events per second the router ran (see RunningRates). */
  running?: RunningRates;
}

/**
 * The events' rates per second the router ran: each divided by its share of the
 * interval on the CPU (`clock`, msec per second, / 1000). A router starved of CPU
 * works in bursts (packets wait while it is descheduled, then go in full batches),
 * so it counts differently per running second from one that had the whole interval
 * at the same total rate; the absolute rates alone cannot tell the two apart.
 */
export interface RunningRates {
  clock: 'task-clock';
  scale: number[];
  fill: number[];
  weights: number[];
  /**
   * The fit on the absolute rates alone (same events, scale and fill as the model's),
   * with its own held-out ratio. Two fits that explain the calibration about as well
   * and disagree on an interval say the calibration cannot pin it down: ppsRange
   * spans both fits' ranges.
   */
  absolute?: { weights: number[]; bias: number; ratio: [number, number] };
}

export interface ScenarioLabel {
  label: string;
  /** Parsed from labels like `5000-64` or `fastclick:5000-64` (rate in Mbit/s, size in bytes or a name like imix). */
  rate?: number;
  size?: string;
  group?: string;
}

export interface Provenance {
  created: string;
  tool: string;
  manifest?: string;
  host: { cpu: string; platform: string; cores: number };
  recordings: { file: string; sha256: string; intervals: number }[];
  counts: { intervals: number; state: Record<string, number>; loss: Record<string, number>; scenarios: number };
  notes?: string[];
}
