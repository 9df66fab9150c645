/**
 * Messages between the extension host and the webview panels. Both sides switch on
 * `type`; the compiler checks that every case is handled. Plain data only (JSON).
 * This file is shared: it must not import Node, VS Code or DOM code.
 */

export type RouterState = 'idle' | 'processing' | 'unknown';
export type LossRegime = 'lossy' | 'clean' | 'unknown';
export type SessionStatus = 'connecting' | 'probing' | 'running' | 'paused' | 'reconnecting' | 'replaying' | 'ended';

/** What the router is doing at one interval, as inferred from its counters. */
export interface InferenceView {
  state: RouterState;
  stateConfidence: number;
  /** Set on the interval where the state changed. */
  stateChange?: { from: RouterState; to: RouterState; t: number };
  loss: LossRegime;
  lossScore: number | null;
  pca: [number, number] | null;
  scenario: string | null;
  similarity: number | null;
  runnerUp: string | null;
  runnerUpSimilarity: number | null;
  margin: number | null;
  /** What a known state rests on: the model's rule, the rise over the run's own idle floor or over the router's own idle level (a taught model), or the router's counters. */
  stateBasis?: 'model' | 'run-levels' | 'own-idle' | 'router-counters';
  /** Why the state, loss regime or scenario is unknown / not named. */
  stateReason?: string;
  lossReason?: string;
  scenarioReason?: string;
  /** Running tally of the CPU-only state answers against the router's own packet counters, when the stream has them. */
  agreement?: { agree: number; disagree: number; abstained: number };
  /** Packets per second from the CPU counters alone and its ≈ 90 % range; absent or null when the model cannot estimate. */
  pps?: number | null;
  ppsRange?: [number, number] | null;
}

/** One interval of one stream, reduced to what the panels draw. */
export interface Frame {
  t: number;
  dt: number;
  stream?: string;
  /** Run name for inputs holding several runs one after another (e.g. `5000-64` of the paper's wide CSV). */
  run?: string;
  /** Per-second rates of the events the charts show (canonical names) and derived ratios. */
  rates: Record<string, number>;
  derived: Record<string, number>;
  /** Events counted less than 100 % of the interval (multiplexed estimates), with their percentage. */
  multiplexed: Record<string, number>;
  /** Events the host cannot count (`<not supported>`) or did not count. */
  missing: string[];
  inference: InferenceView;
  /** Cosine similarity to every known scenario; only on the newest frame of a batch. */
  similarities?: Record<string, number>;
  /** The router's own packet counters for this interval; absent when the session has no counter source. */
  packets?: PacketView;
  /** The router revision (n-th process across restarts) of a session that follows restarts. */
  revision?: number;
}

/** The live A/B of the current revision against the pinned baseline (figures formatted by the host). */
export interface AbView {
  stream: string;
  baseline: number;
  current: number;
  /** Set while a side has too few steady intervals with traffic; then no figures. */
  waiting?: string;
  figures: { feature: string; label: string; baseline: string; current: string; change: string; different: boolean; relative: number }[];
  verdict: string;
  warnings: string[];
  used: { baseline: string; current: string };
}

/** Throughput, drops and cost per packet of one interval (per second; per received packet). */
export interface PacketView {
  /** Packets received per second. */
  pps: number;
  /** Packets sent per second. */
  txPps: number;
  /** Packets dropped per second (every drop the router reports). */
  dropsPerSecond: number;
  /** dropped / (rx + dropped): the share of what was offered that was lost; null when nothing was offered. */
  dropRatio: number | null;
  /** Bits per second received (L2 frames without preamble and gap, from rxBytes; txBytes when only that is counted); null without byte counts. */
  bps: number | null;
  /** CPU cycles per received packet; null when the PMU did not count cycles or no packet came in. */
  cyclesPerPacket: number | null;
  /** Instructions per received packet; same conditions as cycles. */
  instructionsPerPacket: number | null;
  /** Nanoseconds of CPU time (task-clock, else cpu-clock) per received packet; counted by every Linux perf. */
  cpuNsPerPacket: number | null;
  /** Counter source (`dpdk-telemetry`, `vpp`, `click`, `ovs`, `netdev`), when known. */
  source?: string;
}

export interface SessionInfo {
  id: string;
  title: string;
  /** `local`, an SSH host, or `recording`. */
  host: string;
  kind: 'live' | 'replay';
  pids: number[];
  events: string[];
  intervalMs: number;
  status: SessionStatus;
  statusReason?: string;
  recordingPath?: string;
  /** What perf could count on the session's host, once known. */
  perf?: PerfFacts;
}

/** What perf could count on the session's host: from the probe before counting, or from a recording. */
export interface PerfFacts {
  /** Requested events perf reported `<not supported>` for (no counter: no hardware PMU); not counted. */
  unsupported: string[];
  /** Requested events perf refused (permissions: perf_event_paranoid, capabilities); not counted. */
  refused: string[];
  /** kernel.perf_event_paranoid on the host, when read. */
  paranoid: number | null;
}

/** The parts of the active model the panels draw. */
export interface ModelView {
  name: string;
  source: string;
  pca: {
    /** Calibration points in the first two principal coordinates. */
    points: { x: number; y: number; label: string; rate: number | null; lossy: boolean | null }[];
    /** Outline of the lossy region in the same coordinates, if the model has one. */
    lossyRegion: [number, number][] | null;
    explained: [number, number] | null;
  } | null;
  /** Known scenarios, with rate and packet size when the label says them (`5000-64`, `500_imix`). */
  scenarios: { label: string; rate: number | null; size: string | null; group?: string | null }[];
}

export interface PanelSettings {
  /** Seconds of history the time-series charts show. */
  windowSeconds: number;
}

/** One bar of the cost card: an element class (its elements named), a module, or a VPP node / OVS PMD. */
export interface CostBar {
  label: string;
  /** `rt` or `c1, c2 (one class: the share is for both)`, a module path, … */
  detail?: string;
  /** Of the router's CPU in the window, 0..1; null where the source gives cost per packet only (VPP, OVS). */
  share: number | null;
  /** One standard error of `share` from the number of samples (perf-record only). */
  shareError?: number;
  /** CPU ns (perf) or clocks (VPP, OVS) per packet; null without a packet rate. */
  perPacket: number | null;
  perPacketUnit: 'ns' | 'clocks' | 'cycles';
  /** Several config elements share this class. */
  shared?: boolean;
}

/** Where the router's CPU went, newest window: what the panel's cost card and the config lenses show. */
export interface ElementCostView {
  source: 'perf-record' | 'vpp-runtime' | 'ovs-pmd';
  /** ISO end of the window. */
  at: string;
  windowS: number;
  /** perf record's sampling rate (perf-record only). */
  frequencyHz?: number;
  samples?: number;
  /** perf record + perf script CPU over the sampling cycle, as a share of one CPU (measured on the host). */
  perfShare?: number | null;
  /** The packet rate the per-packet figures divide by. */
  pps: number | null;
  /** By module (the executable is stripped) instead of by element. */
  byModule: boolean;
  bars: CostBar[];
  note?: string;
}

export type ToWebview =
  | { type: 'init'; session: SessionInfo; model: ModelView | null; settings: PanelSettings; frames: Frame[] }
  | { type: 'frames'; frames: Frame[] }
  | { type: 'status'; status: SessionStatus; reason?: string }
  /** A followed router restarted: the processes the session now counts. */
  | { type: 'pids'; pids: number[] }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string }
  | { type: 'perf'; perf: PerfFacts }
  | { type: 'settings'; settings: PanelSettings }
  | { type: 'ab'; ab: AbView | null }
  | { type: 'cost'; cost: ElementCostView | null };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'pause'; paused: boolean }
  | { type: 'mark'; t: number; text: string }
  | { type: 'error'; message: string }
  | { type: 'cspViolation'; directive: string; blockedURI: string };

/** The state a panel keeps across reloads with `vscode.setState`. */
export interface PersistedPanelState {
  sessionId: string;
  paused: boolean;
  scrollBackSeconds: number;
  /** Session time the paused view is anchored to (the newest frame when the user paused). */
  pausedAt?: number | null;
  /** The stream whose inference the cards and the PCA/similarity charts follow. */
  stream?: string | null;
  /** The router group of the similarity chart; null follows the best match. */
  group?: string | null;
  /** What the extension needs to bring the panel back after a window reload. */
  title?: string;
  recordingPath?: string;
}

/** Splits a scenario label such as `5000-64`, `5000_64` or `500_imix` into rate and size. */
export function parseScenarioLabel(label: string): { rate: number | null; size: string | null } {
  const m = /^(\d+(?:\.\d+)?)[-_ ]([A-Za-z0-9]+)$/.exec(label.trim());
  if (!m) return { rate: null, size: null };
  return { rate: Number(m[1]), size: m[2]! };
}
