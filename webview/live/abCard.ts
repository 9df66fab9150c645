import type { AbView } from '../../src/protocol.ts';
import { h, setHidden, setText } from './dom.ts';

/**
 * The live A/B: the current revision beside the pinned baseline (throughput, drop ratio,
 * cost per packet), each change with its 95 % interval, the verdict, and a warning when
 * the two were offered different loads. Hidden until a baseline is pinned.
 */
export class AbCard {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly verdict: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;
  private readonly warnings: HTMLElement;
  private readonly foot: HTMLElement;

  constructor() {
    this.title = h('h3', { text: 'A/B' });
    this.verdict = h('p', { class: 'ab-verdict' });
    this.head = h('tr');
    this.body = h('tbody');
    this.warnings = h('div', { class: 'ab-warnings' });
    this.foot = h('div', { class: 'caption' });
    this.root = h('section', { class: 'card ab-card', attrs: { 'aria-label': 'Revision A/B' } }, [
      this.title,
      this.verdict,
      this.warnings,
      h('table', { class: 'ab-table' }, [h('thead', {}, [this.head]), this.body]),
      this.foot,
    ]);
    this.root.hidden = true;
  }

  update(ab: AbView | null): void {
    setHidden(this.root, ab === null);
    if (!ab) return;
    const who = ab.stream ? ` (${ab.stream})` : '';
    setText(this.title, `Revision ${ab.current} against baseline revision ${ab.baseline}${who}`);
    this.root.dataset['state'] = ab.waiting ? 'waiting' : 'ready';
    if (ab.waiting) {
      setText(this.verdict, `Waiting: ${ab.waiting}.`);
      this.head.replaceChildren();
      this.body.replaceChildren();
      this.warnings.replaceChildren();
      setText(this.foot, '');
      return;
    }
    setText(this.verdict, `${ab.verdict}.`);
    this.head.replaceChildren(...['', `revision ${ab.baseline}`, `revision ${ab.current}`, 'change [95 % CI]'].map((t) => h('th', { text: t })));
    this.body.replaceChildren(
      ...ab.figures.map((f) => {
        const change = h('td', { class: 'ab-change', text: f.change });
        // Better is fewer drops and less cost; more throughput.
        const better = f.feature === 'packets-per-second' ? f.relative > 0 : f.relative < 0;
        change.dataset['change'] = f.different ? (better ? 'better' : 'worse') : 'same';
        return h('tr', { attrs: { 'data-feature': f.feature } }, [h('th', { text: f.label }), h('td', { text: f.baseline }), h('td', { text: f.current }), change]);
      }),
    );
    this.warnings.replaceChildren(...ab.warnings.map((w) => h('p', { class: 'ab-warning', attrs: { role: 'alert' }, text: w })));
    setText(this.foot, `Intervals: revision ${ab.baseline}: ${ab.used.baseline}; revision ${ab.current}: ${ab.used.current}.`);
  }
}
