import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip } from 'chart.js';
import type { Theme } from './theme.ts';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

/** Streaming data: no animation, ever (it would only lag behind the data and cost frames). */
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.responsive = true;

export function applyThemeDefaults(t: Theme): void {
  Chart.defaults.color = t.foreground;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.font.family = t.fontFamily;
  Chart.defaults.font.size = Math.max(10, t.fontSize - 2);
}

export function cssFont(t: Theme): string {
  return `${Math.max(10, t.fontSize - 2)}px ${t.fontFamily}`;
}

/** Dash pattern of the n-th stream: streams differ by line style, series by colour. */
const DASHES: number[][] = [[], [6, 3], [2, 2], [10, 3, 2, 3], [1, 4], [12, 6]];
export function streamDash(order: number): number[] {
  return DASHES[order % DASHES.length]!;
}

export { Chart };

interface ThemedScale {
  ticks?: object;
  grid?: object;
  border?: object;
  title?: object;
}

/**
 * Writes the theme's colours into a chart's own options. Chart.js resolves and caches
 * options from its defaults, so changing the defaults alone does not recolour
 * existing charts when the user switches themes. Properties are assigned one by one:
 * the resolved option objects are proxies that must not be copied.
 */
export function themeChart(chart: Chart, t: Theme): void {
  const o = chart.options;
  const patch = (target: object | undefined, values: object) => {
    if (target) Object.assign(target, values);
  };
  for (const s of Object.values((o.scales ?? {}) as Record<string, ThemedScale>)) {
    patch(s.ticks, { color: t.foreground });
    patch(s.grid, { color: t.grid });
    patch(s.border, { color: t.grid });
    patch(s.title, { color: t.muted });
  }
  const legend = o.plugins?.legend;
  if (legend) {
    patch(legend.labels, { color: t.foreground });
    patch(legend.title, { color: t.muted });
  }
}
