import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { modelView } from '../../../src/core/ui/modelView.ts';
import { formatCost, formatDropPercent, formatPps } from '../../../src/core/ui/packetText.ts';
import { batchForPanel } from '../../../src/core/ui/frames.ts';
import type { Frame, ModelView, PerfFacts, SessionInfo, ToWebview } from '../../../src/protocol.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { framesOf, hostPerfIntervals } from './frames.ts';
import { Browser, bundleBuilt, type PanelPage } from './harness.ts';
import { DARK, LIGHT } from './themes.ts';

// The live panel with the router's own packet counters, and on a host without a PMU:
// the built bundle in headless Chromium, fed frames made by the real core from real data.

let browser: Browser;
let model: Model;
let view: ModelView;
let bridge: Frame[];
/** Real perf on this host (no PMU here: hardware events <not supported>). */
let host: Interval[];
let hostHasPmu = false;

function init(id: string, frames: Frame[], perf?: PerfFacts, kind: SessionInfo['kind'] = 'live', windowSeconds = 120): ToWebview {
  const session: SessionInfo = { id, title: id, host: 'local', kind, pids: [4242], events: [], intervalMs: 1000, status: 'running', ...(perf ? { perf } : {}) };
  return { type: 'init', session, model: view, settings: { windowSeconds }, frames: batchForPanel(frames) };
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-6 + 1e-9, `${what}: ${actual} != ${expected}`);
}

async function top(p: PanelPage, selector: string): Promise<number> {
  const box = await p.page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is laid out`);
  return box.y;
}

/** [r, g, b] 0-255 of a colour as drawn over the background (alpha composited). */
function onBackground(color: string, background: string): [number, number, number] {
  const parse = (c: string): [number, number, number, number] => {
    const hex = /^#([0-9a-f]{6})$/i.exec(c.trim());
    if (hex) return [0, 2, 4].map((i) => Number.parseInt(hex[1]!.slice(i, i + 2), 16)).concat(1) as [number, number, number, number];
    const m = /rgba?\(([^)]+)\)/.exec(c);
    assert.ok(m, `colour ${c}`);
    const v = m[1]!.split(',').map((x) => Number(x.trim()));
    return [v[0]!, v[1]!, v[2]!, v[3] ?? 1];
  };
  const [r, g, b, a] = parse(color);
  const [br, bgc, bb] = parse(background);
  return [r * a + br * (1 - a), g * a + bgc * (1 - a), b * a + bb * (1 - a)];
}

/** WCAG contrast ratio of two colours. */
function contrast(x: [number, number, number], y: [number, number, number]): number {
  const lum = (c: [number, number, number]) => {
    const [r, g, b] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [lum(x), lum(y)].sort((a, b) => b - a);
  return (hi! + 0.05) / (lo! + 0.05);
}

function noProblems(p: PanelPage): void {
  assert.deepEqual(p.problems(), [], 'no script error, page error or CSP violation');
}

/** This host's perf intervals with the packets of the bridge run's busiest seconds (real counts of a real router). */
function hostWithPackets(bridgeRun: Awaited<ReturnType<typeof bridgeWithPackets>>): Interval[] {
  const busy = bridgeRun.filter((s) => s.iv.packets!.rx > 1e6);
  return host.map((iv, i) => {
    const p = busy[i % busy.length]!.iv.packets!;
    // Scaled to the 100 ms intervals perf printed here.
    const k = iv.dt;
    return { ...iv, packets: { rx: Math.round(p.rx * k), tx: Math.round(p.tx * k), dropped: Math.round(p.dropped * k), rxBytes: Math.round(p.rxBytes! * k), source: 'dpdk-telemetry' } };
  });
}

describe('live panel with packet counters and without a PMU', () => {
  before(async () => {
    assert.ok(bundleBuilt(), 'media/dist/live.js is missing: run `npm run build` first');
    model = await loadDefaultModel();
    view = modelView(model);
    bridge = framesOf(
      (await bridgeWithPackets()).map((s) => s.iv),
      model,
    ).frames;
    host = (await hostPerfIntervals('instructions,cycles,branches,branch-misses,cache-references,cache-misses,L1-dcache-load-misses,dTLB-stores,iTLB-loads,task-clock,cpu-clock,context-switches,page-faults,minor-faults,cpu-migrations')).intervals;
    hostHasPmu = host.some((iv) => 'instructions' in iv.counters);
    browser = await Browser.start();
  });

  after(async () => {
    await browser?.close();
  });

  it('leads with throughput, drops and cost per packet of the OpenNetVM bridge, above the answers and the paper charts', async () => {
    const p = await browser.open(DARK, 'bridge with MoonGen counts');
    await p.send(init('bridge', bridge, undefined, 'replay', 300));
    const last = bridge.at(-1)!.packets!;
    const card = p.page.locator('.packet-card');
    assert.equal(await card.locator('[data-figure="rx"] .figure-value').innerText(), formatPps(last.pps));
    assert.equal(await card.locator('[data-figure="drops"] .figure-value').innerText(), formatDropPercent(last.dropRatio));
    assert.equal(await card.locator('[data-figure="cost"] .figure-value').innerText(), formatCost({ value: last.cyclesPerPacket!, unit: 'cycles' }));
    assert.match(await card.locator('[data-figure="rx"] .figure-detail').innerText(), /Gbit\/s|Mbit\/s/);

    const cost = await p.hook((h) => h.charts['cost']!.data.datasets.map((d) => ({ label: d.label, data: d.data })));
    const cycles = cost.find((d) => d.label === 'cycles/pkt')!.data.filter((q) => q.y !== null);
    const withCycles = bridge.filter((f) => f.packets!.cyclesPerPacket !== null);
    assert.equal(cycles.length, withCycles.length);
    cycles.forEach((q, i) => close(q.y!, withCycles[i]!.packets!.cyclesPerPacket!, `cycles/pkt at ${q.x}`));
    const rx = cost.find((d) => d.label === 'received (Mpps)')!.data.filter((q) => q.y !== null);
    rx.forEach((q, i) => close(q.y!, bridge[i]!.packets!.pps, `pps at ${q.x}`));
    // Cycles are counted: CPU time per packet stays in the card, out of the chart and its legend.
    assert.deepEqual(await p.hook((h) => h.legend('cost')), ['cycles/pkt', 'instructions/pkt', 'received (Mpps)', 'dropped (Mpps)']);

    assert.equal(await p.hook((h) => h.layout()), 'normal');
    const packetsTop = await top(p, '.packet-row');
    assert.ok(packetsTop < (await top(p, '.cards')), 'the router counters come before the answers');
    assert.ok((await top(p, '.cards')) < (await top(p, '[data-group="computation"]')));
    assert.ok(packetsTop < 200, `packet row at ${packetsTop} px`);
    await p.screenshot('packets-bridge-dark');
    noProblems(p);
    await p.close();
  });

  it('on a host without a PMU leads with the packet counters and the software events, under one notice', async (t) => {
    if (hostHasPmu) return t.skip('this host has a hardware PMU');
    const hardware = ['instructions', 'cycles', 'branches', 'branch-misses', 'cache-references', 'cache-misses', 'L1-dcache-load-misses', 'dTLB-stores', 'iTLB-loads'];
    // As a live session has it: the probe dropped the <not supported> events before counting.
    const ivs = hostWithPackets(await bridgeWithPackets()).map((iv) => ({ ...iv, unsupported: [] }));
    const frames = framesOf(ivs, model).frames;
    for (const theme of [DARK, LIGHT]) {
      const p = await browser.open(theme, 'testpmd on this host');
      await p.send(init('no-pmu', frames.slice(0, 2)));
      await p.send({ type: 'perf', perf: { unsupported: hardware, refused: [], paranoid: 2 } });
      await p.send({ type: 'frames', frames: batchForPanel(frames.slice(2)) });
      assert.equal(await p.hook((h) => h.layout()), 'no-pmu');

      const notices = await p.hook((h) => h.notices());
      assert.deepEqual(
        notices.map((n) => n.id),
        ['no-pmu'],
      );
      const n = notices[0]!;
      assert.match(n.text, /perf reports <not supported> for all 9 hardware events/);
      assert.match(n.text, /virtual PMU/);
      assert.ok(n.text.length < 400, `one short notice, not a list: ${n.text.length} characters`);
      for (const e of hardware.filter((x) => x.includes('-'))) assert.ok(!n.text.includes(e), `${e} listed only in the details`);
      for (const e of hardware) assert.ok(n.detail!.includes(e), `${e} in the details`);
      const noticeBox = await p.page.locator('.notice[data-id="no-pmu"]').boundingBox();
      assert.ok(noticeBox!.height < 90, `notice ${noticeBox!.height} px tall`);

      // What counts comes first: the packet card, the OS chart, then the answers.
      const packetsTop = await top(p, '.packet-row');
      const osTop = await top(p, '[data-group="os"]');
      assert.ok(packetsTop < osTop && osTop < (await top(p, '.cards')), `packets ${packetsTop}, OS ${osTop}`);
      assert.ok(osTop < 650, `the software-event chart is near the top (${osTop} px)`);
      for (const g of ['computation', 'caches', 'tlb']) assert.equal(await p.page.locator(`[data-group="${g}"]`).isVisible(), false, `${g} chart set aside`);
      const body = await p.page.locator('body').innerText();
      assert.ok(!body.includes("Not in this session's event list"), body);
      assert.ok(!body.includes('No calibrated scenario is close') && !body.includes('no calibrated scenario is close'), body);
      assert.ok(!body.includes('Waiting for the first similarities'), body);
      const scenario = p.page.locator('.infer-card').nth(2);
      assert.equal(await scenario.locator('.card-value').innerText(), 'unknown');
      assert.match(await scenario.locator('.card-detail').innerText(), /cannot be judged: this host counts no hardware events/);

      // Cost per packet from task-clock; the legend names only what perf counted.
      const last = frames.at(-1)!.packets!;
      assert.equal(await p.page.locator('[data-figure="cost"] .figure-value').innerText(), formatCost({ value: last.cpuNsPerPacket!, unit: 'ns' }));
      assert.deepEqual(await p.hook((h) => h.legend('cost')), ['CPU ns/pkt', 'received (Mpps)', 'dropped (Mpps)']);
      const os = await p.hook((h) => ({ legend: h.legend('os'), sets: h.charts['os']!.data.datasets.map((d) => ({ label: d.label, axis: d.yAxisID })), y1: h.charts['os']!.options.scales['y1']! }));
      const counted = new Set(frames.flatMap((f) => Object.keys(f.rates)));
      const expected = ['task-clock (ms/s)', 'cpu-clock (ms/s)', 'context-switches', 'cpu-migrations', 'page-faults', 'minor-faults'].filter((l) => counted.has(l.replace(' (ms/s)', '')));
      assert.ok(expected.includes('cpu-clock (ms/s)') && expected.includes('minor-faults'), 'perf counted cpu-clock and minor-faults here');
      assert.deepEqual(os.legend, expected);
      assert.equal(os.sets.find((d) => d.label === 'task-clock (ms/s)')!.axis, 'y1', 'CPU time on its own axis');
      assert.equal(os.sets.find((d) => d.label === 'context-switches')!.axis, 'y');
      assert.equal(os.y1.display, true);
      await p.screenshot(`no-pmu-packets-${theme === DARK ? 'dark' : 'light'}`);
      noProblems(p);
      await p.close();
    }
  });

  it('without packet counters the OS chart comes right after the notice', async (t) => {
    if (hostHasPmu) return t.skip('this host has a hardware PMU');
    const frames = framesOf(host, model).frames;
    const p = await browser.open(DARK, 'busy loop on this host');
    await p.send(init('no-pmu-no-packets', frames));
    assert.equal(await p.hook((h) => h.layout()), 'no-pmu');
    assert.equal(await p.page.locator('.packet-row').isVisible(), false);
    const osTop = await top(p, '[data-group="os"]');
    assert.ok(osTop < 250, `OS chart at ${osTop} px`);
    const n = (await p.hook((h) => h.notices())).find((x) => x.id === 'no-pmu')!;
    assert.match(n.text, /Shown first: the software events/);
    assert.match(await p.text('.similarity .caption'), /hardware counters, and this host counts none/);
    await p.screenshot('no-pmu-dark');
    noProblems(p);
    await p.close();
  });

  it('gives the two PCA legend entries drawn in neutral colours different colours in the dark theme', async () => {
    const p = await browser.open(DARK, 'pca colours');
    await p.send(init('pca', bridge.slice(0, 30), undefined, 'replay'));
    const sets = await p.hook((h) => h.charts['pca']!.data.datasets.map((d) => ({ label: d.label, color: String(d.borderColor) })));
    const idle = sets.find((d) => d.label === 'idle (no traffic)');
    assert.ok(idle, JSON.stringify(sets));
    const bg = DARK.vars['--vscode-editor-background']!;
    for (const live of ['live (trail)', 'now']) {
      const c = sets.find((d) => d.label === live)!;
      const ratio = contrast(onBackground(idle.color, bg), onBackground(c.color, bg));
      assert.ok(ratio >= 2, `${live} (${c.color}) against idle (${idle.color}): contrast ${ratio.toFixed(2)}`);
    }
    await p.close();
  });
});
