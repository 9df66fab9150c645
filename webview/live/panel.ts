import type { Frame, ModelView, PanelSettings, PerfFacts, SessionInfo, ToWebview } from '../../src/protocol.ts';
import { applyThemeDefaults } from './chartSetup.ts';
import type { ControlsState } from './controls.ts';
import { History } from './history.ts';
import type { Host } from './host.ts';
import { PanelWidgets } from './panelWidgets.ts';
import type { StreamHistory } from './streamHistory.ts';
import { panelTestHook, type PanelTestHook } from './testHook.ts';
import { readTheme, type Theme } from './theme.ts';
import { DEFAULT_WINDOW_SECONDS, initialView, persistedState, restoredView, sanitizeSettings, viewWindow, type ViewState, type ViewWindow } from './viewState.ts';

/**
 * The live panel: receives the extension's messages, keeps the session's history and
 * the user's view of it, and schedules renders (panelWidgets.ts draws them). Rendering
 * happens at most once per animation frame, only while the panel is visible and not
 * paused; incoming frames are always kept.
 */
export class LivePanel {
  private history = new History([]);
  private session: SessionInfo | null = null;
  private model: ModelView | null = null;
  private settings: PanelSettings = { windowSeconds: DEFAULT_WINDOW_SECONDS };
  private view: ViewState = initialView();
  private pending = 0;
  private theme: Theme;
  private themeVersion = 0;
  private frameRequest = 0;
  private force = false;
  private perf: PerfFacts | null = null;
  private renderedKey = '';
  renders = 0;
  lastRenderMs = 0;

  readonly widgets: PanelWidgets;

  constructor(
    private readonly host: Host,
    root: HTMLElement,
  ) {
    this.theme = readTheme();
    applyThemeDefaults(this.theme);
    this.widgets = new PanelWidgets(root, this.theme, {
      onPause: (paused) => this.setPaused(paused),
      onScroll: (back) => this.scrollTo(back),
      onStream: (stream) => {
        this.view.stream = stream;
        this.persist();
        this.renderSoon(true);
      },
      onGroup: (group) => {
        this.view.group = group;
        this.persist();
        this.renderSoon(true);
      },
    });
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
          this.widgets.controls.update(this.controlsState(this.viewWindow()));
        } else this.renderSoon();
        break;
      }
      case 'status':
        if (this.session) this.session = { ...this.session, status: m.status, ...(m.reason !== undefined ? { statusReason: m.reason } : {}) };
        this.widgets.controls.setStatus(m.status, m.reason);
        break;
      case 'pids':
        if (this.session) {
          this.session = { ...this.session, pids: m.pids };
          this.widgets.controls.setSession(this.session);
        }
        break;
      case 'notice':
        this.widgets.notices.addHost(m.level, m.text);
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
        this.widgets.abCard.update(m.ab);
        break;
      case 'cost':
        this.widgets.costCard.update(m.cost);
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
    this.widgets.setTheme(this.theme);
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
    this.pending = 0;
    const restored = restoredView(this.host.getState(), session.id, this.history.latestT);
    if (restored) this.view = restored;
    else if (!sameSession) this.view = initialView();
    this.widgets.setSession(session, model);
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
    if (this.session) this.host.setState(persistedState(this.session, this.view));
  }

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

  private viewWindow(): ViewWindow {
    return viewWindow(this.history, this.view, this.settings.windowSeconds);
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
    this.widgets.draw({
      window: w,
      history: this.history,
      streams,
      selected: this.selectedStream(streams),
      group: this.view.group,
      session: this.session,
      model: this.model,
      perf: this.perf,
      theme: this.theme,
      controls: this.controlsState(w),
    });
    this.renders++;
    this.lastRenderMs = performance.now() - t0;
  }

  private controlsState(w: ViewWindow): ControlsState {
    return {
      paused: this.view.paused,
      scrollBack: Math.min(this.view.scrollBack, w.maxBack),
      maxScrollBack: w.maxBack,
      hasData: this.history.version > 0,
      viewStart: w.start,
      viewEnd: w.end,
      pending: this.pending,
      streams: [...this.history.streams.keys()],
      stream: this.selectedStream([...this.history.streams.values()])?.name ?? null,
    };
  }

  private selectedStream(streams: StreamHistory[]): StreamHistory | undefined {
    return (this.view.stream !== null ? this.history.streams.get(this.view.stream) : undefined) ?? streams[0];
  }

  /** Read-only view for tests and diagnostics (see webview/README.md). */
  testHook(): PanelTestHook {
    return panelTestHook(this.widgets, {
      renderNow: () => this.renderNow(true),
      renders: () => this.renders,
      lastRenderMs: () => this.lastRenderMs,
      view: () => {
        const w = this.viewWindow();
        return { ...this.view, start: w.start, end: w.end, maxScrollBack: w.maxBack, latest: w.latest, windowSeconds: this.settings.windowSeconds, pending: this.pending };
      },
      history: () => this.history,
    });
  }
}
