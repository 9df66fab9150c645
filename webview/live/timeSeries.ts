import type { ChartDataset } from 'chart.js';
import type { ChartGroup } from '../../src/core/ui/chartGroups.ts';
import { Chart, cssFont, streamDash, themeChart } from './chartSetup.ts';
import { BucketCache, seriesWindow, type XY } from './decimate.ts';
import { h, setHidden, setText } from './dom.ts';
import { seconds, si, tickSeconds } from './format.ts';
import { SERIES_INDEX, type StreamHistory } from './history.ts';
import type { MarkerLine } from './plugins.ts';
import { markerLines, stateMarkersPlugin } from './plugins.ts';
import type { Theme } from './theme.ts';

export interface TimeWindow {
  start: number;
  end: number;
  streams: StreamHistory[];
  markers: MarkerLine[];
  /** Shown over an empty chart: why there is nothing to draw. */
  emptyReason: string;
}

interface Slot {
  stream: StreamHistory;
  column: number;
  derived: boolean;
  points: XY[];
  buckets: BucketCache;
}

/** One group of the paper (computation, caches, TLB) or the OS group: rates on a log axis, ratios on a linear one. */
export class TimeSeriesChart {
  readonly root: HTMLElement;
  readonly chart: Chart<'line', XY[]>;
  private readonly overlay: HTMLElement;
  private slots: Slot[] = [];
  private streamsKey: string | null = null;
  private readonly hasDerived: boolean;

  constructor(
    readonly group: ChartGroup,
    private theme: Theme,
  ) {
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `${group.title} counters over time` } });
    this.overlay = h('div', { class: 'chart-overlay', attrs: { role: 'note' } });
    this.overlay.hidden = true;
    this.root = h('section', { class: 'card chart-card', attrs: { 'data-group': group.id } }, [h('h3', { text: group.title }), h('div', { class: 'chart-box' }, [canvas, this.overlay])]);
    this.hasDerived = group.series.some((s) => s.kind === 'derived');
    this.chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [stateMarkersPlugin],
      options: {
        parsing: false,
        normalized: true,
        spanGaps: false,
        events: ['mousemove', 'mouseout', 'click'],
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hitRadius: 4 }, line: { tension: 0 } },
        scales: {
          x: { type: 'linear', ticks: { maxRotation: 0, includeBounds: false, callback: (v) => tickSeconds(Number(v)) } },
          y: { type: 'logarithmic', position: 'left', title: { display: true, text: 'per second' }, ticks: { callback: (v) => decadeLabel(Number(v)) } },
          y1: { type: 'linear', position: 'right', display: false, min: 0, grid: { drawOnChartArea: false }, title: { display: true, text: 'IPC' } },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { boxWidth: 18, boxHeight: 2, padding: 8 } },
          tooltip: {
            animation: false,
            callbacks: {
              title: (items) => (items[0] ? `t = ${seconds(items[0].parsed.x ?? NaN)}` : ''),
              label: (item) => `${item.dataset.label ?? ''}: ${si(item.parsed.y ?? NaN)}`,
            },
          },
        },
      },
    });
  }

  setTheme(t: Theme): void {
    this.theme = t;
    this.streamsKey = null; // rebuild datasets with the new colours
  }

  update(w: TimeWindow): void {
    this.ensureDatasets(w.streams);
    // A minimum and a maximum per two pixel columns: spikes stay visible, finer detail would not show.
    const maxPoints = Math.max(200, Math.floor(this.chart.width || 600));
    let minPos = NaN;
    let max = NaN;
    let dMax = NaN;
    let drawn = 0;
    const datasets = this.chart.data.datasets;
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[k]!;
      const h = s.stream;
      const i0 = Math.max(0, h.lowerBound(w.start) - 1);
      const i1 = Math.min(h.size, h.atOrBefore(w.end) + 2);
      const win = seriesWindow(h, s.column, i0, i1, maxPoints, s.points, s.buckets);
      // The same array every time: Chart.js re-reads it on update (parsing: false).
      if (datasets[k]!.data !== s.points) datasets[k]!.data = s.points;
      drawn += win.count;
      if (win.count === 0) continue;
      if (s.derived) {
        if (!(win.max <= dMax)) dMax = win.max;
      } else {
        if (win.minPositive > 0 && !(win.minPositive >= minPos)) minPos = win.minPositive;
        if (!(win.max <= max)) max = win.max;
      }
    }
    const o = this.chart.options;
    const x = o.scales!['x']!;
    x.min = w.start;
    x.max = w.end;
    const y = o.scales!['y']!;
    const lo = minPos > 0 ? 10 ** Math.floor(Math.log10(minPos)) : 1;
    let hi = max > 0 ? 10 ** Math.ceil(Math.log10(max)) : 10;
    if (hi <= lo) hi = lo * 10;
    y.min = lo;
    y.max = hi;
    const y1 = o.scales!['y1']!;
    y1.display = this.hasDerived && dMax > 0;
    y1.max = dMax > 0 ? niceCeil(dMax) : 1;
    markerLines.set(this.chart as unknown as Chart, { lines: w.markers, font: cssFont(this.theme) });
    setHidden(this.overlay, drawn > 0);
    if (drawn === 0) setText(this.overlay, w.emptyReason);
    this.chart.update('none');
  }

  private ensureDatasets(streams: StreamHistory[]): void {
    // Keyed by identity: a new init brings new histories for the same stream names.
    const key = streams.map((s) => s.id).join(',');
    if (key === this.streamsKey) return;
    this.streamsKey = key;
    const multi = streams.length > 1;
    const t = this.theme;
    this.slots = [];
    const datasets: ChartDataset<'line', XY[]>[] = [];
    for (const s of streams) {
      this.group.series.forEach((ser, i) => {
        this.slots.push({ stream: s, column: SERIES_INDEX.get(ser.key)!, derived: ser.kind === 'derived', points: [], buckets: new BucketCache() });
        const color = t.palette[i % t.palette.length]!;
        datasets.push({
          label: multi ? `${ser.label} · ${s.name || 'default'}` : ser.label,
          data: [],
          yAxisID: ser.kind === 'derived' ? 'y1' : 'y',
          borderColor: color,
          backgroundColor: color,
          borderWidth: t.lineWidth,
          borderDash: streamDash(s.order),
          pointRadius: 0,
        });
      });
    }
    this.chart.data.datasets = datasets;
    themeChart(this.chart as unknown as Chart, t);
  }
}

/** Log axes label the decades only (1k, 10k, 100k …); the gridlines in between stay unlabelled. */
function decadeLabel(v: number): string {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? si(v) : '';
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
