import { Counter, Gauge, Registry, type RegistryContentType, collectDefaultMetrics } from 'prom-client';
import { DERIVED_METRICS } from '../fingerprint/derivedMetrics.ts';
import type { FleetView, RouterReading } from './fleetState.ts';
import { SOURCE_STATES } from './fleetState.ts';
import { ROUTER_LABEL_NAMES, type RouterLabels } from './routerSource.ts';

const R = ROUTER_LABEL_NAMES;
const STATES = ['idle', 'processing', 'unknown'] as const;
const REGIMES = ['clean', 'lossy', 'unknown'] as const;
/** `branch-miss-ratio` -> `branch`: the ratio label of vnf_lens_miss_ratio. */
const MISS_RATIOS = DERIVED_METRICS.filter((m) => m.name.endsWith('-miss-ratio')).map((m) => ({ name: m.name, label: m.name.slice(0, -'-miss-ratio'.length) }));

/** Every metric family the exporter writes (besides the process_* / nodejs_* defaults), with its type. */
export const EXPORTED_METRICS = {
  vnf_lens_rate: 'gauge',
  vnf_lens_ipc: 'gauge',
  vnf_lens_miss_ratio: 'gauge',
  vnf_lens_counted_percent: 'gauge',
  vnf_lens_events_missing: 'gauge',
  vnf_lens_state: 'gauge',
  vnf_lens_state_confidence: 'gauge',
  vnf_lens_loss_score: 'gauge',
  vnf_lens_loss_regime: 'gauge',
  vnf_lens_scenario_info: 'gauge',
  vnf_lens_scenario_similarity: 'gauge',
  vnf_lens_scenario_margin: 'gauge',
  vnf_lens_estimated_packet_rate: 'gauge',
  vnf_lens_packets_total: 'counter',
  vnf_lens_packet_rate: 'gauge',
  vnf_lens_bit_rate: 'gauge',
  vnf_lens_drop_ratio: 'gauge',
  vnf_lens_cycles_per_packet: 'gauge',
  vnf_lens_instructions_per_packet: 'gauge',
  vnf_lens_cpu_seconds_per_packet: 'gauge',
  vnf_lens_intervals_total: 'counter',
  vnf_lens_exporter_last_interval_age_seconds: 'gauge',
  vnf_lens_exporter_sessions: 'gauge',
  vnf_lens_exporter_reconnects_total: 'counter',
  vnf_lens_exporter_parse_errors_total: 'counter',
  vnf_lens_exporter_attach_failures_total: 'counter',
} as const;

type Labels = Record<string, string>;

/**
 * A registry whose series are built from the fleet's current readings at each
 * scrape: a router that is gone has no series left, so cardinality follows the
 * fleet, and an interval costs nothing until someone scrapes.
 */
export function createRegistry(fleet: FleetView, opts: { openMetrics: boolean; processMetrics?: boolean }): Registry<RegistryContentType> {
  // Two registries, not one switched per request: an OpenMetrics registry renames its counters.
  const registry = new Registry<RegistryContentType>();
  if (opts.openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [registry as Registry];
  /** A gauge filled at each scrape from every router that has `part` (its fingerprint, its packet metrics). */
  const gaugeOf =
    <T>(part: (r: RouterReading) => T | null | undefined) =>
    (name: keyof typeof EXPORTED_METRICS, help: string, extra: string[], fill: (g: Gauge, v: NonNullable<T>, l: Labels) => void) =>
      new Gauge({
        name,
        help,
        labelNames: [...R, ...extra],
        registers,
        collect() {
          this.reset();
          for (const r of fleet.routers.values()) {
            const v = part(r);
            if (v) fill(this, v, labelsOf(r.labels));
          }
        },
      });
  const perRouter = gaugeOf((r) => (r.fingerprint ? r : undefined));
  const perPacket = gaugeOf((r) => r.packets);

  perRouter('vnf_lens_rate', 'Counter value per second over the last interval (task-clock and cpu-clock: msec per second).', ['event'], (g, r, l) => {
    const rates = r.fingerprint!.rates;
    for (const event in rates) g.set({ ...l, event }, rates[event]!);
  });
  perRouter('vnf_lens_ipc', 'Instructions per cycle over the last interval.', [], (g, r, l) => {
    const ipc = r.fingerprint!.derived['ipc'];
    if (ipc !== undefined) g.set(l, ipc);
  });
  perRouter('vnf_lens_miss_ratio', 'Misses per access over the last interval (ratio: branch, cache, L1-dcache, dTLB-load, dTLB-store, iTLB, LLC-load).', ['ratio'], (g, r, l) => {
    const d = r.fingerprint!.derived;
    for (const m of MISS_RATIOS) if (d[m.name] !== undefined) g.set({ ...l, ratio: m.label }, d[m.name]!);
  });
  perRouter('vnf_lens_counted_percent', 'Percentage of the last interval the events were counted (below 100: perf multiplexed the counters); stat: min or mean over the events.', ['stat'], (g, r, l) => {
    const running = Object.values(r.fingerprint!.running);
    if (running.length === 0) return;
    g.set({ ...l, stat: 'min' }, Math.min(...running));
    g.set({ ...l, stat: 'mean' }, running.reduce((a, x) => a + x, 0) / running.length);
  });
  perRouter('vnf_lens_events_missing', 'Requested events and derived metrics the last interval lacks (not counted or not supported on the host).', [], (g, r, l) => g.set(l, r.fingerprint!.missing.length));
  perRouter('vnf_lens_state', 'Inferred router state: 1 for the current one (idle: polling without traffic; processing; unknown: not sure).', ['state'], (g, r, l) => {
    if (!r.inference) return;
    for (const s of STATES) g.set({ ...l, state: s }, r.inference.state === s ? 1 : 0);
  });
  perRouter('vnf_lens_state_confidence', 'Confidence of the inferred state (0 to 1).', [], (g, r, l) => {
    if (r.inference) g.set(l, r.inference.stateConfidence);
  });
  perRouter('vnf_lens_loss_score', 'Log-odds that the router is in its lossy regime (above 0: lossy).', [], (g, r, l) => {
    if (r.inference?.lossScore != null) g.set(l, r.inference.lossScore);
  });
  perRouter('vnf_lens_loss_regime', 'Inferred loss regime: 1 for the current one.', ['regime'], (g, r, l) => {
    if (!r.inference) return;
    for (const x of REGIMES) g.set({ ...l, regime: x }, r.inference.loss === x ? 1 : 0);
  });
  perRouter('vnf_lens_scenario_info', 'The traffic scenario of the model closest to the router now (value always 1; absent when none is close or the router is idle).', ['scenario'], (g, r, l) => {
    if (r.inference?.scenario != null) g.set({ ...l, scenario: r.inference.scenario }, 1);
  });
  perRouter('vnf_lens_scenario_similarity', 'Similarity of the router to the matched scenario (0 to 1).', [], (g, r, l) => {
    if (r.inference?.scenario != null && r.inference.similarity !== null) g.set(l, r.inference.similarity);
  });
  perRouter('vnf_lens_scenario_margin', 'Similarity of the matched scenario minus that of the runner-up.', [], (g, r, l) => {
    if (r.inference?.scenario != null && r.inference.margin !== null) g.set(l, r.inference.margin);
  });

  perRouter('vnf_lens_estimated_packet_rate', 'Packets per second estimated from the CPU counters alone (bound: estimate, and low / high of its ≈ 90 % range); absent when the model cannot estimate.', ['bound'], (g, r, l) => {
    const inf = r.inference;
    if (!inf || inf.pps === null || inf.ppsRange === null) return;
    g.set({ ...l, bound: 'estimate' }, inf.pps);
    g.set({ ...l, bound: 'low' }, inf.ppsRange[0]);
    g.set({ ...l, bound: 'high' }, inf.ppsRange[1]);
  });

  // The router's own counters: throughput, drops and cost per packet (absent when no counter source is read).
  perPacket('vnf_lens_packet_rate', 'Packets per second over the last interval, from the router\'s own counters (direction: rx received, tx sent, dropped).', ['direction'], (g, p, l) => {
    g.set({ ...l, direction: 'rx' }, p.pps);
    g.set({ ...l, direction: 'tx' }, p.txPps);
    g.set({ ...l, direction: 'dropped' }, p.dropsPerSecond);
  });
  perPacket('vnf_lens_bit_rate', 'Bits per second received over the last interval (L2 frames, from the router\'s byte counters).', [], (g, p, l) => {
    if (p.bps !== null) g.set(l, p.bps);
  });
  perPacket('vnf_lens_drop_ratio', 'Share of the packets offered in the last interval that the router dropped: dropped / (received + dropped).', [], (g, p, l) => {
    if (p.dropRatio !== null) g.set(l, p.dropRatio);
  });
  perPacket('vnf_lens_cycles_per_packet', 'CPU cycles per received packet over the last interval (needs a hardware PMU).', [], (g, p, l) => {
    if (p.cyclesPerPacket !== null) g.set(l, p.cyclesPerPacket);
  });
  perPacket('vnf_lens_instructions_per_packet', 'Instructions per received packet over the last interval (needs a hardware PMU).', [], (g, p, l) => {
    if (p.instructionsPerPacket !== null) g.set(l, p.instructionsPerPacket);
  });
  perPacket('vnf_lens_cpu_seconds_per_packet', 'CPU time (task-clock) per received packet over the last interval, in seconds; counted on every host.', [], (g, p, l) => {
    if (p.cpuNsPerPacket !== null) g.set(l, p.cpuNsPerPacket / 1e9);
  });
  new Counter({
    name: 'vnf_lens_packets_total',
    help: 'Packets the router reported since it was attached, from its own counters (direction: rx, tx, dropped).',
    labelNames: [...R, 'direction'],
    registers,
    collect() {
      this.reset();
      for (const r of fleet.routers.values()) {
        const t = r.packetTotals;
        if (!t) continue;
        const l = labelsOf(r.labels);
        for (const direction of ['rx', 'tx', 'dropped'] as const) this.inc({ ...l, direction }, t[direction]);
      }
    },
  });

  new Counter({
    name: 'vnf_lens_intervals_total',
    help: 'Intervals received from the router since it was attached.',
    labelNames: [...R],
    registers,
    collect() {
      this.reset();
      for (const r of fleet.routers.values()) this.inc(labelsOf(r.labels), r.intervals);
    },
  });
  new Gauge({
    name: 'vnf_lens_exporter_last_interval_age_seconds',
    help: 'Seconds since the router last delivered an interval (since it was attached, before the first).',
    labelNames: [...R],
    registers,
    collect() {
      this.reset();
      const now = Date.now();
      for (const r of fleet.routers.values()) this.set(labelsOf(r.labels), (now - (r.lastAt ?? r.attachedAt)) / 1000);
    },
  });
  new Gauge({
    name: 'vnf_lens_exporter_sessions',
    help: 'Router sessions per host by state (starting, running, paused, reconnecting).',
    labelNames: ['host', 'state'],
    registers,
    collect() {
      this.reset();
      for (const host of fleet.hosts.keys()) for (const state of SOURCE_STATES) this.set({ host, state }, 0);
      for (const r of fleet.routers.values()) if (r.source.state !== 'ended') this.inc({ host: r.labels.host, state: r.source.state });
    },
  });
  const perHost = (name: keyof typeof EXPORTED_METRICS, help: string, extra: string[], fill: (c: Counter, host: string) => void) =>
    new Counter({
      name,
      help,
      labelNames: ['host', ...extra],
      registers,
      collect() {
        this.reset();
        for (const host of fleet.hosts.keys()) fill(this, host);
      },
    });
  perHost('vnf_lens_exporter_reconnects_total', 'Reconnections per host (cause: connection = the ssh connection dropped and was re-established; router-restart = a router matched by a pattern came back with a new PID and was attached again).', ['cause'], (c, host) => {
    const h = fleet.hosts.get(host)!;
    for (const cause of ['connection', 'router-restart'] as const) c.inc({ host, cause }, h.reconnects[cause]);
  });
  perHost('vnf_lens_exporter_parse_errors_total', 'Lines of perf output (or of a replayed file) that could not be read and were skipped.', [], (c, host) => c.inc({ host }, fleet.hosts.get(host)!.parseErrors));
  perHost('vnf_lens_exporter_attach_failures_total', 'Attempts to attach to a router that failed (perf refused, process gone, connection failed, router limit reached).', [], (c, host) => c.inc({ host }, fleet.hosts.get(host)!.attachFailures));

  if (opts.processMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // Gauges whose names end in _total read as counters to Prometheus (promtool warns); the same counts come without the suffix.
    for (const name of DEFAULT_GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
  }
  return registry;
}

/** prom-client's default gauges named like counters; `nodejs_active_handles` etc. say the same. */
const DEFAULT_GAUGES_NAMED_TOTAL = ['nodejs_active_resources_total', 'nodejs_active_handles_total', 'nodejs_active_requests_total'];

function labelsOf(l: RouterLabels): Labels {
  return { host: l.host, router: l.router, pid: l.pid, comm: l.comm };
}
