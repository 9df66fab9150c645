import type { Chart, ChartType, Plugin } from 'chart.js';

/** Vertical lines where the router's state changed (or perf restarted), on every time-series chart. */
export interface MarkerLine {
  t: number;
  color: string;
  label: string;
  dashed: boolean;
}

export interface StateMarkers {
  lines: MarkerLine[];
  font: string;
}

/**
 * The lines each chart draws. Kept outside the chart's options on purpose: Chart.js
 * resolves options through proxies on every update and caches the resolvers, so a
 * fresh list of a thousand markers in the options at ten updates a second costs
 * time and memory that grow with the session.
 */
export const markerLines = new WeakMap<Chart, StateMarkers>();

declare module 'chart.js' {
  // The type parameter must repeat Chart.js's declaration for the interfaces to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    vnfCalibration?: { count: number };
  }
}

/** Label widths by font and text: a session has few distinct labels, measuring them every frame is waste. */
const labelWidths = new Map<string, number>();

export const stateMarkersPlugin: Plugin<'line'> = {
  id: 'vnfStateMarkers',
  afterDatasetsDraw(chart: Chart) {
    const opts = markerLines.get(chart);
    const lines = opts?.lines;
    if (!opts || !lines || lines.length === 0) return;
    const x = chart.scales['x'];
    if (!x) return;
    const { top, bottom, left, right } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = opts.font;
    ctx.textBaseline = 'top';
    ctx.lineWidth = 1.5;
    // One path per colour and style; a line per pixel column is enough.
    const paths = new Map<string, { color: string; dashed: boolean; xs: number[] }>();
    const labels: { px: number; m: MarkerLine }[] = [];
    let lastPx = NaN;
    for (const m of lines) {
      const px = Math.round(x.getPixelForValue(m.t)) + 0.5;
      if (!(px >= left && px <= right) || px === lastPx) continue;
      lastPx = px;
      const key = `${m.color}|${m.dashed}`;
      let p = paths.get(key);
      if (!p) paths.set(key, (p = { color: m.color, dashed: m.dashed, xs: [] }));
      p.xs.push(px);
      labels.push({ px, m });
    }
    for (const p of paths.values()) {
      ctx.strokeStyle = p.color;
      ctx.setLineDash(p.dashed ? [4, 3] : []);
      ctx.beginPath();
      for (const px of p.xs) {
        ctx.moveTo(px, top);
        ctx.lineTo(px, bottom);
      }
      ctx.stroke();
    }
    // Labels that would overlap the previous one are left out; the line is enough.
    let lastLabelRight = -Infinity;
    for (const { px, m } of labels) {
      if (px + 3 <= lastLabelRight + 2) continue;
      const wKey = `${opts.font}|${m.label}`;
      let w = labelWidths.get(wKey);
      if (w === undefined) {
        w = ctx.measureText(m.label).width;
        if (labelWidths.size < 1024) labelWidths.set(wKey, w);
      }
      const lx = px + 3 + w > right ? px - 3 - w : px + 3;
      if (lx > lastLabelRight + 2) {
        ctx.fillStyle = m.color;
        ctx.fillText(m.label, lx, top + 2);
        lastLabelRight = lx + w;
      }
    }
    ctx.restore();
  },
};

/** Calibration points of one colour and shape, x/y interleaved. */
export interface CalibrationGroup {
  /** The legend-only dataset standing for the group: hiding it in the legend hides the points. */
  datasetIndex: number;
  color: string;
  border: string;
  lossy: boolean;
  radius: number;
  xy: Float64Array;
}

export interface CalibrationLayer {
  polygon: [number, number][] | null;
  /** The legend entry of the region: hiding it there hides the polygon. */
  regionDatasetIndex: number;
  fill: string;
  stroke: string;
  groups: CalibrationGroup[];
  /** Bumped when any of the above changes. */
  version: number;
}

/**
 * The static part of the PCA plane (lossy region and thousands of calibration points)
 * drawn once into an offscreen bitmap and blitted on every frame; only the live point
 * and its trail (ordinary datasets) are drawn anew. Redrawn when the scales, the size,
 * the theme or the legend selection change.
 */
export function calibrationLayerPlugin(layer: () => CalibrationLayer): Plugin<'scatter'> {
  const cache = document.createElement('canvas');
  let key = '';
  return {
    id: 'vnfCalibration',
    beforeDatasetsDraw(chart: Chart) {
      const x = chart.scales['x'];
      const y = chart.scales['y'];
      if (!x || !y) return;
      const l = layer();
      const a = chart.chartArea;
      const dpr = chart.currentDevicePixelRatio;
      const showRegion = l.polygon !== null && l.polygon.length >= 3 && chart.isDatasetVisible(l.regionDatasetIndex);
      const visible = `${showRegion ? 1 : 0}${l.groups.map((g) => (chart.isDatasetVisible(g.datasetIndex) ? 1 : 0)).join('')}`;
      const k = [l.version, x.min, x.max, y.min, y.max, a.left, a.top, a.right, a.bottom, dpr, visible].join();
      const w = Math.max(1, Math.round((a.right - a.left) * dpr));
      const h = Math.max(1, Math.round((a.bottom - a.top) * dpr));
      if (k !== key) {
        key = k;
        cache.width = w;
        cache.height = h;
        const c = cache.getContext('2d');
        if (!c) return;
        c.setTransform(dpr, 0, 0, dpr, -a.left * dpr, -a.top * dpr);
        const px = (v: number) => x.getPixelForValue(v);
        const py = (v: number) => y.getPixelForValue(v);
        if (showRegion && l.polygon) {
          c.beginPath();
          l.polygon.forEach(([vx, vy], i) => (i === 0 ? c.moveTo(px(vx), py(vy)) : c.lineTo(px(vx), py(vy))));
          c.closePath();
          c.fillStyle = l.fill;
          c.fill();
          c.setLineDash([5, 4]);
          c.lineWidth = 1;
          c.strokeStyle = l.stroke;
          c.stroke();
          c.setLineDash([]);
        }
        for (const g of l.groups) {
          if (!chart.isDatasetVisible(g.datasetIndex)) continue;
          c.beginPath();
          const r = g.radius;
          for (let i = 0; i < g.xy.length; i += 2) {
            const cx = px(g.xy[i]!);
            const cy = py(g.xy[i + 1]!);
            if (g.lossy) {
              c.moveTo(cx, cy - r * 1.15);
              c.lineTo(cx + r, cy + r * 0.6);
              c.lineTo(cx - r, cy + r * 0.6);
              c.closePath();
            } else {
              c.moveTo(cx + r, cy);
              c.arc(cx, cy, r, 0, Math.PI * 2);
            }
          }
          c.fillStyle = g.color;
          c.fill();
          c.lineWidth = 0.5;
          c.strokeStyle = g.border;
          c.stroke();
        }
      }
      chart.ctx.drawImage(cache, a.left, a.top, a.right - a.left, a.bottom - a.top);
    },
  };
}
