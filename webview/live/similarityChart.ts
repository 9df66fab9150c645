import type { ChartDataset } from 'chart.js';
import { splitScenarioLabel } from '../../src/core/ui/scenarioLabel.ts';
import type { ModelView } from '../../src/protocol.ts';
import { Chart, themeChart } from './chartSetup.ts';
import { h, setHidden, setText } from './dom.ts';
import { seconds } from './format.ts';
import type { SimilaritySnapshot } from './similarityRing.ts';
import type { Theme } from './theme.ts';

interface Pt {
  x: number;
  y: number | null;
}

interface Curve {
  size: string;
  /** Index into the snapshot's values and the rate, by rate. */
  points: { index: number; rate: number; label: string }[];
}

export type Scenario = ModelView['scenarios'][number];

/**
 * The paper's Fig. 9: cosine similarity of the newest fingerprint to every calibrated
 * scenario, rate on x, one curve per packet size, for one router group at a time.
 */
export class SimilarityChart {
  readonly root: HTMLElement;
  readonly chart: Chart<'line', Pt[]>;
  readonly select: HTMLSelectElement;
  private readonly caption: HTMLElement;
  private curvesByGroup = new Map<string, Curve[]>();
  private labels: readonly string[] = [];
  private shownGroup: string | null = null;
  private unplotted = 0;

  constructor(
    private theme: Theme,
    onGroup: (group: string | null) => void,
  ) {
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': 'Similarity of the newest fingerprint to each known scenario' } });
    this.select = h('select', { attrs: { 'aria-label': 'Router of the scenarios' } });
    this.select.hidden = true;
    this.select.addEventListener('change', () => onGroup(this.select.value === '' ? null : this.select.value));
    this.caption = h('p', { class: 'caption' });
    this.root = h('section', { class: 'card chart-card similarity' }, [h('div', { class: 'card-head' }, [h('h3', { text: 'Scenario similarity' }), this.select]), h('div', { class: 'chart-box tall' }, [canvas]), this.caption]);
    this.chart = new Chart<'line', Pt[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        events: ['mousemove', 'mouseout', 'click'],
        layout: { padding: { right: 10, top: 4 } },
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'offered rate (Mbit/s)' } },
          y: { type: 'linear', min: -1, max: 1, title: { display: true, text: 'cosine similarity' } },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { usePointStyle: true, boxWidth: 8 } },
          tooltip: { animation: false, callbacks: { label: (item) => `${item.dataset.label ?? ''} B @ ${item.parsed.x} Mbit/s: ${(item.parsed.y ?? NaN).toFixed(3)}` } },
        },
      },
    });
    themeChart(this.chart as unknown as Chart, theme);
  }

  setTheme(t: Theme): void {
    this.theme = t;
    this.shownGroup = null;
    this.chart.data.datasets = [];
    themeChart(this.chart as unknown as Chart, t);
  }

  /** The scenarios in the order of the snapshot values. */
  setScenarios(labels: readonly string[], model: ModelView | null): void {
    this.labels = labels;
    const known = new Map<string, Scenario>((model?.scenarios ?? []).map((s) => [s.label, s]));
    const groups = new Map<string, Map<string, Curve>>();
    this.unplotted = 0;
    labels.forEach((label, index) => {
      const s = known.get(label);
      const p = splitScenarioLabel(label);
      const rate = s?.rate ?? p.rate;
      const size = s?.size ?? p.size;
      const group = s?.group ?? p.group ?? '';
      if (rate === null || size === null) {
        this.unplotted++;
        return;
      }
      let g = groups.get(group);
      if (!g) groups.set(group, (g = new Map()));
      let c = g.get(size);
      if (!c) g.set(size, (c = { size, points: [] }));
      c.points.push({ index, rate, label });
    });
    this.curvesByGroup = new Map(
      [...groups].map(([g, curves]) => {
        const list = [...curves.values()].sort((a, b) => sizeOrder(a.size) - sizeOrder(b.size) || a.size.localeCompare(b.size));
        for (const c of list) c.points.sort((a, b) => a.rate - b.rate);
        return [g, list];
      }),
    );
    const rates = [...this.curvesByGroup.values()].flatMap((cs) => cs.flatMap((c) => c.points.map((p) => p.rate)));
    const x = this.chart.options.scales!['x']!;
    x.min = 0;
    x.max = rates.length > 0 ? Math.max(...rates) : 1;
    this.select.replaceChildren(h('option', { text: 'router of the best match', attrs: { value: '' } }), ...[...this.curvesByGroup.keys()].filter((g) => g !== '').map((g) => h('option', { text: g, attrs: { value: g } })));
    setHidden(this.select, this.curvesByGroup.size < 2);
    this.shownGroup = null;
    this.chart.data.datasets = [];
  }

  /** `choice` null: the group of the matched scenario (or of the highest similarity); `emptyText` says why there is nothing to draw. */
  update(snap: SimilaritySnapshot | null, choice: string | null, multiStream: boolean, emptyText: string): void {
    if (this.select.value !== (choice ?? '')) this.select.value = choice ?? '';
    if (!snap || this.labels.length === 0) {
      this.chart.data.datasets.forEach((d) => (d.data = []));
      setText(this.caption, emptyText);
      this.chart.update('none');
      return;
    }
    const group = choice !== null && this.curvesByGroup.has(choice) ? choice : this.autoGroup(snap);
    if (group !== this.shownGroup) this.buildDatasets(group);
    const curves = this.curvesByGroup.get(group) ?? [];
    curves.forEach((c, k) => {
      const ds = this.chart.data.datasets[k]!;
      ds.data = c.points.map((p) => ({ x: p.rate, y: Number.isNaN(snap.values[p.index]!) ? null : snap.values[p.index]! }));
      ds.pointRadius = c.points.map((p) => (p.label === snap.best ? 7 : 3));
      ds.pointBorderWidth = c.points.map((p) => (p.label === snap.best ? 2 : 1));
    });
    const where = multiStream ? ` of ${snap.stream || 'default'}` : '';
    const best = snap.best ? ` Large point: the matched scenario (${snap.best}).` : ' No scenario matched.';
    const skipped = this.unplotted > 0 ? ` ${this.unplotted} scenario(s) without rate and size are not drawn.` : '';
    setText(this.caption, `Newest fingerprint${where} at t = ${seconds(snap.t)}.${best}${skipped}`);
    this.chart.update('none');
  }

  private autoGroup(snap: SimilaritySnapshot): string {
    if (snap.best !== null) {
      const g = splitScenarioLabel(snap.best).group ?? '';
      if (this.curvesByGroup.has(g)) return g;
    }
    let bestI = -1;
    snap.values.forEach((v, i) => {
      if (!Number.isNaN(v) && (bestI < 0 || v > snap.values[bestI]!)) bestI = i;
    });
    const label = bestI >= 0 ? this.labels[bestI] : undefined;
    const g = label !== undefined ? (splitScenarioLabel(label).group ?? '') : '';
    return this.curvesByGroup.has(g) ? g : ([...this.curvesByGroup.keys()][0] ?? '');
  }

  private buildDatasets(group: string): void {
    this.shownGroup = group;
    const t = this.theme;
    const curves = this.curvesByGroup.get(group) ?? [];
    const datasets: ChartDataset<'line', Pt[]>[] = curves.map((c, k) => {
      const color = t.palette[k % t.palette.length]!;
      return { label: /^\d+$/.test(c.size) ? `${c.size}` : c.size, data: [], borderColor: color, backgroundColor: color, borderWidth: t.lineWidth, pointRadius: 3, pointBorderColor: t.foreground, tension: 0 };
    });
    this.chart.data.datasets = datasets;
    const o = this.chart.options;
    Object.assign(o.plugins!.legend!.title!, { display: true, text: group === '' ? 'packet size (B)' : `${group}: packet size (B)` });
    themeChart(this.chart as unknown as Chart, t);
  }
}

/** Numeric sizes first, ascending; named ones (imix) after. */
function sizeOrder(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : Number.MAX_SAFE_INTEGER;
}
