import { DERIVED_METRICS } from '../../src/core/fingerprint/derivedMetrics.ts';
import { CHART_GROUPS, isSoftwareEvent, type ChartGroup } from '../../src/core/ui/chartGroups.ts';
import type { Frame, ModelView, PanelSettings, SessionInfo, ToWebview } from '../../src/protocol.ts';
import { Cards } from './cards.ts';
import { applyThemeDefaults, type Chart } from './chartSetup.ts';
import { Controls } from './controls.ts';
import { h, setText } from './dom.ts';
import { seconds } from './format.ts';
import { History, type StreamHistory } from './history.ts';
import type { Host } from './host.ts';
import { Notices, type Notice } from './notices.ts';
import { PcaChart } from './pcaChart.ts';
import { markerLines, type MarkerLine } from './plugins.ts';
import { SimilarityChart } from './similarityChart.ts';
import { readTheme, type Theme } from './theme.ts';
import { TimeSeriesChart } from './timeSeries.ts';

const DEFAULT_WINDOW_SECONDS = 120;
/** Intervals of the live point's trail in the PCA plane. */
const TRAIL = 20;
const DERIVED = new Set(DERIVED_METRICS.map((m) => m.name));

/** The view as the user set it; persisted with setState so a reload shows the same thing. */
interface ViewState {
  paused: boolean;
  pausedAt: number | null;
  scrollBack: number;
  stream: string | null;
  group: string | null;
}

/** What the newest frames say about the host, across streams. */
interface HostFacts {
  frames: Frame[];
  /** Hardware events perf could not count while others were counted: no PMU, or these events are not on this CPU. */
  hardwareMissing: string[];
  /** No hardware event was counted at all. */
  noHardware: boolean;
  softwareMissing: string[];
  nothingCounted: boolean;
  multiplexed: Map<string, number>;
}

/**
 * The live panel: receives the extension's messages, keeps the session's history
 * and draws it. Rendering happens at most once per animation frame, only while the
 * panel is visible and not paused; incoming frames are always kept.
 */
export class LivePanel {
  private history = new History([]);
  private session: SessionInfo | null = null;
  private model: ModelView | null = null;
  private settings: PanelSettings = { windowSeconds: DEFAULT_WINDOW_SECONDS };
  private view: ViewState = { paused: false, pausedAt: null, scrollBack: 0, stream: null, group: null };
  private pending = 0;
  private theme: Theme;
  private themeVersion = 0;
  private frameRequest = 0;
  private simLabels: readonly string[] | null = null;
  private renderedKey = '';
  renders = 0;
  lastRenderMs = 0;

  readonly controls: Controls;
  readonly notices = new Notices();
  readonly cards = new Cards();
  readonly timeSeries: TimeSeriesChart[];
  readonly pca: PcaChart;
  readonly similarity: SimilarityChart;
  private readonly footer: HTMLElement;

  constructor(
    private readonly host: Host,
    root: HTMLElement,
  ) {
    this.theme = readTheme();
    applyThemeDefaults(this.theme);
    this.controls = new Controls({
      onPause: (paused) => this.setPaused(paused),
      onScroll: (back) => this.scrollTo(back),
      onStream: (stream) => {
        this.view.stream = stream;
        this.persist();
        this.renderSoon(true);
      },
    });
    this.timeSeries = CHART_GROUPS.map((g) => new TimeSeriesChart(g, this.theme));
    this.pca = new PcaChart(this.theme);
    this.similarity = new SimilarityChart(this.theme, (group) => {
      this.view.group = group;
      this.persist();
      this.renderSoon(true);
    });
    this.footer = h('footer', { class: 'footer' });
    root.replaceChildren(
      this.controls.root,
      this.notices.root,
      this.cards.root,
      h('div', { class: 'grid series-grid' }, this.timeSeries.map((c) => c.root)),
      h('div', { class: 'grid model-grid' }, [this.pca.root, this.similarity.root]),
      this.footer,
    );
    root.removeAttribute('aria-busy');
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.renderSoon(true);
    });
    this.renderNow();
  }

  handle(m: ToWebview): void {
    switch (m.type) {
      case 'init':
        this.init(m.session, m.model, m.settings, m.frames);
        break;
      case 'frames': {
        const kept = this.history.add(m.frames);
        if (this.view.paused) {
          this.pending += kept;
          this.updateControls(this.viewWindow());
        } else this.renderSoon();
        break;
      }
      case 'status':
        if (this.session) this.session = { ...this.session, status: m.status, ...(m.reason !== undefined ? { statusReason: m.reason } : {}) };
        this.controls.setStatus(m.status, m.reason);
        break;
      case 'notice':
        this.notices.addHost(m.level, m.text);
        break;
      case 'settings':
        this.settings = sanitizeSettings(m.settings);
        this.renderSoon(true);
        break;
      default: {
        const unknown: never = m;
        throw new Error(`unknown message type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
      }
    }
  }

  onThemeChange(): void {
    this.theme = readTheme();
    this.themeVersion++;
    applyThemeDefaults(this.theme);
    for (const c of this.timeSeries) c.setTheme(this.theme);
    this.pca.setTheme(this.theme);
    this.similarity.setTheme(this.theme);
    this.renderNow();
  }

  private init(session: SessionInfo, model: ModelView | null, settings: PanelSettings, frames: Frame[]): void {
    const sameSession = this.session?.id === session.id;
    this.session = session;
    this.model = model;
    this.settings = sanitizeSettings(settings);
    this.history = new History(model?.scenarios.map((s) => s.label) ?? []);
    this.history.add(frames);
    this.simLabels = null;
    this.pending = 0;
    const saved = this.host.getState();
    if (saved && saved.sessionId === session.id) {
      this.view = {
        paused: saved.paused === true,
        pausedAt: typeof saved.pausedAt === 'number' ? saved.pausedAt : null,
        scrollBack: typeof saved.scrollBackSeconds === 'number' && saved.scrollBackSeconds > 0 ? saved.scrollBackSeconds : 0,
        stream: typeof saved.stream === 'string' ? saved.stream : null,
        group: typeof saved.group === 'string' ? saved.group : null,
      };
      if (this.view.paused && this.view.pausedAt === null) this.view.pausedAt = this.history.latestT;
    } else if (!sameSession) this.view = { paused: false, pausedAt: null, scrollBack: 0, stream: null, group: null };
    this.controls.setSession(session);
    this.notices.clearHost();
    this.pca.setModel(model);
    this.persist();
    this.renderNow(true);
  }

  private setPaused(paused: boolean): void {
    if (paused === this.view.paused) return;
    this.view.paused = paused;
    if (paused) this.view.pausedAt = this.history.latestT;
    else {
      this.view.pausedAt = null;
      this.view.scrollBack = 0;
      this.pending = 0;
    }
    this.host.post({ type: 'pause', paused });
    this.persist();
    this.renderNow(true);
  }

  private scrollTo(back: number): void {
    if (!this.view.paused && back > 0) {
      // Scrolling back freezes the view; otherwise it would slide away under the cursor.
      this.view.paused = true;
      this.view.pausedAt = this.history.latestT;
      this.host.post({ type: 'pause', paused: true });
    }
    this.view.scrollBack = back;
    this.persist();
    this.renderSoon(true);
  }

  private persist(): void {
    if (!this.session) return;
    this.host.setState({
      sessionId: this.session.id,
      paused: this.view.paused,
      scrollBackSeconds: this.view.scrollBack,
      pausedAt: this.view.pausedAt,
      stream: this.view.stream,
      group: this.view.group,
      title: this.session.title,
      ...(this.session.recordingPath !== undefined ? { recordingPath: this.session.recordingPath } : {}),
    });
  }

  private force = false;

  /** Coalesces renders to one per animation frame; `force` renders even when paused. */
  renderSoon(force = false): void {
    this.force ||= force;
    if (this.frameRequest !== 0) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      const f = this.force;
      this.force = false;
      if (!this.view.paused || f) this.renderNow(f);
    });
  }

  private viewWindow(): { start: number; end: number; maxBack: number; latest: number } {
    const latest = this.history.latestT;
    if (!Number.isFinite(latest)) return { start: -this.settings.windowSeconds, end: 0, maxBack: 0, latest: NaN };
    const anchor = this.view.paused && this.view.pausedAt !== null ? Math.min(this.view.pausedAt, latest) : latest;
    const maxBack = Math.max(0, anchor - this.history.earliestT - this.settings.windowSeconds);
    const end = anchor - Math.min(this.view.scrollBack, maxBack);
    // Until the session is longer than the window, the data fills the chart from the left.
    const start = Math.max(end - this.settings.windowSeconds, Math.min(this.history.earliestT, end - 1));
    return { start, end, maxBack, latest };
  }

  /** Draws everything for the current view. `force` redraws even if data and view are unchanged. */
  renderNow(force = false): void {
    const t0 = performance.now();
    const w = this.viewWindow();
    if (this.view.scrollBack > w.maxBack) this.view.scrollBack = w.maxBack;
    const streams = [...this.history.streams.values()];
    const key = `${w.start}|${w.end}|${this.history.version}|${this.themeVersion}|${this.view.stream}|${this.view.group}|${this.settings.windowSeconds}`;
    if (!force && key === this.renderedKey) return;
    this.renderedKey = key;
    const facts = hostFacts(streams);
    const markers = this.markerLines(streams, w.start, w.end);
    for (const c of this.timeSeries) c.update({ start: w.start, end: w.end, streams, markers, emptyReason: emptyReason(c.group, facts, this.history.version > 0) });

    const sel = this.selectedStream(streams);
    const idx = sel ? sel.atOrBefore(w.end) : -1;
    const inference = sel && idx >= 0 ? sel.inferenceAt(idx, this.history.labels) : null;
    const missingNote = this.session && !this.model ? 'no model is active' : facts.noHardware && facts.hardwareMissing.length > 0 ? 'this host counts no hardware events' : '';
    this.cards.update({ inference, since: sel && idx >= 0 ? sel.stateSince(idx) : null, stream: streams.length > 1 && sel ? sel.name : null, missingNote });

    const trail: [number, number][] = [];
    if (sel) {
      for (let i = idx; i >= 0 && trail.length < TRAIL && sel.tAt(i) > w.start; i--) {
        const p = sel.phys(i);
        const x = sel.pcaX[p]!;
        const y = sel.pcaY[p]!;
        if (!Number.isNaN(x) && !Number.isNaN(y)) trail.push([x, y]);
      }
      trail.reverse();
    }
    this.pca.update(trail, this.pcaNote(inference, facts));

    const ring = this.history.similarities;
    if (this.simLabels !== ring.labels) {
      this.simLabels = ring.labels;
      this.similarity.setScenarios(ring.labels, this.model);
    }
    this.similarity.update(ring.atOrBefore(w.end, sel?.name), this.view.group, streams.length > 1, this.similarityEmptyText(facts));

    this.notices.setComputed(this.computedNotices(facts));
    this.updateControls(w);
    const kept = streams.reduce((n, s) => n + s.size, 0);
    setText(this.footer, `${this.model ? `Model ${this.model.name} (${this.model.source})` : 'No model'} · ${kept} intervals kept${streams.length > 1 ? ` in ${streams.length} streams` : ''}`);
    this.renders++;
    this.lastRenderMs = performance.now() - t0;
  }

  private updateControls(w: { start: number; end: number; maxBack: number }): void {
    this.controls.update({
      paused: this.view.paused,
      scrollBack: Math.min(this.view.scrollBack, w.maxBack),
      maxScrollBack: w.maxBack,
      hasData: this.history.version > 0,
      viewStart: w.start,
      viewEnd: w.end,
      pending: this.pending,
      streams: [...this.history.streams.keys()],
      stream: this.selectedStream([...this.history.streams.values()])?.name ?? null,
    });
  }

  private selectedStream(streams: StreamHistory[]): StreamHistory | undefined {
    return (this.view.stream !== null ? this.history.streams.get(this.view.stream) : undefined) ?? streams[0];
  }

  private markerLines(streams: StreamHistory[], start: number, end: number): MarkerLine[] {
    const t = this.theme;
    const multi = streams.length > 1;
    const out: MarkerLine[] = [];
    for (const s of streams) {
      // Markers are in time order: start at the first one in the window.
      let lo = 0;
      let hi = s.markers.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (s.markers[mid]!.t < start) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < s.markers.length; k++) {
        const m = s.markers[k]!;
        if (m.t > end) break;
        const who = multi ? ` (${s.name || 'default'})` : '';
        if (m.kind === 'state') out.push({ t: m.t, color: m.to === 'processing' ? t.green : m.to === 'idle' ? t.blue : t.muted, label: `→ ${m.to ?? '?'}${who}`, dashed: false });
        else out.push({ t: m.t, color: t.muted, label: m.run !== undefined ? `run ${m.run}${who}` : `perf restarted${who}`, dashed: true });
      }
    }
    return out.sort((a, b) => a.t - b.t);
  }

  /** Why the similarity chart has nothing to draw. */
  private similarityEmptyText(facts: HostFacts): string {
    const ring = this.history.similarities;
    if (!this.model) return 'No model is active: the scenarios come with a model.';
    if (ring.labels.length === 0 && this.model.scenarios.length === 0) return 'No scenarios: the active model has no calibrated scenarios.';
    if (ring.size > 0) return 'No similarities kept for this time: they come with the newest interval of each batch.';
    if (facts.noHardware && facts.hardwareMissing.length > 0) return 'No similarities: this host counts no hardware events, which the scenarios are described by.';
    return 'Waiting for the first similarities (they come with the newest interval of each batch).';
  }

  private pcaNote(inf: { pca: [number, number] | null; t: number } | null, facts: HostFacts): string {
    if (!this.model) return 'No model is active: the PCA plane of the loss detector comes with a model.';
    if (!this.model.pca) return 'The active model has no PCA plane (it was calibrated without lossy and clean labels).';
    const legend = '▲ lossy, ● clean or unlabelled calibration intervals; colour: offered rate.';
    if (!inf) return legend;
    if (inf.pca === null) return `${legend} No live point: ${facts.noHardware ? 'this host counts no hardware events, which the plane is built from' : 'the interval lacks too many of the model events'}.`;
    return `${legend} Live point at t = ${seconds(inf.t)}: (${inf.pca[0].toFixed(2)}, ${inf.pca[1].toFixed(2)}).`;
  }

  private computedNotices(f: HostFacts): Notice[] {
    const out: Notice[] = [];
    if (f.hardwareMissing.length > 0) {
      if (f.noHardware)
        out.push({
          id: 'hardware-unsupported',
          level: 'warning',
          text: `Hardware events are not supported on this host: perf counts none of ${f.hardwareMissing.length} (${list(f.hardwareMissing, 5)}). This is usual in VMs and containers without a hardware PMU. The OS chart shows the software events that still count; state, loss and scenario need hardware counters.`,
          detail: `Not supported or not counted: ${f.hardwareMissing.join(', ')}.`,
        });
      else out.push({ id: 'events-missing', level: 'info', text: `Some events are not counted on this host: ${list(f.hardwareMissing, 6)}.`, detail: f.hardwareMissing.join(', ') });
    }
    if (f.nothingCounted) out.push({ id: 'nothing-counted', level: 'info', text: 'perf counted no event in the newest interval: the process did not run (or has exited).' });
    else if (f.softwareMissing.length > 0) out.push({ id: 'software-missing', level: 'info', text: `Not counted in the newest interval: ${list(f.softwareMissing, 6)}.` });
    if (f.multiplexed.size > 0) {
      const v = [...f.multiplexed.values()];
      const lo = Math.floor(Math.min(...v));
      const hi = Math.ceil(Math.max(...v));
      out.push({
        id: 'multiplexed',
        level: 'warning',
        text: `Multiplexed counters: ${f.multiplexed.size} events were counted only ${lo === hi ? `${lo} %` : `${lo}–${hi} %`} of each interval, so their rates are scaled estimates. Count fewer events at once to measure them fully.`,
        detail: [...f.multiplexed].sort((a, b) => a[1] - b[1]).map(([e, p]) => `${e} ${Math.round(p)} %`).join(', '),
      });
    }
    if (this.history.droppedStreams.size > 0) out.push({ id: 'streams-dropped', level: 'warning', text: `Only the first ${this.history.streams.size} streams are drawn; not shown: ${list([...this.history.droppedStreams], 4)}.` });
    if (this.session && !this.model) out.push({ id: 'no-model', level: 'info', text: 'No model is active: the counters are charted, but state, loss regime and scenario stay unknown. Calibrate one with `vnf-lens calibrate` or pick one in the settings.' });
    return out;
  }

  /** Read-only view for tests and diagnostics (see webview/README.md). */
  testHook(): PanelTestHook {
    const charts: Record<string, ChartHandle> = {};
    for (const c of this.timeSeries) charts[c.group.id] = c.chart as unknown as ChartHandle;
    charts['pca'] = this.pca.chart as unknown as ChartHandle;
    charts['similarity'] = this.similarity.chart as unknown as ChartHandle;
    return {
      charts,
      renderNow: () => this.renderNow(true),
      renders: () => this.renders,
      lastRenderMs: () => this.lastRenderMs,
      view: () => {
        const w = this.viewWindow();
        return { ...this.view, start: w.start, end: w.end, maxScrollBack: w.maxBack, latest: w.latest, windowSeconds: this.settings.windowSeconds, pending: this.pending };
      },
      streams: () => [...this.history.streams.values()].map((s) => ({ name: s.name, size: s.size, capacity: s.capacity, firstT: s.firstT, lastT: s.lastT, markers: s.markers.map((m) => ({ ...m })) })),
      notices: () => this.notices.visible.map((n) => ({ ...n })),
      markers: () => (markerLines.get(this.timeSeries[0]!.chart as unknown as Chart)?.lines ?? []).map((m) => ({ ...m })),
    };
  }
}

/** The parts of a Chart.js instance tests read (the full type is too deep to expose on window). */
export interface ChartHandle {
  data: { datasets: { label?: string; data: unknown[]; borderColor?: unknown; borderDash?: unknown; hidden?: boolean }[] };
  options: { scales?: Record<string, { min?: unknown; max?: unknown; display?: unknown }>; plugins?: Record<string, unknown> };
  update(mode?: 'none'): void;
}

export interface PanelTestHook {
  /** Chart.js instances by name: computation, caches, tlb, os, pca, similarity. */
  charts: Record<string, ChartHandle>;
  renderNow(): void;
  /** Renders so far (tests wait for it to move). */
  renders(): number;
  /** Time of the last render in ms: applying the window to the charts and drawing them. */
  lastRenderMs(): number;
  view(): ViewState & { start: number; end: number; maxScrollBack: number; latest: number; windowSeconds: number; pending: number };
  streams(): { name: string; size: number; capacity: number; firstT: number; lastT: number; markers: object[] }[];
  notices(): Notice[];
  /** The state-change and restart lines drawn on the time-series charts. */
  markers(): MarkerLine[];
}

function hostFacts(streams: StreamHistory[]): HostFacts {
  const frames = streams.map((s) => s.newest).filter((f): f is Frame => f !== undefined);
  const hw = new Set<string>();
  const sw = new Set<string>();
  const multiplexed = new Map<string, number>();
  let hardwareCounted = false;
  let nothingCounted = frames.length > 0;
  for (const f of frames) {
    const counted = [...Object.keys(f.rates), ...Object.keys(f.multiplexed)];
    if (counted.length > 0) nothingCounted = false;
    if (counted.some((e) => !isSoftwareEvent(e))) hardwareCounted = true;
    for (const e of f.missing) {
      if (DERIVED.has(e)) continue;
      (isSoftwareEvent(e) ? sw : hw).add(e);
    }
    for (const [e, p] of Object.entries(f.multiplexed)) multiplexed.set(e, Math.min(p, multiplexed.get(e) ?? 100));
  }
  return { frames, hardwareMissing: nothingCounted ? [] : [...hw], noHardware: !hardwareCounted, softwareMissing: [...sw], nothingCounted, multiplexed };
}

function emptyReason(g: ChartGroup, f: HostFacts, anyData: boolean): string {
  if (!anyData) return 'Waiting for the first interval…';
  const names = g.series.map((s) => s.label);
  const rateKeys = g.series.filter((s) => s.kind === 'rate').map((s) => s.key);
  const missing = new Set([...f.hardwareMissing, ...f.softwareMissing]);
  if (rateKeys.every((k) => missing.has(k))) {
    return g.hardware && f.noHardware
      ? `Not supported on this host: ${names.join(', ')}. perf counts no hardware events here (no hardware PMU, as in most VMs); the OS group still counts.`
      : `Not counted on this host: ${names.join(', ')}.`;
  }
  const present = f.frames.some((fr) => rateKeys.some((k) => k in fr.rates));
  if (present) return 'No data in this time window.';
  const partlyMissing = rateKeys.filter((k) => missing.has(k));
  return partlyMissing.length > 0 ? `Not counted on this host: ${partlyMissing.join(', ')}; the others are not in this session's event list.` : `Not in this session's event list: ${names.join(', ')}.`;
}

function list(items: string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function sanitizeSettings(s: PanelSettings | undefined): PanelSettings {
  const w = s?.windowSeconds;
  return { windowSeconds: typeof w === 'number' && Number.isFinite(w) && w > 0 ? Math.min(w, 86_400) : DEFAULT_WINDOW_SECONDS };
}
