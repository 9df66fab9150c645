import type { ChartDataset } from 'chart.js';
import type { ChartAxis, ChartGroup, ChartSeries } from '../../src/core/ui/chartGroups.ts';
import { formatPps } from '../../src/core/ui/packetText.ts';
import { Chart, cssFont, streamDash, themeChart } from './chartSetup.ts';
import { BucketCache, seriesWindow, type XY } from './decimate.ts';
import { h, setHidden, setText } from './dom.ts';
import { seconds, si, tickSeconds } from './format.ts';
import { SERIES_INDEX, seriesId } from './columns.ts';
import type { StreamHistory } from './streamHistory.ts';
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
  series: ChartSeries;
  column: number;
  /** Drawn on the right, linear axis. */
  right: boolean;
  points: XY[];
  buckets: BucketCache;
}

/**
 * One group of the paper (computation, caches, TLB), the OS group or the cost per
 * packet: counts on a log axis, ratios, CPU time and packet rates on a linear one.
 * The legend names only the series the session has values of.
 */
export class TimeSeriesChart {
  readonly root: HTMLElement;
  readonly chart: Chart<'line', XY[]>;
  private readonly overlay: HTMLElement;
  private slots: Slot[] = [];
  private streamsKey: string | null = null;
  private readonly hasRight: boolean;
  /** Datasets whose series the stream has had values of: the legend lists only these. */
  private readonly shown = new Set<number>();

  constructor(
    readonly group: ChartGroup,
    private theme: Theme,
  ) {
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `${group.title} counters over time` } });
    this.overlay = h('div', { class: 'chart-overlay', attrs: { role: 'note' } });
    this.overlay.hidden = true;
    this.root = h('section', { class: 'card chart-card', attrs: { 'data-group': group.id } }, [h('h3', { text: group.title }), h('div', { class: 'chart-box' }, [canvas, this.overlay])]);
    this.hasRight = group.series.some((s) => s.axis === 'y1');
    const y1 = group.axes.y1 ?? { title: '', ticks: 'plain' };
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
          y: { type: 'logarithmic', position: 'left', title: { display: true, text: group.axes.y.title }, ticks: { callback: (v) => decadeLabel(Number(v)) } },
          y1: { type: 'linear', position: 'right', display: false, min: 0, grid: { drawOnChartArea: false }, title: { display: true, text: y1.title }, ticks: { callback: (v) => tick(y1, Number(v)) } },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { boxWidth: 18, boxHeight: 2, padding: 8, filter: (item) => this.shown.has(item.datasetIndex ?? -1) } },
          tooltip: {
            animation: false,
            callbacks: {
              title: (items) => (items[0] ? `t = ${seconds(items[0].parsed.x ?? NaN)}` : ''),
              label: (item) => {
                const axis = this.slots[item.datasetIndex]?.right ? y1 : group.axes.y;
                return `${item.dataset.label ?? ''}: ${axis.ticks === 'mpps' ? formatPps(item.parsed.y ?? NaN) : si(item.parsed.y ?? NaN)}`;
              },
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
    this.shown.clear();
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[k]!;
      const h = s.stream;
      const counted = h.counted[s.column] === 1 && !(s.series.unless !== undefined && h.hasCounted({ kind: s.series.kind, key: s.series.unless }));
      if (!counted) {
        // Never counted (not asked for, or not supported here), or a fallback not needed: no line, no legend entry.
        if (datasets[k]!.data.length > 0) datasets[k]!.data = s.points = [];
        continue;
      }
      this.shown.add(k);
      const i0 = Math.max(0, h.lowerBound(w.start) - 1);
      const i1 = Math.min(h.size, h.atOrBefore(w.end) + 2);
      const win = seriesWindow(h, s.column, i0, i1, maxPoints, s.points, s.buckets);
      // The same array every time: Chart.js re-reads it on update (parsing: false).
      if (datasets[k]!.data !== s.points) datasets[k]!.data = s.points;
      drawn += win.count;
      if (win.count === 0) continue;
      if (s.right) {
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
    y1.display = this.hasRight && dMax > 0;
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
        this.slots.push({ stream: s, series: ser, column: SERIES_INDEX.get(seriesId(ser))!, right: ser.axis === 'y1', points: [], buckets: new BucketCache() });
        // Drops are red wherever they are drawn.
        const color = ser.key === 'dropsPerSecond' ? t.red : t.palette[i % t.palette.length]!;
        datasets.push({
          label: multi ? `${ser.label} · ${s.name || 'default'}` : ser.label,
          data: [],
          yAxisID: ser.axis,
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

function tick(axis: ChartAxis, v: number): string {
  if (axis.ticks === 'mpps') return trimNumber(v / 1e6);
  if (axis.ticks === 'si') return si(v);
  return trimNumber(v);
}

function trimNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
