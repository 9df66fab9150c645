/**
 * Live panel under a long session: feeds a one-hour session at 10 Hz (36,000 frames,
 * one frame per batch as the extension sends them every 100 ms) to the built panel in
 * headless Chromium, in simulated time, and prints
 *   - the time to apply a batch and render it (p50/p95/p99/max), per tenth of the session,
 *   - the JS heap after a full GC at 10 %, 50 % and 100 % of the session (flat: ring buffer),
 *   - the time to re-hydrate a panel with the whole hour in one `init`.
 * Frames are real: the reference recordings run through fingerprint -> inference
 * engine -> toFrame, re-timed to 10 Hz and looped.
 *
 *   npm run build && node --import tsx scripts/bench-panel.ts [--hours 1] [--hz 10] [--window 120,3600]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDefaultModel } from '../src/core/model/load.ts';
import { modelView } from '../src/core/ui/modelView.ts';
import type { Frame, ToWebview } from '../src/protocol.ts';
import { batchForPanel } from '../src/core/ui/frames.ts';
import { dataset } from '../test/support/paths.ts';
import { replay } from '../test/integration/webview/frames.ts';
import { Browser, bundleBuilt, type PanelPage } from '../test/integration/webview/harness.ts';
import { DARK } from '../test/integration/webview/themes.ts';

interface Options {
  hours: number;
  hz: number;
  windows: number[];
}

function options(): Options {
  const { values } = parseArgs({ options: { hours: { type: 'string', default: '1' }, hz: { type: 'string', default: '10' }, window: { type: 'string', default: '120,3600' } } });
  const hours = Number(values.hours);
  const hz = Number(values.hz);
  const windows = values.window.split(',').map(Number);
  if (!(hours > 0) || !(hz > 0) || windows.some((w) => !(w > 0))) throw new Error('--hours, --hz and --window must be positive numbers');
  return { hours, hz, windows };
}

/** Real frames from the reference recordings: every on-off run of the four routers and the OpenNetVM bridge run. */
async function baseFrames(): Promise<Frame[]> {
  const model = await loadDefaultModel();
  const out: Frame[] = [];
  for (const router of ['fastclick', 'vpp', 'ovs', 'bess']) out.push(...(await replay(dataset(`itc21/on-off/${router}.csv`), model)).frames);
  out.push(...(await replay(dataset('opennetvm-bridge/128B/bridge.csv'), model)).frames);
  return out;
}

interface Phase {
  at: number;
  heapMB: number;
  /** ArrayBuffer backing stores (the ring buffers' typed arrays live there, outside the JS heap). */
  buffersMB: number;
  nodes: number;
  listeners: number;
}

interface RunResult {
  window: number;
  times: number[];
  phases: Phase[];
  wallSeconds: number;
}

async function heap(p: PanelPage): Promise<Omit<Phase, 'at'>> {
  const cdp = await p.page.context().newCDPSession(p.page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  await cdp.detach();
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
  return { heapMB: m('JSHeapUsedSize') / 2 ** 20, buffersMB: (usage.backingStorageSize ?? NaN) / 2 ** 20, nodes: m('Nodes'), listeners: m('JSEventListeners') };
}

/**
 * Page side: frame i of the session is base[i % n] re-timed to i / hz; each batch is
 * structured-cloned first (as postMessage delivers it) and the clone is not timed.
 * Timed: dispatching the `frames` message and rendering (charts, cards, notices).
 */
const PAGE_LOOP = `async (arg) => {
  const { from, to, hz } = arg;
  const base = globalThis.__benchBase;
  const hook = globalThis.__vnfLensPanel;
  const times = new Float64Array(to - from);
  const channel = new MessageChannel();
  const yieldNow = () => new Promise((r) => { channel.port1.onmessage = () => r(); channel.port2.postMessage(0); });
  for (let i = from; i < to; i++) {
    const b = base[i % base.length];
    const t = (i + 1) / hz;
    const inference = b.inference.stateChange ? { ...b.inference, stateChange: { ...b.inference.stateChange, t } } : b.inference;
    const batch = structuredClone([{ ...b, t, dt: 1 / hz, inference }]);
    const t0 = performance.now();
    dispatchEvent(new MessageEvent('message', { data: { type: 'frames', frames: batch } }));
    hook.renderNow();
    times[i - from] = performance.now() - t0;
    if ((i & 7) === 7) await yieldNow();
  }
  channel.port1.close();
  return Array.from(times);
}`;

async function runSession(browser: Browser, base: Frame[], o: Options, window: number): Promise<RunResult> {
  const total = Math.round(o.hours * 3600 * o.hz);
  const p = await browser.open(DARK, `bench ${window} s window`);
  const model = await loadDefaultModel();
  await p.send({ type: 'init', session: { id: `bench-${window}`, title: 'bench', host: 'recording', kind: 'replay', pids: [], events: [], intervalMs: 1000 / o.hz, status: 'replaying' }, model: modelView(model), settings: { windowSeconds: window }, frames: [] });
  await p.page.evaluate((b) => {
    (globalThis as unknown as { __benchBase: unknown }).__benchBase = b;
  }, base as unknown);
  const marks = [0.1, 0.5, 1].map((f) => Math.round(total * f));
  const times: number[] = [];
  const phases: Phase[] = [];
  const started = Date.now();
  let done = 0;
  for (const mark of marks) {
    while (done < mark) {
      const to = Math.min(mark, done + 3000);
      const chunk = (await p.page.evaluate(`(${PAGE_LOOP})(${JSON.stringify({ from: done, to, hz: o.hz })})`)) as number[];
      times.push(...chunk);
      done = to;
    }
    phases.push({ at: done / total, ...(await heap(p)) });
  }
  const problems = p.problems();
  if (problems.length > 0) throw new Error(`the panel reported problems during the run: ${problems.join('; ')}`);
  await p.close();
  return { window, times, phases, wallSeconds: (Date.now() - started) / 1000 };
}

/** Re-hydration: a panel becoming visible gets the whole ring buffer in one init. */
async function initWithHistory(browser: Browser, base: Frame[], o: Options): Promise<{ frames: number; ms: number; heapMB: number; buffersMB: number }> {
  const total = Math.round(o.hours * 3600 * o.hz);
  const frames: Frame[] = [];
  for (let i = 0; i < total; i++) {
    const b = base[i % base.length]!;
    const t = (i + 1) / o.hz;
    frames.push({ ...b, t, dt: 1 / o.hz, inference: b.inference.stateChange ? { ...b.inference, stateChange: { ...b.inference.stateChange, t } } : b.inference });
  }
  const model = await loadDefaultModel();
  const msg: ToWebview = { type: 'init', session: { id: 'bench-init', title: 'bench', host: 'recording', kind: 'replay', pids: [], events: [], intervalMs: 1000 / o.hz, status: 'replaying' }, model: modelView(model), settings: { windowSeconds: 120 }, frames: batchForPanel(frames) };
  const p = await browser.open(DARK, 'bench init');
  await p.page.evaluate((m) => {
    (globalThis as unknown as { __benchInit: unknown }).__benchInit = m;
  }, msg as unknown);
  const ms = (await p.page.evaluate(`(() => { const t0 = performance.now(); dispatchEvent(new MessageEvent('message', { data: globalThis.__benchInit })); const t = performance.now() - t0; globalThis.__benchInit = null; return t; })()`)) as number;
  const { heapMB, buffersMB } = await heap(p);
  await p.close();
  return { frames: total, ms, heapMB, buffersMB };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function stats(xs: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s.at(-1)! };
}

const f2 = (x: number) => x.toFixed(2).padStart(7);

async function main(): Promise<void> {
  if (!bundleBuilt()) throw new Error('media/dist/live.js is missing: run `npm run build` first');
  const o = options();
  const base = await baseFrames();
  const total = Math.round(o.hours * 3600 * o.hz);
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  console.log(`live panel benchmark: ${total} frames (${o.hours} h at ${o.hz} Hz, one frame per batch), ${base.length} distinct real frames looped, headless Chromium ${CHROMIUM_NOTE}`);
  const browser = await Browser.start();
  try {
    for (const w of o.windows) {
      const r = await runSession(browser, base, o, w);
      const all = stats(r.times);
      console.log(`\nwindow ${w} s: ${r.times.length} batches in ${r.wallSeconds.toFixed(0)} s wall time`);
      console.log(`  apply + render per batch (ms): p50 ${f2(all.p50)}  p95 ${f2(all.p95)}  p99 ${f2(all.p99)}  max ${f2(all.max)}`);
      const tenth = Math.floor(r.times.length / 10);
      const rows: string[] = [];
      for (let k = 0; k < 10; k++) {
        const s = stats(r.times.slice(k * tenth, (k + 1) * tenth));
        rows.push(`${(k + 1) * 10}%: p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)}`);
      }
      console.log(`  by tenth of the session (ms): ${rows.join(' | ')}`);
      const first = stats(r.times.slice(0, tenth)).p99;
      const lastP99 = stats(r.times.slice(-tenth)).p99;
      console.log(`  p99 last tenth / first tenth: ${(lastP99 / first).toFixed(2)}`);
      for (const ph of r.phases) console.log(`  after GC at ${String(Math.round(ph.at * 100)).padStart(3)} %: JS heap ${ph.heapMB.toFixed(1)} MB, array buffers ${ph.buffersMB.toFixed(1)} MB, ${ph.nodes} DOM nodes, ${ph.listeners} listeners`);
      console.log(`  heap 100 % / 10 %: ${(r.phases[2]!.heapMB / r.phases[0]!.heapMB).toFixed(3)}, 100 % / 50 %: ${(r.phases[2]!.heapMB / r.phases[1]!.heapMB).toFixed(3)}`);
    }
    const init = await initWithHistory(browser, base, o);
    console.log(`\ninit with ${init.frames} history frames (re-hydrating a panel): ${init.ms.toFixed(0)} ms to ingest and render; after GC: JS heap ${init.heapMB.toFixed(1)} MB, array buffers ${init.buffersMB.toFixed(1)} MB`);
  } finally {
    await browser.close();
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other processes share the cores: spikes in p99 follow the load)`);
}

const CHROMIUM_NOTE = '(--disable-gpu: software rendering)';

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exitCode = 1;
});
