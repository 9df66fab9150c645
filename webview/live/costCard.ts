import type { ElementCostView } from '../../src/protocol.ts';
import { costProvenance, formatPerPacket, formatShare } from '../../src/core/ui/costText.ts';
import { h, setHidden, setText } from './dom.ts';

/**
 * Where the router's CPU went in the newest sampled window: one bar per element
 * class of the config (per module when the binary is stripped; per node for VPP),
 * longest first. Bars are <meter> elements: no inline styles under the panel's CSP.
 */
export class CostCard {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private readonly foot: HTMLElement;
  private readonly title: HTMLElement;

  constructor() {
    this.title = h('h3', { text: 'Cost per element' });
    this.list = h('ol', { class: 'cost-bars' });
    this.note = h('div', { class: 'card-note' });
    this.foot = h('div', { class: 'caption' });
    this.root = h('section', { class: 'card cost-card', attrs: { 'aria-label': 'Cost per element' } }, [this.title, this.note, this.list, this.foot]);
    this.root.hidden = true;
  }

  update(cost: ElementCostView | null): void {
    setHidden(this.root, cost === null);
    if (!cost) return;
    setText(this.title, cost.source === 'vpp-runtime' ? 'Cost per node' : cost.source === 'ovs-pmd' ? 'Cost per PMD thread' : cost.byModule ? 'Cost per module' : 'Cost per element');
    setText(this.note, cost.note ?? '');
    setHidden(this.note, cost.note === undefined);
    const top = Math.max(...cost.bars.map((b) => b.share ?? b.perPacket ?? 0), 0);
    this.list.replaceChildren(
      ...cost.bars.slice(0, 12).map((b) => {
        const value = b.share ?? b.perPacket ?? 0;
        const meter = h('meter', { attrs: { min: '0', max: String(top > 0 ? top : 1), value: String(value), 'aria-label': b.label } });
        const figures = [b.share !== null ? formatShare(b.share) : '', formatPerPacket(b)].filter((x) => x !== '').join(' · ');
        return h('li', { class: 'cost-bar', attrs: { 'data-shared': b.shared ? 'true' : 'false', 'data-label': b.label } }, [
          h('span', { class: 'cost-label', text: b.label }),
          meter,
          h('span', { class: 'cost-value', text: figures }),
          h('span', { class: 'cost-detail', text: b.detail ?? '' }),
        ]);
      }),
    );
    setText(this.foot, `${costProvenance(cost)} · window ended ${new Date(cost.at).toLocaleTimeString()}`);
  }
}
