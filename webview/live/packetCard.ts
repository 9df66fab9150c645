import type { PacketView } from '../../src/protocol.ts';
import { formatBps, formatCost, formatDropPercent, formatPps } from '../../src/core/ui/packetText.ts';
import { h, setText } from './dom.ts';
import { seconds } from './format.ts';

/** The router's own counters at one interval, as the card shows them (null: not reported). */
export type PacketsAt = Omit<PacketView, 'source'> & { t: number };

interface Figure {
  root: HTMLElement;
  value: HTMLElement;
  detail: HTMLElement;
}

function figure(name: string, title: string): Figure {
  const value = h('div', { class: 'figure-value' });
  const detail = h('div', { class: 'figure-detail' });
  return { root: h('div', { class: 'figure', attrs: { 'data-figure': name } }, [h('div', { class: 'figure-title', text: title }), value, detail]), value, detail };
}

/** Throughput, drops and cost per packet from the router's own counters, for the newest interval in view. */
export class PacketCard {
  readonly root: HTMLElement;
  readonly rx = figure('rx', 'Received');
  readonly drops = figure('drops', 'Dropped');
  readonly cost = figure('cost', 'Cost per packet');
  private readonly foot: HTMLElement;

  constructor() {
    this.foot = h('div', { class: 'caption' });
    this.root = h('section', { class: 'card packet-card', attrs: { 'aria-label': 'Throughput and drops' } }, [
      h('h3', { text: 'Throughput and drops' }),
      h('div', { class: 'figures' }, [this.rx.root, this.drops.root, this.cost.root]),
      this.foot,
    ]);
  }

  update(p: PacketsAt | null, source: string | null, stream: string | null): void {
    if (!p) {
      for (const f of [this.rx, this.drops, this.cost]) {
        setText(f.value, '–');
        setText(f.detail, '');
      }
      setText(this.foot, 'no packet counts for this time');
      return;
    }
    setText(this.rx.value, formatPps(p.pps));
    setText(this.rx.detail, [p.bps !== null ? formatBps(p.bps) : '', `sent ${formatPps(p.txPps)}`].filter((x) => x !== '').join(' · '));
    this.drops.root.dataset['lossy'] = p.dropsPerSecond > 0 ? 'true' : 'false';
    setText(this.drops.value, formatDropPercent(p.dropRatio));
    setText(this.drops.detail, p.dropRatio === null ? 'nothing offered' : `${formatPps(p.dropsPerSecond)} dropped of ${formatPps(p.pps + p.dropsPerSecond)} offered`);
    if (p.cyclesPerPacket !== null) {
      setText(this.cost.value, formatCost({ value: p.cyclesPerPacket, unit: 'cycles' }));
      const more = [p.instructionsPerPacket !== null ? `${Math.round(p.instructionsPerPacket)} instructions/pkt` : '', p.cpuNsPerPacket !== null ? formatCost({ value: p.cpuNsPerPacket, unit: 'ns' }) + ' CPU' : ''];
      setText(this.cost.detail, more.filter((x) => x !== '').join(' · '));
    } else if (p.cpuNsPerPacket !== null) {
      setText(this.cost.value, formatCost({ value: p.cpuNsPerPacket, unit: 'ns' }));
      setText(this.cost.detail, 'CPU time (task-clock) per packet received; cycles need a hardware PMU');
    } else {
      setText(this.cost.value, '–');
      setText(this.cost.detail, p.pps > 0 ? 'perf counted neither cycles nor task-clock' : 'no packet received');
    }
    setText(this.foot, `at t = ${seconds(p.t)}${source ? ` · from ${source}` : ''}${stream !== null ? ` · ${stream || 'default'}` : ''}`);
  }
}
