import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { Exporter } from '../../../src/core/exporter/exporter.ts';
import { ReplayRouterSource, loadReplayIntervals } from '../../../src/core/exporter/replaySource.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { intervalPacketMetrics } from '../../../src/core/fingerprint/packetMetrics.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { dataset } from '../../support/paths.ts';

const OPEN_METRICS = 'application/openmetrics-text; version=1.0.0';
const labels = (pid: string) => ({ host: 'replay', router: 'fastclick', pid, comm: 'click' });

/** Sample lines of one metric name (with labels and value), parsed. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const l: Record<string, string> = {};
    for (const p of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) l[p[1]!] = p[2]!;
    out.push({ labels: l, value: Number(m[3]) });
  }
  return out;
}

function one(text: string, name: string, extra: Record<string, string> = {}): number | undefined {
  const hit = samples(text, name).filter((s) => Object.entries(extra).every(([k, v]) => s.labels[k] === v));
  assert.ok(hit.length <= 1, `${name} ${JSON.stringify(extra)} has ${hit.length} series`);
  return hit[0]?.value;
}

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 500) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('exporter metrics text', () => {
  test('a replayed router exports what the inference engine says about the same intervals', async () => {
    const model = await loadDefaultModel();
    const ivs = await loadReplayIntervals(dataset('itc21/on-off/fastclick.csv'), { run: '5000-64' });
    const exporter = new Exporter({ model, processMetrics: false });
    const source = new ReplayRouterSource({ labels: labels('7'), intervals: ivs, hz: 200 });
    assert.ok(exporter.add(source));
    await source.start();
    // Into the processing rows (20-28), before the run ends and the series go.
    await waitUntil(() => (exporter.routers.values().next().value?.intervals ?? 0) >= 24);
    const { body, contentType } = await exporter.scrape(OPEN_METRICS);
    await source.stop();
    assert.match(contentType, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.ok(body.endsWith('# EOF\n'));

    const k = one(body, 'vnf_lens_intervals_total', { pid: '7' })!;
    assert.ok(k >= 24 && k <= ivs.length, `scraped after ${k} intervals`);
    const engine = createInferenceEngine(model);
    let fp, inf;
    for (const iv of ivs.slice(0, k)) inf = engine.next((fp = fingerprint(iv)));
    assert.ok(fp && inf);
    const close = (a: number | undefined, b: number, what: string) => assert.ok(a !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
    for (const event of ['branch-misses', 'task-clock', 'LLC-stores']) close(one(body, 'vnf_lens_rate', { event }), fp.rates[event]!, event);
    close(one(body, 'vnf_lens_ipc'), fp.derived['ipc']!, 'ipc');
    close(one(body, 'vnf_lens_miss_ratio', { ratio: 'branch' }), fp.derived['branch-miss-ratio']!, 'branch miss ratio');
    // One state and one regime at 1, the others at 0.
    assert.deepEqual(
      samples(body, 'vnf_lens_state').map((s) => [s.labels['state'], s.value]),
      ['idle', 'processing', 'unknown'].map((s) => [s, s === inf.state ? 1 : 0]),
    );
    assert.equal(samples(body, 'vnf_lens_loss_regime').find((s) => s.value === 1)?.labels['regime'], inf.loss);
    close(one(body, 'vnf_lens_loss_score'), inf.lossScore!, 'loss score');
    assert.equal(inf.state, 'processing', 'the run is processing by row 24');
    assert.ok(inf.scenario !== null);
    assert.deepEqual(
      samples(body, 'vnf_lens_scenario_info').map((s) => [s.labels['scenario'], s.value]),
      [[inf.scenario, 1]],
    );
    close(one(body, 'vnf_lens_scenario_similarity'), inf.similarity!, 'similarity');
    close(one(body, 'vnf_lens_scenario_margin'), inf.margin!, 'margin');
    assert.ok(inf.pps !== null && inf.ppsRange !== null, 'the default model estimates the packet rate of a processing router');
    close(one(body, 'vnf_lens_estimated_packet_rate', { bound: 'estimate' }), inf.pps, 'estimated pps');
    close(one(body, 'vnf_lens_estimated_packet_rate', { bound: 'low' }), inf.ppsRange[0], 'pps range low');
    close(one(body, 'vnf_lens_estimated_packet_rate', { bound: 'high' }), inf.ppsRange[1], 'pps range high');
    const running = Object.values(fp.running);
    close(one(body, 'vnf_lens_counted_percent', { stat: 'min' }), Math.min(...running), 'min counted %');
    assert.equal(one(body, 'vnf_lens_exporter_sessions', { host: 'replay', state: 'running' }), 1);
    const age = one(body, 'vnf_lens_exporter_last_interval_age_seconds')!;
    assert.ok(age >= 0 && age < 5, `age ${age}`);
    for (const s of samples(body, 'vnf_lens_rate')) assert.deepEqual(Object.keys(s.labels), ['host', 'router', 'pid', 'comm', 'event']);
  });

  test('a router that goes away leaves no series; health stays, with zeros for its host', async () => {
    const exporter = new Exporter({ model: await loadDefaultModel(), processMetrics: false });
    const ivs = (await loadReplayIntervals(dataset('itc21/on-off/vpp.csv'), { run: '500-64' })).slice(0, 3);
    const a = new ReplayRouterSource({ labels: labels('1'), intervals: ivs, hz: 500 });
    const b = new ReplayRouterSource({ labels: labels('2'), intervals: ivs, hz: 5, loop: true });
    exporter.add(a);
    exporter.add(b);
    const ended = once(a, 'end');
    await a.start();
    await b.start();
    await ended;
    await waitUntil(() => exporter.routers.size === 1);
    const text = (await exporter.scrape(undefined)).body;
    await b.stop();
    assert.equal(samples(text, 'vnf_lens_intervals_total').filter((s) => s.labels['pid'] === '1').length, 0);
    for (const line of text.split('\n')) assert.ok(!/pid="1"/.test(line), `left over: ${line}`);
    assert.equal(one(text, 'vnf_lens_exporter_sessions', { state: 'running' }), 1);

    const after = (await exporter.scrape(undefined)).body;
    assert.ok(!/^vnf_lens_rate\{/m.test(after), 'no router series once both are gone');
    assert.deepEqual(
      samples(after, 'vnf_lens_exporter_sessions').map((s) => s.value),
      [0, 0, 0, 0],
    );
    assert.equal(one(after, 'vnf_lens_exporter_attach_failures_total', { host: 'replay' }), 0);
  });

  test('Prometheus text for plain scrapers, counters named _total in both formats, series bounded by --max-routers', async () => {
    const exporter = new Exporter({ model: null, maxRouters: 2 });
    const ivs: Interval[] = (await loadReplayIntervals(dataset('itc21/on-off/ovs.csv'), { run: '500-64' })).slice(0, 2);
    const sources = ['1', '2', '3'].map((pid) => new ReplayRouterSource({ labels: labels(pid), intervals: ivs, hz: 100, loop: true }));
    assert.deepEqual(
      sources.map((s) => exporter.add(s)),
      [true, true, false],
    );
    for (const s of sources.slice(0, 2)) await s.start();
    await waitUntil(() => [...exporter.routers.values()].every((r) => r.intervals > 0));
    const prom = await exporter.scrape('text/plain');
    const om = await exporter.scrape(OPEN_METRICS);
    await exporter.stopAll();
    assert.match(prom.contentType, /^text\/plain; version=0\.0\.4/);
    assert.ok(!prom.body.includes('# EOF'));
    assert.match(prom.body, /^# TYPE vnf_lens_intervals_total counter$/m);
    assert.match(om.body, /^# TYPE vnf_lens_intervals counter$/m);
    for (const body of [prom.body, om.body]) {
      assert.equal(samples(body, 'vnf_lens_intervals_total').length, 2);
      assert.equal(one(body, 'vnf_lens_exporter_attach_failures_total', { host: 'replay' }), 1);
      // Without a model: counters and ratios only.
      assert.equal(samples(body, 'vnf_lens_state').length, 0);
      assert.ok(samples(body, 'vnf_lens_rate').length >= 2 * 25);
      assert.ok(one(body, 'process_resident_memory_bytes')! > 0);
    }
  });

  test("a router with its own packet counters exports throughput, drops and cost per packet (OpenNetVM bridge with MoonGen counts)", async () => {
    const run = (await bridgeWithPackets()).slice(0, 60);
    const ivs = run.map((x) => x.iv);
    const exporter = new Exporter({ model: null, processMetrics: false });
    const withPackets = new ReplayRouterSource({ labels: labels('9'), intervals: ivs, hz: 200 });
    const without = new ReplayRouterSource({ labels: labels('10'), intervals: ivs.map(({ packets: _p, ...iv }) => iv), hz: 200, loop: true });
    exporter.add(withPackets);
    exporter.add(without);
    await withPackets.start();
    await without.start();
    await waitUntil(() => (exporter.routers.get([...exporter.routers.keys()].find((k) => exporter.routers.get(k)!.labels.pid === '9')!)?.intervals ?? 0) >= 30);
    const { body } = await exporter.scrape(OPEN_METRICS);
    await exporter.stopAll();
    const k = one(body, 'vnf_lens_intervals_total', { pid: '9' })!;
    const seen = ivs.slice(0, k);
    const last = seen.at(-1)!;
    const m = intervalPacketMetrics(last, fingerprint(last))!;
    const close = (a: number | undefined, b: number, what: string) => assert.ok(a !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
    close(one(body, 'vnf_lens_packet_rate', { pid: '9', direction: 'rx' }), m.pps, 'rx pps');
    close(one(body, 'vnf_lens_packet_rate', { pid: '9', direction: 'dropped' }), m.dropsPerSecond, 'dropped pps');
    close(one(body, 'vnf_lens_bit_rate', { pid: '9' }), m.bps!, 'bit rate');
    close(one(body, 'vnf_lens_cycles_per_packet', { pid: '9' }), m.cyclesPerPacket!, 'cycles per packet');
    close(one(body, 'vnf_lens_instructions_per_packet', { pid: '9' }), m.instructionsPerPacket!, 'instructions per packet');
    close(one(body, 'vnf_lens_cpu_seconds_per_packet', { pid: '9' }), m.cpuNsPerPacket! / 1e9, 'CPU seconds per packet');
    if (m.dropRatio !== null) close(one(body, 'vnf_lens_drop_ratio', { pid: '9' }), m.dropRatio, 'drop ratio');
    // OpenMetrics names the counter family without _total and its samples with it.
    assert.match(body, /^# TYPE vnf_lens_packets counter$/m);
    for (const direction of ['rx', 'tx', 'dropped'] as const) {
      close(one(body, 'vnf_lens_packets_total', { pid: '9', direction }), seen.reduce((a, iv) => a + iv.packets![direction], 0), `${direction} total`);
    }
    // The same router without a counter source: its CPU series, no packet series.
    assert.ok(samples(body, 'vnf_lens_rate').some((x) => x.labels['pid'] === '10'));
    for (const name of ['vnf_lens_packet_rate', 'vnf_lens_packets_total', 'vnf_lens_cycles_per_packet', 'vnf_lens_cpu_seconds_per_packet', 'vnf_lens_drop_ratio']) {
      assert.equal(samples(body, name).filter((x) => x.labels['pid'] === '10').length, 0, `${name} absent without counters`);
    }
  });
});
