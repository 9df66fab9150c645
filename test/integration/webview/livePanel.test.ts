import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Model } from '../../../src/core/model/model.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { modelView } from '../../../src/core/ui/modelView.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { batchForPanel, toFrame } from '../../../src/core/ui/frames.ts';
import type { Frame, ModelView, SessionInfo, ToWebview } from '../../../src/protocol.ts';
import { dataset } from '../../support/paths.ts';
import { readFileSync } from 'node:fs';
import { SessionPipeline } from '../../../src/core/session/sessionPipeline.ts';
import { batches, framesOf, hostPerfIntervals, replay, type Replayed } from './frames.ts';
import { Browser, bundleBuilt, type PanelPage } from './harness.ts';
import { seconds } from '../../../webview/live/format.ts';
import { formatPps } from '../../../src/core/ui/packetText.ts';
import { DARK, LIGHT } from './themes.ts';

// The built live panel (media/dist/live.js) in headless Chromium, behind the same CSP
// as in VS Code, driven with frames from real recordings run through the real core.

let browser: Browser;
let model: Model;
let view: ModelView;
let fastclick: Replayed;
let bridge: Replayed;

function session(id: string, title: string, status: SessionInfo['status'] = 'replaying'): SessionInfo {
  return { id, title, host: 'recording', kind: 'replay', pids: [], events: [], intervalMs: 1000, status };
}

function init(id: string, frames: Frame[], windowSeconds = 120, title = id): ToWebview {
  return { type: 'init', session: session(id, title), model: view, settings: { windowSeconds }, frames: batchForPanel(frames) };
}

async function sendAll(p: PanelPage, frames: Frame[], size: number): Promise<void> {
  for (const b of batches(frames, size)) await p.send({ type: 'frames', frames: b });
}

function close(actual: number, expected: number, what: string): void {
  // Rates are kept as 32-bit floats in the panel's ring buffer.
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * 1e-6 + 1e-9, `${what}: ${actual} != ${expected}`);
}


async function cardText(p: PanelPage, n: number): Promise<{ value: string; detail: string }> {
  const card = p.page.locator('.infer-card').nth(n);
  return { value: await card.locator('.card-value').innerText(), detail: await card.locator('.card-detail').innerText() };
}

function noProblems(p: PanelPage): void {
  assert.deepEqual(p.problems(), [], 'no script error, page error or CSP violation');
}

describe('live panel in Chromium', () => {
  before(async () => {
    assert.ok(bundleBuilt(), 'media/dist/live.js is missing: run `npm run build` first');
    model = await loadDefaultModel();
    view = modelView(model);
    fastclick = await replay(dataset('itc21/on-off/fastclick.csv'), model, { run: '5000-64' });
    bridge = await replay(dataset('opennetvm-bridge/128B/bridge.csv'), model);
    browser = await Browser.start();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the cards, charts, state change, PCA point and similarities of a replayed FastClick run', async () => {
    const p = await browser.open(DARK);
    const frames = fastclick.frames;
    const change = frames.find((f) => f.inference.stateChange)?.inference.stateChange;
    assert.ok(change, 'the FastClick on-off run has a state change');
    const before = frames.filter((f) => f.t < change.t - 3);
    await p.send(init('fastclick', before));
    assert.equal((await cardText(p, 0)).value, before.at(-1)!.inference.state);
    await sendAll(p, frames.slice(before.length), 3);

    const last = frames.at(-1)!;
    const state = await cardText(p, 0);
    assert.equal(state.value, last.inference.state);
    assert.equal(state.value, change.to);
    assert.ok(state.detail.includes(`since t = ${seconds(change.t)}`), state.detail);
    const loss = await cardText(p, 1);
    assert.equal(loss.value, last.inference.loss);
    const score = last.inference.lossScore!;
    assert.ok(loss.detail.includes(`${score >= 0 ? '+' : '−'}${Math.abs(score).toFixed(2)}`), loss.detail);
    const scen = await cardText(p, 2);
    assert.equal(scen.value, last.inference.scenario);
    assert.ok(scen.detail.includes(`runner-up ${last.inference.runnerUp}`), scen.detail);
    assert.ok(scen.detail.includes(`margin ${last.inference.margin!.toFixed(2)}`), scen.detail);

    const comp = await p.hook((h) => h.charts['computation']!.data.datasets.map((d) => ({ label: d.label, data: d.data })));
    assert.deepEqual(
      comp.map((d) => d.label),
      ['instructions', 'branches', 'branch-misses', 'IPC'],
    );
    const instructions = comp[0]!.data.filter((q) => q.y !== null);
    assert.equal(instructions.length, frames.length);
    instructions.forEach((q, i) => {
      close(q.x, frames[i]!.t, `t of interval ${i}`);
      close(q.y!, frames[i]!.rates['instructions']!, `instructions of interval ${i}`);
    });
    comp[3]!.data.forEach((q, i) => close(q.y!, frames[i]!.derived['ipc']!, `IPC of interval ${i}`));
    const caches = await p.hook((h) => h.charts['caches']!.data.datasets.find((d) => d.label === 'cache-misses')!.data);
    caches.forEach((q, i) => close(q.y!, frames[i]!.rates['cache-misses']!, `cache-misses of interval ${i}`));

    const markers = await p.hook((h) => h.markers());
    assert.deepEqual(
      markers.map((m) => [m.t, m.label]),
      [[change.t, `→ ${change.to}`]],
    );

    const pca = await p.hook((h) => {
      const ds = h.charts['pca']!.data.datasets;
      return { now: ds.find((d) => d.label === 'now')!.data, trail: ds.find((d) => d.label === 'live (trail)')!.data, calibration: h.charts['pca']!.options.plugins.vnfCalibration!.count };
    });
    close(pca.now[0]!.x, last.inference.pca![0], 'PC1 of the live point');
    close(pca.now[0]!.y!, last.inference.pca![1], 'PC2 of the live point');
    assert.equal(pca.trail.length, 19);
    close(pca.trail[0]!.x, frames.at(-20)!.inference.pca![0], 'oldest trail point');
    assert.equal(pca.calibration, view.pca!.points.length);

    // Fig. 9: one curve per packet size of the matched router, points at the offered rates.
    const sims = last.similarities!;
    const curves = await p.hook((h) => h.charts['similarity']!.data.datasets.map((d) => ({ label: d.label, data: d.data })));
    assert.deepEqual(
      curves.map((c) => c.label),
      ['64', '128', '512', '1400'],
    );
    for (const c of curves) {
      assert.equal(c.data.length, 5);
      for (const q of c.data) close(q.y!, sims[`fastclick:${q.x}-${c.label}`]!, `similarity to fastclick:${q.x}-${c.label}`);
    }
    await p.screenshot('fastclick-dark');
    noProblems(p);
    await p.close();
  });

  it('follows the theme: chart colours from --vscode-charts-*, re-read when the body class changes', async () => {
    const p = await browser.open(LIGHT);
    await p.send(init('theme', fastclick.frames));
    const colours = () => p.hook((h) => h.charts['computation']!.data.datasets.map((d) => d.borderColor));
    assert.deepEqual(await colours(), [LIGHT.vars['--vscode-charts-blue'], LIGHT.vars['--vscode-charts-orange'], LIGHT.vars['--vscode-charts-green'], LIGHT.vars['--vscode-charts-purple']]);
    const bg = () => p.run<string>('getComputedStyle(document.body).backgroundColor');
    assert.equal(await bg(), 'rgb(255, 255, 255)');
    await p.screenshot('fastclick-light');

    await p.setTheme(DARK);
    assert.deepEqual(await colours(), [DARK.vars['--vscode-charts-blue'], DARK.vars['--vscode-charts-orange'], DARK.vars['--vscode-charts-green'], DARK.vars['--vscode-charts-purple']]);
    assert.equal(await bg(), 'rgb(31, 31, 31)');
    const region = await p.hook((h) => h.charts['pca']!.data.datasets.find((d) => d.label === 'lossy region')!.borderColor);
    assert.equal(region, DARK.vars['--vscode-charts-red']);
    await p.screenshot('theme-switched-to-dark');
    noProblems(p);
    await p.close();
  });

  it('warns about multiplexed counters and slides a window over the OpenNetVM bridge run', async () => {
    const p = await browser.open(DARK, 'opennetvm bridge 128B');
    const frames = bridge.frames;
    await p.send(init('bridge', frames.slice(0, 60), 60));
    await sendAll(p, frames.slice(60), 10);
    const last = frames.at(-1)!;
    const muxed = Object.entries(last.multiplexed);
    assert.ok(muxed.length > 10, 'the bridge recording is heavily multiplexed');
    const notice = await p.page.locator('.notice[data-id="multiplexed"] .notice-text').innerText();
    assert.ok(notice.includes(`${muxed.length} events were counted only`), notice);
    const lo = Math.floor(Math.min(...muxed.map(([, v]) => v)));
    assert.ok(notice.includes(`${lo}`), notice);
    const detail = await p.page.locator('.notice[data-id="multiplexed"] details p').textContent();
    for (const [e] of muxed) assert.ok(detail!.includes(e), `${e} listed in the details`);

    const w = await p.hook((h) => ({ view: h.view(), x: h.charts['os']!.options.scales['x']!, data: h.charts['os']!.data.datasets[0]!.data }));
    close(w.view.end, last.t, 'the live edge');
    close(w.x.max!, last.t, 'x axis end');
    close(w.x.max! - w.x.min!, 60, 'window length');
    const inWindow = frames.filter((f) => f.t >= last.t - 60);
    const drawn = w.data.filter((q) => q.y !== null && q.x >= w.x.min!);
    assert.equal(drawn.length, inWindow.length);
    drawn.forEach((q, i) => close(q.y!, inWindow[i]!.rates['task-clock']!, `task-clock at ${q.x}`));
    assert.equal((await cardText(p, 1)).value, last.inference.loss);
    await p.screenshot('bridge-multiplexed');
    noProblems(p);
    await p.close();
  });

  it('says that hardware events are not supported when real perf on a host without a PMU reports them so', async (t) => {
    const { intervals } = await hostPerfIntervals();
    assert.ok(intervals.length >= 5, 'perf printed intervals');
    if (intervals.some((iv) => 'instructions' in iv.counters)) {
      t.skip('this host has a hardware PMU: perf counts instructions');
      return;
    }
    const { frames } = framesOf(intervals, model);
    const p = await browser.open(DARK, 'local busy loop');
    await p.send(init('host', frames, 10));
    const notices = await p.hook((h) => h.notices());
    const hw = notices.find((n) => n.id === 'no-pmu');
    assert.ok(hw, `hardware notice among ${JSON.stringify(notices)}`);
    assert.match(hw.text, /No hardware counters on this host: perf reports <not supported>/);
    for (const e of ['instructions', 'cycles', 'branches']) assert.ok(hw.detail!.includes(e), `${e} named in the details`);
    assert.ok(await p.page.locator('.notice[data-id="no-pmu"]').isVisible());
    // The hardware charts, which could only be empty, are set aside; the OS chart leads.
    assert.equal(await p.page.locator('[data-group="computation"]').isVisible(), false);
    assert.equal(await p.page.locator('[data-group="os"] .chart-overlay').isVisible(), false);
    const taskClock = await p.hook((h) => h.charts['os']!.data.datasets[0]!.data.filter((q) => q.y !== null));
    const counted = frames.filter((f) => f.rates['task-clock'] !== undefined);
    assert.equal(taskClock.length, counted.length);
    taskClock.forEach((q, i) => close(q.y!, counted[i]!.rates['task-clock']!, `task-clock of interval ${i}`));
    assert.equal((await cardText(p, 0)).value, frames.at(-1)!.inference.state);
    await p.screenshot('host-without-pmu');
    noProblems(p);
    await p.close();
  });

  it('pause freezes charts and cards, keeps the frames that arrive, and resume shows them', async () => {
    const p = await browser.open(DARK);
    const frames = fastclick.frames;
    await p.send(init('pause', frames.slice(0, 10)));
    await p.page.getByRole('button', { name: 'Pause' }).click();
    assert.deepEqual(await p.waitForPosted((m) => m.type === 'pause'), { type: 'pause', paused: true });
    const snapshot = () => p.hook((h) => ({ data: h.charts['computation']!.data.datasets[0]!.data.length, renders: h.renders() }));
    const frozen = await snapshot();
    const card = await cardText(p, 0);
    await sendAll(p, frames.slice(10), 4);
    assert.deepEqual((await snapshot()).data, frozen.data);
    assert.equal((await snapshot()).renders, frozen.renders, 'no render while paused');
    assert.deepEqual(await cardText(p, 0), card);
    assert.match(await p.text('.position'), new RegExp(`paused, ${frames.length - 10} new`));

    await p.page.getByRole('button', { name: 'Resume' }).click();
    assert.deepEqual(await p.waitForPosted((m) => m.type === 'pause', 1), { type: 'pause', paused: false });
    await p.settle();
    assert.equal((await snapshot()).data, frames.length);
    assert.equal((await cardText(p, 0)).value, frames.at(-1)!.inference.state);
    noProblems(p);
    await p.close();
  });

  it('disables Pause once the session has ended, but lets a paused view resume', async () => {
    const p = await browser.open(DARK);
    await p.send(init('ended', fastclick.frames.slice(0, 10)));
    const pause = p.page.getByRole('button', { name: 'Pause' });
    assert.equal(await pause.isEnabled(), true);
    await p.send({ type: 'status', status: 'ended', reason: 'end of recording' });
    await p.settle();
    assert.equal(await pause.isEnabled(), false, 'nothing new arrives: nothing to freeze');
    assert.match((await pause.getAttribute('title')) ?? '', /ended/);

    const q = await browser.open(DARK);
    await q.send(init('ended-paused', fastclick.frames.slice(0, 10)));
    await q.page.getByRole('button', { name: 'Pause' }).click();
    await q.send({ type: 'status', status: 'ended' });
    await q.settle();
    const resume = q.page.getByRole('button', { name: 'Resume' });
    assert.equal(await resume.isEnabled(), true, 'Resume returns to the end of the session');
    await resume.click();
    await q.settle();
    assert.equal(await q.page.getByRole('button', { name: 'Pause' }).isEnabled(), false);
    noProblems(p);
    noProblems(q);
    await p.close();
    await q.close();
  });

  it('scrolls back with the slider and restores paused state and scroll-back after a reload', async () => {
    const p = await browser.open(DARK, 'opennetvm bridge 128B');
    const frames = bridge.frames;
    await p.send(init('scroll', frames, 60));
    const back = 45;
    await p.run(`(() => { const s = document.querySelector('input.scroll'); s.value = String(Number(s.max) - ${back}); s.dispatchEvent(new Event('input', { bubbles: true })); })()`);
    await p.settle();
    assert.deepEqual(await p.waitForPosted((m) => m.type === 'pause'), { type: 'pause', paused: true }, 'scrolling back pauses');
    const v = await p.hook((h) => h.view());
    const end = frames.at(-1)!.t - back;
    close(v.end, end, 'view end');
    assert.equal(v.paused, true);
    const x = await p.hook((h) => h.charts['computation']!.options.scales['x']!);
    close(x.max!, end, 'x axis end');
    const shown = frames.filter((f) => f.t <= end).at(-1)!;
    assert.equal((await cardText(p, 1)).value, shown.inference.loss, 'cards show the interval at the end of the view');
    assert.ok((await cardText(p, 0)).detail.includes(`at t = ${seconds(shown.t)}`));
    await p.screenshot('scrolled-back');

    await p.load();
    await p.send(init('scroll', frames, 60));
    const restored = await p.hook((h) => h.view());
    assert.equal(restored.paused, true);
    close(restored.scrollBack, back, 'scroll-back after reload');
    close(restored.end, end, 'view end after reload');
    const slider = await p.run<{ max: number; value: number }>(`(() => { const s = document.querySelector('input.scroll'); return { max: Number(s.max), value: Number(s.value) }; })()`);
    close(slider.max - slider.value, back, 'slider position after reload');
    assert.equal(await p.page.getByRole('button', { name: 'Resume' }).isVisible(), true);
    const saved = await p.run<{ sessionId: string; paused: boolean; title: string }>(`JSON.parse(sessionStorage.getItem('vnf-lens-test-webview-state'))`);
    assert.equal(saved.sessionId, 'scroll');
    assert.equal(saved.title, 'scroll');

    // Another session does not inherit the view (nor the data) of the previous one.
    await p.send(init('another', frames.slice(0, 50), 60));
    const fresh = await p.hook((h) => h.view());
    assert.equal(fresh.paused, false);
    assert.equal(fresh.scrollBack, 0);
    const shownNow = await p.hook((h) => h.charts['os']!.data.datasets[0]!.data.filter((q) => q.y !== null).map((q) => q.x));
    const expected = frames.slice(0, 50).filter((f) => f.t >= frames[49]!.t - 60);
    assert.deepEqual(
      shownNow,
      expected.map((f) => f.t),
    );
    noProblems(p);
    await p.close();
  });

  it('draws several streams distinguishably and lets the cards follow one of them', async () => {
    const vpp = await replay(dataset('itc21/on-off/vpp.csv'), model, { run: '5000-64', stream: 'pid 202' });
    const a = (await replay(dataset('itc21/on-off/fastclick.csv'), model, { run: '5000-64', stream: 'pid 101' })).frames;
    const b = vpp.frames;
    const merged = [...a, ...b].sort((x, y) => x.t - y.t);
    const p = await browser.open(DARK, 'two routers');
    await p.send(init('streams', merged.slice(0, 20)));
    await sendAll(p, merged.slice(20), 4);
    const ds = await p.hook((h) => h.charts['computation']!.data.datasets.map((d) => ({ label: d.label, color: d.borderColor, dash: d.borderDash, n: d.data.length })));
    assert.deepEqual(
      ds.map((d) => d.label),
      ['instructions · pid 101', 'branches · pid 101', 'branch-misses · pid 101', 'IPC · pid 101', 'instructions · pid 202', 'branches · pid 202', 'branch-misses · pid 202', 'IPC · pid 202'],
    );
    assert.equal(ds[0]!.color, ds[4]!.color, 'a series keeps its colour across streams');
    assert.notDeepEqual(ds[0]!.dash, ds[4]!.dash, 'streams differ by line style');
    assert.equal(ds[0]!.n, a.length);
    assert.equal(ds[4]!.n, b.length);
    const select = p.page.getByRole('combobox', { name: 'Stream the cards follow' });
    assert.ok(await select.isVisible());
    assert.equal((await cardText(p, 2)).value, a.at(-1)!.inference.scenario);
    await select.selectOption('pid 202');
    await p.settle();
    assert.equal((await cardText(p, 2)).value, b.at(-1)!.inference.scenario);
    assert.ok((await cardText(p, 0)).detail.includes('pid 202'));
    const markers = await p.hook((h) => h.markers().map((m) => m.label));
    const changes = [...a, ...b].filter((f) => f.inference.stateChange).length;
    assert.equal(markers.length, changes);
    assert.ok(markers.every((m) => /\(pid (101|202)\)$/.test(m)), markers.join());
    await p.screenshot('two-streams');
    noProblems(p);
    await p.close();
  });

  it('decimates long windows to the chart width and keeps every spike', async () => {
    // The bridge run replayed 25 times at 10 Hz: 5,225 real frames in one window.
    const frames: Frame[] = [];
    for (let r = 0; r < 25; r++) for (const f of bridge.frames) frames.push({ ...f, t: (frames.length + 1) / 10, dt: 0.1, inference: { ...f.inference, stateChange: undefined } as Frame['inference'] });
    const p = await browser.open(DARK, 'decimation');
    await p.send(init('decimation', frames, 600));
    const r = await p.hook((h) => {
      const c = h.charts['caches']!;
      const d = c.data.datasets[0]!.data.filter((q) => q.y !== null).map((q) => q.y as number);
      return { n: c.data.datasets[0]!.data.length, width: c.width, min: Math.min(...d), max: Math.max(...d) };
    });
    assert.ok(r.n <= r.width + 2, `${r.n} points for a canvas ${r.width} px wide`);
    assert.ok(r.n < frames.length / 2);
    const values = frames.map((f) => f.rates['cache-references']!);
    close(r.min, Math.min(...values), 'smallest value survives');
    close(r.max, Math.max(...values), 'largest value survives');
    noProblems(p);
    await p.close();
  });

  it('charts the counters of a session without a model and says why the answers are unknown', async () => {
    const intervals = (await readAllIntervals(dataset('itc21/on-off/ovs.csv'))).filter((iv) => iv.run === '2500-128');
    const frames = intervals.map((iv) => toFrame(fingerprint(iv), null));
    const p = await browser.open(LIGHT, 'ovs without a model');
    await p.send({ type: 'init', session: session('no-model', 'ovs without a model'), model: null, settings: { windowSeconds: 120 }, frames });
    assert.ok((await p.hook((h) => h.notices())).some((n) => n.id === 'no-model'));
    assert.equal((await cardText(p, 0)).value, 'unknown');
    const scenario = await cardText(p, 2);
    assert.equal(scenario.value, 'unknown', 'nothing was compared: not "no match"');
    assert.match(scenario.detail, /cannot be judged: no model is active/);
    const branches = await p.hook((h) => h.charts['computation']!.data.datasets[1]!.data.map((q) => q.y));
    assert.equal(branches.length, frames.length);
    branches.forEach((y, i) => close(y!, frames[i]!.rates['branches']!, `branches of interval ${i}`));
    assert.match(await p.text('.pca .caption'), /No model is active/);
    assert.match(await p.text('.similarity .caption'), /No model is active/);
    await p.screenshot('no-model-light');
    noProblems(p);
    await p.close();
  });

  it("tallies the CPU answers against the router's own counters in the state card", async () => {
    // The OpenNetVM bridge with the NF manager's per-second counters (nf_out.csv: rx_pps, tx_pps, rx_drop_rate).
    const nf = readFileSync(dataset('opennetvm-bridge/128B/nf_out.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const ivs = await readAllIntervals(dataset('opennetvm-bridge/128B/bridge.csv'));
    const pipeline = new SessionPipeline(model);
    const frames = ivs.slice(1, 31).map((iv, i) => pipeline.push({ ...iv, packets: { rx: Number(nf[i + 1]![4]), tx: Number(nf[i + 1]![5]), dropped: Number(nf[i + 1]![14]) } }).frame);
    const p = await browser.open(LIGHT);
    const plain = await browser.open(LIGHT);
    await p.send(init('counters', frames));
    await plain.send(init('no-counters', fastclick.frames));
    const a = p.page.locator('.infer-card .agreement');
    assert.ok(await a.isVisible());
    assert.match(await a.innerText(), /vs router counters: 30 agree, 0 disagree \(100 %\), 0 CPU unknown/);
    await p.screenshot('router-counters-tally');
    assert.equal(await plain.page.locator('.infer-card .agreement').isVisible(), false, 'no tally without counters');
    // The packet rate from the CPU alone, beside the router's own count and how the two agree.
    const last = frames.at(-1)!;
    const rate = p.page.locator('.rate-card');
    assert.ok(last.inference.pps && last.packets, 'the default model estimates the bridge\'s rate, and the counters give it');
    assert.equal(await rate.locator('.card-value').innerText(), formatPps(last.inference.pps));
    assert.match(await rate.locator('.card-detail').innerText(), /≈ 90 % range .* – /);
    const versus = await rate.locator('.rate-versus').innerText();
    assert.ok(versus.startsWith(`router counts ${formatPps(last.packets.pps)}: CPU estimate `), versus);
    assert.match(versus, /(above|below|the same as) the router's own count, (inside|outside) its range/);
    assert.equal(await plain.page.locator('.rate-card .rate-versus').innerText(), '', 'nothing to agree with without counters');
    assert.notEqual(await plain.page.locator('.rate-card .card-value').innerText(), '–');
    noProblems(p);
    await p.close();
    await plain.close();
  });

  it('reports script errors and CSP violations to the extension', async () => {
    const p = await browser.open(DARK);
    await p.run(`setTimeout(() => { throw new Error('probe failure in the panel'); }, 0)`);
    const err = await p.waitForPosted((m) => m.type === 'error');
    assert.ok(err.type === 'error' && err.message.includes('probe failure in the panel'), JSON.stringify(err));
    // Markup injected without the nonce must not run; the panel says it was blocked.
    await p.run(`(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.append(s); })()`);
    const v = await p.waitForPosted((m) => m.type === 'cspViolation');
    assert.ok(v.type === 'cspViolation' && v.directive.startsWith('script-src'), JSON.stringify(v));
    assert.equal(await p.run('window.__injected === undefined'), true);
    await p.run(`(() => { const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.append(s); })()`);
    const st = await p.waitForPosted((m) => m.type === 'cspViolation' && m.directive.startsWith('style-src'));
    assert.ok(st.type === 'cspViolation');
    await p.close();
  });
});
