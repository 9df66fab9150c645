import type { ChartGroup } from '../../src/core/ui/chartGroups.ts';
import { h, setHidden, setText } from './dom.ts';
import type { TimeSeriesChart } from './timeSeries.ts';

export type Layout = 'normal' | 'no-pmu';

/** The widgets' root elements, in the order the layout places them. */
export interface LayoutParts {
  controls: HTMLElement;
  notices: HTMLElement;
  abCard: HTMLElement;
  packetCard: HTMLElement;
  costCard: HTMLElement;
  cards: HTMLElement;
  timeSeries: readonly TimeSeriesChart[];
  pca: HTMLElement;
  similarity: HTMLElement;
}

/** The panel's DOM skeleton: rows and grids, the footer, and which charts are set aside. */
export class PanelLayout {
  private current: Layout | null = null;
  private readonly footer: HTMLElement;
  private readonly packetRow: HTMLElement;
  private readonly seriesGrid: HTMLElement;
  private readonly modelGrid: HTMLElement;
  /** Hardware charts with nothing to draw wait here, out of sight, on hosts without a PMU. */
  private readonly hiddenCharts: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly parts: LayoutParts,
  ) {
    this.footer = h('footer', { class: 'footer' });
    this.packetRow = h('div', { class: 'grid packet-row' }, [parts.packetCard, this.chart('cost').root]);
    this.packetRow.hidden = true;
    this.seriesGrid = h('div', { class: 'grid series-grid' });
    this.modelGrid = h('div', { class: 'grid model-grid' }, [parts.pca, parts.similarity]);
    this.hiddenCharts = h('div', { class: 'hidden-charts' });
    this.hiddenCharts.hidden = true;
    this.arrange('normal');
  }

  get layout(): Layout | null {
    return this.current;
  }

  chart(id: ChartGroup['id']): TimeSeriesChart {
    return this.parts.timeSeries.find((c) => c.group.id === id)!;
  }

  /** Whether a chart waits out of sight (a hardware chart on a host without a PMU). */
  isSetAside(c: TimeSeriesChart): boolean {
    return c.root.parentElement === this.hiddenCharts;
  }

  /** The packet card and the cost-per-packet chart show when some stream has the router's counts. */
  showPackets(shown: boolean): void {
    setHidden(this.packetRow, !shown);
  }

  setFooter(text: string): void {
    setText(this.footer, text);
  }

  /**
   * Puts what counts first. With a PMU: the router's counters, the three answers, the
   * paper's chart groups, the model's charts. Without one: the router's counters and the
   * software events lead, then the answers; the hardware charts, which could only be
   * empty, are set aside (the notice says so).
   */
  arrange(layout: Layout): void {
    if (layout === this.current) return;
    this.current = layout;
    const p = this.parts;
    const hardware = p.timeSeries.filter((c) => c.group.hardware).map((c) => c.root);
    const os = this.chart('os').root;
    if (layout === 'normal') {
      this.seriesGrid.replaceChildren(...hardware, os);
      this.seriesGrid.classList.remove('single');
      this.hiddenCharts.replaceChildren();
      this.root.replaceChildren(p.controls, p.notices, p.abCard, this.packetRow, p.costCard, p.cards, this.seriesGrid, this.modelGrid, this.footer);
    } else {
      this.seriesGrid.replaceChildren(os);
      this.seriesGrid.classList.add('single');
      this.hiddenCharts.replaceChildren(...hardware);
      this.root.replaceChildren(p.controls, p.notices, p.abCard, this.packetRow, p.costCard, this.seriesGrid, p.cards, this.modelGrid, this.hiddenCharts, this.footer);
    }
    this.root.dataset['layout'] = layout;
  }
}
