import { h, setHidden, setText } from './dom.ts';

export interface Notice {
  /** Stable identity: the same condition keeps its place and its dismissal. */
  id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
  detail?: string;
}

/** Kept from the extension: the newest few, each dismissible. */
const MAX_HOST_NOTICES = 5;

/** Conditions of the host and session the user should know about, above the charts. */
export class Notices {
  readonly root: HTMLElement;
  private computed: Notice[] = [];
  private host: Notice[] = [];
  private readonly dismissed = new Set<string>();
  private shownKey = '';
  private seq = 0;
  private elements = new Map<string, NoticeElement>();

  constructor() {
    this.root = h('div', { class: 'notices', attrs: { role: 'status' } });
  }

  /** Notices derived from the data (multiplexing, unsupported events); replaced on every call. */
  setComputed(list: Notice[]): void {
    this.computed = list;
    this.render();
  }

  addHost(level: Notice['level'], text: string): void {
    this.host.push({ id: `host-${this.seq++}`, level, text });
    if (this.host.length > MAX_HOST_NOTICES) this.host.splice(0, this.host.length - MAX_HOST_NOTICES);
    this.render();
  }

  clearHost(): void {
    this.host = [];
    this.render();
  }

  get visible(): Notice[] {
    return [...this.computed, ...this.host].filter((n) => !this.dismissed.has(n.id));
  }

  private render(): void {
    const list = this.visible;
    const key = JSON.stringify(list);
    if (key === this.shownKey) return;
    this.shownKey = key;
    // Elements are kept per notice and updated in place: an opened "details" stays open.
    const next = new Map<string, NoticeElement>();
    for (const n of list) {
      const e = this.elements.get(n.id) ?? this.create(n.id);
      e.root.className = `notice ${n.level}`;
      setText(e.text, n.text);
      setHidden(e.details, !n.detail);
      setText(e.detail, n.detail ?? '');
      next.set(n.id, e);
    }
    this.elements = next;
    this.root.replaceChildren(...[...next.values()].map((e) => e.root));
  }

  private create(id: string): NoticeElement {
    const close = h('button', { class: 'icon-button', text: '×', attrs: { title: 'Dismiss', 'aria-label': 'Dismiss notice' } });
    close.addEventListener('click', () => {
      this.dismissed.add(id);
      this.render();
    });
    const text = h('span', { class: 'notice-text' });
    const detail = h('p');
    const details = h('details', {}, [h('summary', { text: 'details' }), detail]);
    const root = h('div', { attrs: { 'data-id': id } }, [h('div', { class: 'notice-body' }, [text, details]), close]);
    return { root, text, details, detail };
  }
}

interface NoticeElement {
  root: HTMLElement;
  text: HTMLElement;
  details: HTMLElement;
  detail: HTMLElement;
}
