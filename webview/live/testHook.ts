import type { Chart } from './chartSetup.ts';
import type { History } from './history.ts';
import type { Notice } from './notices.ts';
import type { Layout } from './panelLayout.ts';
import type { PanelWidgets } from './panelWidgets.ts';
import { markerLines, type MarkerLine } from './plugins.ts';
import type { ViewState } from './viewState.ts';

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
  layout(): Layout;
  /** The state-change and restart lines drawn on the time-series charts. */
  markers(): MarkerLine[];
}

/** What the hook reads from the panel besides its widgets. */
export interface HookSource {
  renderNow(): void;
  renders(): number;
  lastRenderMs(): number;
  view(): ReturnType<PanelTestHook['view']>;
  history(): History;
}

/** Read-only view for tests and diagnostics (see webview/README.md). */
export function panelTestHook(w: PanelWidgets, p: HookSource): PanelTestHook {
  const charts: Record<string, ChartHandle> = {};
  for (const c of w.timeSeries) charts[c.group.id] = c.chart as unknown as ChartHandle;
  charts['pca'] = w.pca.chart as unknown as ChartHandle;
  charts['similarity'] = w.similarity.chart as unknown as ChartHandle;
  return {
    charts,
    renderNow: () => p.renderNow(),
    renders: () => p.renders(),
    lastRenderMs: () => p.lastRenderMs(),
    view: () => p.view(),
    streams: () => [...p.history().streams.values()].map((s) => ({ name: s.name, size: s.size, capacity: s.capacity, firstT: s.firstT, lastT: s.lastT, markers: s.markers.map((m) => ({ ...m })) })),
    notices: () => w.notices.visible.map((n) => ({ ...n })),
    legend: (name) => {
      const c = charts[name] as unknown as { legend?: { legendItems?: { text: string }[] } } | undefined;
      return (c?.legend?.legendItems ?? []).map((i) => i.text);
    },
    layout: () => w.layout.layout ?? 'normal',
    markers: () => (markerLines.get(w.layout.chart('os').chart as unknown as Chart)?.lines ?? []).map((m) => ({ ...m })),
  };
}
