import { formatPps } from '../../src/core/ui/packetText.ts';
import { rateAgreement } from '../../src/core/ui/cpuRateText.ts';
import { h, setText } from './dom.ts';
import type { InferenceAt } from './streamHistory.ts';

/**
 * The packet rate the model reads from the CPU counters alone, with its ≈ 90 % range,
 * and, when the router's own counters are read too, how the two agree.
 */
export class RateCard {
  readonly value = h('div', { class: 'card-value' });
  readonly detail = h('div', { class: 'card-detail' });
  readonly versus = h('div', { class: 'card-note rate-versus' });
  readonly root = h('section', { class: 'card infer-card rate-card', attrs: { 'aria-label': 'Packet rate from the CPU' } }, [h('h3', { text: 'Packet rate (CPU)' }), this.value, this.detail, this.versus]);

  update(inf: InferenceAt | null, routerPps: number | null): void {
    const est = inf?.pps ?? null;
    const range = inf?.ppsRange ?? null;
    this.root.dataset['value'] = est === null ? 'none' : 'known';
    if (!inf || est === null || range === null) {
      setText(this.value, '–');
      setText(this.detail, !inf ? 'waiting for the first interval' : inf.state === 'unknown' ? 'no estimate: the state is unknown' : 'no estimate: the model has no packet-rate fit, or this interval is beyond it');
    } else {
      setText(this.value, formatPps(est));
      setText(this.detail, inf.state === 'idle' ? 'idle router: no packets' : `≈ 90 % range ${formatPps(range[0])} – ${formatPps(range[1])}`);
    }
    const a = routerPps === null || est === null ? null : rateAgreement({ pps: est, ppsRange: range }, routerPps);
    this.versus.dataset['agree'] = a ? String(a.inRange) : 'none';
    setText(this.versus, a ? `router counts ${formatPps(routerPps!)}: ${a.text}` : '');
  }
}
