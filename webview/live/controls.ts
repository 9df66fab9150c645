import type { SessionInfo, SessionStatus } from '../../src/protocol.ts';
import { h, setHidden, setText } from './dom.ts';
import { duration, seconds } from './format.ts';

export interface ControlHandlers {
  /** Resume follows the newest interval again (scroll-back 0). */
  onPause(paused: boolean): void;
  /** Seconds back from the newest interval (0 = the live edge). */
  onScroll(scrollBack: number): void;
  onStream(stream: string): void;
}

export interface ControlsState {
  paused: boolean;
  scrollBack: number;
  maxScrollBack: number;
  hasData: boolean;
  viewStart: number;
  viewEnd: number;
  /** Intervals received since the view was paused. */
  pending: number;
  streams: string[];
  stream: string | null;
}

/** Session title and status, pause / resume, the scroll-back slider and the stream picker. */
export class Controls {
  readonly root: HTMLElement;
  readonly pauseButton: HTMLButtonElement;
  readonly slider: HTMLInputElement;
  readonly streamSelect: HTMLSelectElement;
  private readonly title: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly status: HTMLElement;
  private readonly position: HTMLElement;
  private streamsKey: string | null = null;
  private ended = false;

  constructor(handlers: ControlHandlers) {
    this.title = h('h1', { text: 'VNF Lens' });
    this.meta = h('span', { class: 'meta' });
    this.status = h('span', { class: 'badge', attrs: { 'data-status': 'connecting' } });
    this.pauseButton = h('button', { class: 'button', attrs: { type: 'button', 'aria-pressed': 'false' } });
    this.pauseButton.addEventListener('click', () => handlers.onPause(this.pauseButton.getAttribute('aria-pressed') !== 'true'));
    this.slider = h('input', { class: 'scroll', attrs: { type: 'range', min: '0', max: '0', step: 'any', value: '0', 'aria-label': 'Scroll back in time (right end: newest)' } });
    this.slider.addEventListener('input', () => handlers.onScroll(Math.max(0, Number(this.slider.max) - Number(this.slider.value))));
    this.streamSelect = h('select', { attrs: { 'aria-label': 'Stream the cards follow' } });
    this.streamSelect.hidden = true;
    this.streamSelect.addEventListener('change', () => handlers.onStream(this.streamSelect.value));
    this.position = h('span', { class: 'position', attrs: { 'aria-live': 'off' } });
    this.root = h('header', { class: 'toolbar' }, [
      h('div', { class: 'title' }, [this.title, this.status, this.meta]),
      h('div', { class: 'controls' }, [this.streamSelect, this.pauseButton, this.slider, this.position]),
    ]);
    this.setPaused(false);
  }

  setSession(s: SessionInfo): void {
    setText(this.title, s.title);
    const pids = s.pids.length > 0 ? ` · pid ${s.pids.join(', ')}` : '';
    const events = s.events.length > 0 ? ` · ${s.events.length} events` : '';
    setText(this.meta, `${s.kind === 'replay' ? 'replay' : 'live'} · ${s.host}${pids}${events} · every ${s.intervalMs} ms`);
    this.setStatus(s.status, s.statusReason);
  }

  setStatus(status: SessionStatus, reason?: string): void {
    this.status.dataset['status'] = status;
    setText(this.status, status);
    this.status.title = reason ?? '';
    this.ended = status === 'ended';
    this.setPaused(this.pauseButton.getAttribute('aria-pressed') === 'true');
  }

  /** An ended session sends nothing new: Pause has nothing to freeze (Resume still returns to the end). */
  private setPaused(paused: boolean): void {
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    setText(this.pauseButton, paused ? 'Resume' : 'Pause');
    this.pauseButton.disabled = this.ended && !paused;
    this.pauseButton.title = paused ? 'Resume following the newest interval' : this.ended ? 'The session has ended; scroll back with the slider' : 'Freeze the view (the session goes on recording)';
  }

  update(c: ControlsState): void {
    this.setPaused(c.paused);
    const max = Math.max(0, c.maxScrollBack);
    const maxText = String(Math.round(max * 1000) / 1000);
    if (this.slider.max !== maxText) this.slider.max = maxText;
    const value = String(Math.round((max - c.scrollBack) * 1000) / 1000);
    if (this.slider.value !== value && document.activeElement !== this.slider) this.slider.value = value;
    this.slider.disabled = max === 0;
    const back = c.scrollBack > 0 ? ` · ${duration(c.scrollBack)} back` : '';
    const pending = c.paused ? ` · paused${c.pending > 0 ? `, ${c.pending} new` : ''}` : '';
    setText(this.position, c.hasData ? `${seconds(c.viewStart)} – ${seconds(c.viewEnd)}${back}${pending}` : 'no data yet');
    const key = `${c.streams.length}:${c.streams.join('\u0000')}`;
    if (key !== this.streamsKey) {
      this.streamsKey = key;
      this.streamSelect.replaceChildren(...c.streams.map((s) => h('option', { text: s || 'default', attrs: { value: s } })));
    }
    setHidden(this.streamSelect, c.streams.length < 2);
    if (c.stream !== null && this.streamSelect.value !== c.stream) this.streamSelect.value = c.stream;
  }
}
