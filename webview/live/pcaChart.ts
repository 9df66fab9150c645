import type { ChartDataset } from 'chart.js';
import type { ModelView } from '../../src/protocol.ts';
import { Chart, themeChart } from './chartSetup.ts';
import { h, setText } from './dom.ts';
import { calibrationLayerPlugin, type CalibrationGroup, type CalibrationLayer } from './plugins.ts';
import { ramp, withAlpha, type Theme } from './theme.ts';

interface Pt {
  x: number;
  y: number;
}

/** Index of the fixed datasets; legend entries of the calibration groups follow them. */
const REGION = 0;
const TRAIL = 1;
const NOW = 2;
const FIRST_GROUP = 3;

/**
 * The loss detector's plane (paper Sec. IV-B): calibration intervals in the first two
 * principal components coloured by offered rate, the lossy region, and the router's
 * live position with a short trail.
 */
export class PcaChart {
  readonly root: HTMLElement;
  readonly chart: Chart<'scatter', Pt[]>;
  private readonly caption: HTMLElement;
  private model: ModelView | null = null;
  private bounds = { x0: -1, x1: 1, y0: -1, y1: 1 };
  private layer: CalibrationLayer = { polygon: null, regionDatasetIndex: REGION, fill: 'transparent', stroke: 'transparent', groups: [], version: 0 };

  constructor(private theme: Theme) {
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': 'PCA plane of the loss detector with the live position' } });
    this.caption = h('p', { class: 'caption' });
    this.root = h('section', { class: 'card chart-card pca' }, [h('h3', { text: 'Loss regime: PCA plane' }), h('div', { class: 'chart-box tall' }, [canvas]), this.caption]);
    this.chart = new Chart<'scatter', Pt[]>(canvas, {
      type: 'scatter',
      data: { datasets: [] },
      plugins: [calibrationLayerPlugin(() => this.layer)],
      options: {
        parsing: false,
        events: ['mousemove', 'mouseout', 'click'],
        scales: { x: { type: 'linear', ticks: { includeBounds: false }, title: { display: true, text: 'PC1' } }, y: { type: 'linear', ticks: { includeBounds: false }, title: { display: true, text: 'PC2' } } },
        plugins: {
          legend: { position: 'right', labels: { usePointStyle: true, boxWidth: 8, padding: 6, filter: (item) => !item.text.endsWith('(lossy)') && (item.datasetIndex !== REGION || this.layer.polygon !== null) } },
          tooltip: { animation: false },
          vnfCalibration: { count: 0 },
        },
      },
    });
    this.rebuild();
  }

  setTheme(t: Theme): void {
    this.theme = t;
    this.rebuild();
  }

  setModel(model: ModelView | null): void {
    this.model = model;
    this.rebuild();
  }

  /** `trail` oldest first; the last point is now. */
  update(trail: [number, number][], note: string): void {
    const ds = this.chart.data.datasets;
    const pts = trail.map(([x, y]) => ({ x, y }));
    ds[TRAIL]!.data = pts.slice(0, -1);
    ds[NOW]!.data = pts.slice(-1);
    const b = { ...this.bounds };
    for (const p of pts) {
      b.x0 = Math.min(b.x0, p.x);
      b.x1 = Math.max(b.x1, p.x);
      b.y0 = Math.min(b.y0, p.y);
      b.y1 = Math.max(b.y1, p.y);
    }
    const px = (b.x1 - b.x0) * 0.05 || 1;
    const py = (b.y1 - b.y0) * 0.05 || 1;
    const s = this.chart.options.scales!;
    s['x']!.min = b.x0 - px;
    s['x']!.max = b.x1 + px;
    s['y']!.min = b.y0 - py;
    s['y']!.max = b.y1 + py;
    setText(this.caption, note);
    this.chart.update('none');
  }

  private rebuild(): void {
    const t = this.theme;
    const pca = this.model?.pca ?? null;
    const regionFill = withAlpha(t.red, t.kind.startsWith('high-contrast') ? 0.25 : 0.12);
    const datasets: ChartDataset<'scatter', Pt[]>[] = [
      { label: 'lossy region', data: [], backgroundColor: regionFill, borderColor: t.red, borderWidth: 1, pointStyle: 'rect' },
      // The live trail in the full foreground colour: a faded foreground is the same grey as idle calibration points in dark themes.
      { label: 'live (trail)', data: [], showLine: true, borderColor: t.foreground, backgroundColor: t.foreground, borderWidth: 1, pointRadius: 2, order: -1 },
      { label: 'now', data: [], backgroundColor: t.foreground, borderColor: t.background, borderWidth: 2, pointRadius: 7, pointHoverRadius: 8, pointStyle: 'circle', order: -2 },
    ];
    if (!pca?.lossyRegion) datasets[REGION]!.hidden = true;
    // One dataset per (rate, lossy): uniform styles let Chart.js share options across points.
    const groups = new Map<string, { rate: number | null; lossy: boolean; pts: Pt[] }>();
    for (const p of pca?.points ?? []) {
      const key = `${p.rate}|${p.lossy === true}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { rate: p.rate, lossy: p.lossy === true, pts: [] }));
      g.pts.push({ x: p.x, y: p.y });
    }
    const rates = [...new Set([...groups.values()].map((g) => g.rate))].filter((r): r is number => r !== null && r > 0).sort((a, b) => a - b);
    const rampColors = [t.blue, t.green, t.yellow, t.orange, t.red];
    const rank = (r: number | null) => (r === 0 ? -1 : r === null ? Number.MAX_SAFE_INTEGER : r);
    const ordered = [...groups.values()].sort((a, b) => rank(a.rate) - rank(b.rate) || Number(a.lossy) - Number(b.lossy));
    const labelled = new Set<string>();
    const layerGroups: CalibrationGroup[] = [];
    for (const g of ordered) {
      const r = g.rate;
      const color = r === 0 ? t.muted : r === null ? t.purple : ramp(rampColors, rates.length > 1 ? rates.indexOf(r) / (rates.length - 1) : 0);
      const label = r === 0 ? 'idle (no traffic)' : r === null ? 'rate not labelled' : `${r} Mbit/s`;
      // Idle points are background: fainter than the rates, and far from the live point's colour.
      const alpha = r === 0 ? 0.45 : 0.75;
      const style = { backgroundColor: withAlpha(color, alpha), borderColor: withAlpha(color, alpha + 0.15), lossy: g.lossy, radius: g.lossy ? 3.5 : 2.5 };
      const xy = new Float64Array(g.pts.length * 2);
      g.pts.forEach((p, i) => {
        xy[2 * i] = p.x;
        xy[2 * i + 1] = p.y;
      });
      layerGroups.push({ datasetIndex: FIRST_GROUP + layerGroups.length, color: style.backgroundColor, border: style.borderColor, lossy: g.lossy, radius: style.radius, xy });
      // Legend entry only: the points themselves are drawn by the calibration layer.
      // The legend names each rate once; the marker shape (▲ lossy) is explained in the caption.
      datasets.push({ label: labelled.has(label) ? `${label} (lossy)` : label, data: [], backgroundColor: style.backgroundColor, borderColor: style.borderColor, borderWidth: 0.5, pointStyle: g.lossy ? 'triangle' : 'circle' });
      labelled.add(label);
    }
    this.layer = { polygon: pca?.lossyRegion ?? null, regionDatasetIndex: REGION, fill: regionFill, stroke: t.red, groups: layerGroups, version: this.layer.version + 1 };
    this.chart.data.datasets = datasets;
    const all = pca?.points ?? [];
    const xs = all.map((p) => p.x);
    const ys = all.map((p) => p.y);
    this.bounds = all.length > 0 ? { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) } : { x0: -1, x1: 1, y0: -1, y1: 1 };
    const o = this.chart.options;
    const ev = pca?.explained;
    o.scales!['x']!.title = { display: true, text: ev ? `PC1 (${Math.round(ev[0] * 100)} % of variance)` : 'PC1' };
    o.scales!['y']!.title = { display: true, text: ev ? `PC2 (${Math.round(ev[1] * 100)} % of variance)` : 'PC2' };
    themeChart(this.chart as unknown as Chart, t);
    o.plugins!.vnfCalibration = { count: pca?.points.length ?? 0 };
  }
}
