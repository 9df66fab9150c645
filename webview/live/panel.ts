import { DERIVED_METRICS } from '../../src/core/fingerprint/derivedMetrics.ts';
import { CHART_GROUPS, isSoftwareEvent, PACKET_FIELDS, type ChartGroup } from '../../src/core/ui/chartGroups.ts';
import type { Frame, ModelView, PanelSettings, PerfFacts, SessionInfo, ToWebview } from '../../src/protocol.ts';
import { AbCard } from './abCard.ts';
import { Cards } from './cards.ts';
import { applyThemeDefaults, type Chart } from './chartSetup.ts';
import { Controls } from './controls.ts';
import { h, setHidden, setText } from './dom.ts';
import { seconds } from './format.ts';
import { History } from './history.ts';
import type { StreamHistory } from './streamHistory.ts';
import type { Host } from './host.ts';
import { Notices, type Notice } from './notices.ts';
import { CostCard } from './costCard.ts';
import { PacketCard, type PacketsAt } from './packetCard.ts';
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
  /** Of those, the ones perf reported `<not supported>` for (as opposed to refused for permissions). */
  notSupported: Set<string>;
  refused: string[];
  /** Lead with what counts: no hardware event counted, and perf said why. */
  noPmuLayout: boolean;
  /** Some stream has the router's packet counts. */
  packets: boolean;
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
  private perf: PerfFacts | null = null;
  private layout: 'normal' | 'no-pmu' | null = null;
  private renderedKey = '';
  renders = 0;
  lastRenderMs = 0;

  readonly controls: Controls;
  readonly notices = new Notices();
  readonly cards = new Cards();
  readonly packetCard = new PacketCard();
  readonly abCard = new AbCard();
  readonly costCard = new CostCard();
  readonly timeSeries: TimeSeriesChart[];
  readonly pca: PcaChart;
  readonly similarity: SimilarityChart;
  private readonly footer: HTMLElement;
  private readonly root: HTMLElement;
  private readonly packetRow: HTMLElement;
  private readonly seriesGrid: HTMLElement;
  private readonly modelGrid: HTMLElement;
  /** Hardware charts with nothing to draw wait here, out of sight, on hosts without a PMU. */
  private readonly hiddenCharts: HTMLElement;

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
    this.root = root;
    this.packetRow = h('div', { class: 'grid packet-row' }, [this.packetCard.root, this.chart('cost').root]);
    this.packetRow.hidden = true;
    this.seriesGrid = h('div', { class: 'grid series-grid' });
    this.modelGrid = h('div', { class: 'grid model-grid' }, [this.pca.root, this.similarity.root]);
    this.hiddenCharts = h('div', { class: 'hidden-charts' });
    this.hiddenCharts.hidden = true;
    this.arrange('normal');
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
      case 'perf':
        this.perf = m.perf;
        if (this.session) this.session = { ...this.session, perf: m.perf };
        this.renderSoon(true);
        break;
      case 'settings':
        this.settings = sanitizeSettings(m.settings);
        this.renderSoon(true);
        break;
      case 'ab':
        this.abCard.update(m.ab);
        break;
      case 'cost':
        this.costCard.update(m.cost);
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
    this.perf = session.perf ?? null;
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
    const facts = hostFacts(streams, this.perf);
    this.arrange(facts.noPmuLayout ? 'no-pmu' : 'normal');
    setHidden(this.packetRow, !facts.packets);
    const markers = this.markerLines(streams, w.start, w.end);
    for (const c of this.timeSeries) {
      // Charts out of sight are not drawn (an OS chart alone stays drawn: it is what counts).
      if (c.root.parentElement === this.hiddenCharts || (c.group.id === 'cost' && !facts.packets)) continue;
      c.update({ start: w.start, end: w.end, streams, markers, emptyReason: emptyReason(c.group, facts, this.history.version > 0) });
    }

    const sel = this.selectedStream(streams);
    const idx = sel ? sel.atOrBefore(w.end) : -1;
    const inference = sel && idx >= 0 ? sel.inferenceAt(idx, this.history.labels) : null;
    const missingNote = this.session && !this.model ? 'no model is active' : facts.noHardware && facts.hardwareMissing.length > 0 ? 'this host counts no hardware events, which the model needs' : '';
    const snapshot = this.history.similarities.atOrBefore(w.end, sel?.name);
    const comparable = snapshot !== null && snapshot.values.some((v) => !Number.isNaN(v));
    const routerPps = facts.packets && sel && idx >= 0 ? (packetsAt(sel, idx)?.pps ?? null) : null;
    this.cards.update({ inference, since: sel && idx >= 0 ? sel.stateSince(idx) : null, stream: streams.length > 1 && sel ? sel.name : null, missingNote, comparable, routerPps });
    if (facts.packets) this.packetCard.update(sel && idx >= 0 ? packetsAt(sel, idx) : null, sel?.newest?.packets?.source ?? null, streams.length > 1 && sel ? sel.name : null);

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

  private chart(id: ChartGroup['id']): TimeSeriesChart {
    return this.timeSeries.find((c) => c.group.id === id)!;
  }

  /**
   * Puts what counts first. With a PMU: the router's counters, the three answers, the
   * paper's chart groups, the model's charts. Without one: the router's counters and the
   * software events lead, then the answers; the hardware charts, which could only be
   * empty, are set aside (the notice says so).
   */
  private arrange(layout: 'normal' | 'no-pmu'): void {
    if (layout === this.layout) return;
    this.layout = layout;
    const hardware = this.timeSeries.filter((c) => c.group.hardware).map((c) => c.root);
    const os = this.chart('os').root;
    if (layout === 'normal') {
      this.seriesGrid.replaceChildren(...hardware, os);
      this.seriesGrid.classList.remove('single');
      this.hiddenCharts.replaceChildren();
      this.root.replaceChildren(this.controls.root, this.notices.root, this.abCard.root, this.packetRow, this.costCard.root, this.cards.root, this.seriesGrid, this.modelGrid, this.footer);
    } else {
      this.seriesGrid.replaceChildren(os);
      this.seriesGrid.classList.add('single');
      this.hiddenCharts.replaceChildren(...hardware);
      this.root.replaceChildren(this.controls.root, this.notices.root, this.abCard.root, this.packetRow, this.costCard.root, this.seriesGrid, this.cards.root, this.modelGrid, this.hiddenCharts, this.footer);
    }
    this.root.dataset['layout'] = layout;
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
        else out.push({ t: m.t, color: t.muted, label: m.revision !== undefined ? `revision ${m.revision}${who}` : m.run !== undefined ? `run ${m.run}${who}` : `perf restarted${who}`, dashed: true });
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
    if (facts.noHardware && facts.hardwareMissing.length > 0) return 'No similarities: the scenarios are described by hardware counters, and this host counts none.';
    if (this.history.version === 0) return 'Waiting for the first interval.';
    return 'No similarities: the intervals so far lack too many of the events the scenarios are described by, so none could be compared.';
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
      if (f.noHardware) out.push(noPmuNotice(f, this.perf?.paranoid ?? null));
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
      legend: (name) => {
        const c = charts[name] as unknown as { legend?: { legendItems?: { text: string }[] } } | undefined;
        return (c?.legend?.legendItems ?? []).map((i) => i.text);
      },
      layout: () => this.layout ?? 'normal',
      markers: () => (markerLines.get(this.chart('os').chart as unknown as Chart)?.lines ?? []).map((m) => ({ ...m })),
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
  /** Chart.js instances by name: cost, computation, caches, tlb, os, pca, similarity. */
  charts: Record<string, ChartHandle>;
  renderNow(): void;
  /** Renders so far (tests wait for it to move). */
  renders(): number;
  /** Time of the last render in ms: applying the window to the charts and drawing them. */
  lastRenderMs(): number;
  view(): ViewState & { start: number; end: number; maxScrollBack: number; latest: number; windowSeconds: number; pending: number };
  streams(): { name: string; size: number; capacity: number; firstT: number; lastT: number; markers: object[] }[];
  notices(): Notice[];
  /** The legend entries a chart shows now. */
  legend(name: string): string[];
  /** `no-pmu` when the panel leads with the software events and packet counters. */
  layout(): 'normal' | 'no-pmu';
  /** The state-change and restart lines drawn on the time-series charts. */
  markers(): MarkerLine[];
}

function hostFacts(streams: StreamHistory[], perf: PerfFacts | null): HostFacts {
  const frames = streams.map((s) => s.newest).filter((f): f is Frame => f !== undefined);
  const hw = new Set<string>();
  const sw = new Set<string>();
  const notSupported = new Set<string>();
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
  // Events the probe dropped before counting never show up in a frame: perf said so then.
  for (const e of perf?.unsupported ?? []) {
    notSupported.add(e);
    if (!isSoftwareEvent(e)) hw.add(e);
  }
  for (const e of perf?.refused ?? []) if (!isSoftwareEvent(e)) hw.add(e);
  // perf's own <not supported> in the stream (a replayed no-PMU run) says the same.
  if (!hardwareCounted) for (const e of hw) if (!(perf?.refused ?? []).includes(e)) notSupported.add(e);
  const hardwareMissing = nothingCounted ? [] : [...hw];
  const refused = (perf?.refused ?? []).filter((e) => !isSoftwareEvent(e));
  const noPmuLayout = !hardwareCounted && !nothingCounted && hardwareMissing.length > 0 && (frames.length > 0 || perf !== null);
  const packets = streams.some((s) => s.hasCounted({ kind: 'packets', key: 'pps' }));
  return { frames, hardwareMissing, notSupported, refused, noPmuLayout, packets, noHardware: !hardwareCounted, softwareMissing: [...sw], nothingCounted, multiplexed };
}

/** One notice for a host whose perf counts no hardware event: what is missing, what still counts, how to get the rest. */
function noPmuNotice(f: HostFacts, paranoid: number | null): Notice {
  const unsupported = f.hardwareMissing.filter((e) => f.notSupported.has(e));
  const refused = f.hardwareMissing.filter((e) => f.refused.includes(e));
  const counts = f.packets ? "the router's packet counters and the software events" : 'the software events';
  const why =
    unsupported.length > 0 && refused.length === 0
      ? `perf reports <not supported> for all ${unsupported.length} hardware events`
      : refused.length > 0 && unsupported.length === 0
        ? `perf was refused the ${refused.length} hardware events${paranoid !== null ? ` (perf_event_paranoid is ${paranoid})` : ''}`
        : `perf counts none of the ${f.hardwareMissing.length} hardware events`;
  const fix: string[] = [];
  if (unsupported.length > 0 || refused.length === 0) fix.push('give the VM a virtual PMU (KVM/libvirt: CPU mode host-passthrough; VMware: "virtualize CPU performance counters") or run on bare metal');
  if (refused.length > 0) fix.push('lower kernel.perf_event_paranoid (sudo sysctl kernel.perf_event_paranoid=1) or run perf as root');
  return {
    id: 'no-pmu',
    level: 'warning',
    text: `No hardware counters on this host: ${why}. Shown first: ${counts}. State, loss regime and scenario need cycles, caches and TLB counts: ${fix.join('; or ')}.`,
    detail: `${unsupported.length > 0 ? `Not supported: ${unsupported.join(', ')}. ` : ''}${refused.length > 0 ? `Refused: ${refused.join(', ')}. ` : ''}The Computation, Caches and TLB charts are hidden until they count.`,
  };
}

function emptyReason(g: ChartGroup, f: HostFacts, anyData: boolean): string {
  if (!anyData) return 'Waiting for the first interval…';
  const names = g.series.map((s) => s.label);
  const rateKeys = g.series.filter((s) => s.kind === 'rate').map((s) => s.key);
  const missing = new Set([...f.hardwareMissing, ...f.softwareMissing]);
  if (g.id === 'cost') return f.packets ? 'No packet counts in this time window.' : "No packet counts: the router's counters were not read in this session.";
  if (rateKeys.length > 0 && rateKeys.every((k) => missing.has(k))) {
    return rateKeys.every((k) => f.notSupported.has(k)) ? `perf reported <not supported> on this host for ${names.join(', ')} (no hardware PMU, as in most VMs).` : `Not counted on this host: ${names.join(', ')}.`;
  }
  const present = f.frames.some((fr) => rateKeys.some((k) => k in fr.rates));
  if (present) return 'No data in this time window.';
  const partlyMissing = rateKeys.filter((k) => missing.has(k));
  return partlyMissing.length > 0 ? `Not counted on this host: ${partlyMissing.join(', ')}; the others are not in this session's event list.` : `Not in this session's event list: ${names.join(', ')}.`;
}

/** The packet figures of interval i, or null when the router reported none then. */
function packetsAt(s: StreamHistory, i: number): PacketsAt | null {
  const v: Record<string, number | null> = {};
  for (const k of PACKET_FIELDS) {
    const x = s.valueOf({ kind: 'packets', key: k }, i);
    v[k] = Number.isNaN(x) ? null : x;
  }
  if (v['pps'] === null) return null;
  return {
    t: s.tAt(i),
    pps: v['pps']!,
    txPps: v['txPps'] ?? 0,
    dropsPerSecond: v['dropsPerSecond'] ?? 0,
    dropRatio: v['dropRatio'] ?? null,
    bps: v['bps'] ?? null,
    cyclesPerPacket: v['cyclesPerPacket'] ?? null,
    instructionsPerPacket: v['instructionsPerPacket'] ?? null,
    cpuNsPerPacket: v['cpuNsPerPacket'] ?? null,
  };
}

function list(items: string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function sanitizeSettings(s: PanelSettings | undefined): PanelSettings {
  const w = s?.windowSeconds;
  return { windowSeconds: typeof w === 'number' && Number.isFinite(w) && w > 0 ? Math.min(w, 86_400) : DEFAULT_WINDOW_SECONDS };
}
