/**
 * Soak benchmark of the exporter: many replayed routers at a high interval rate plus
 * one live dpdk-testpmd, all through the same Exporter and HTTP server `vnf-lens serve`
 * uses, scraped over HTTP like Prometheus does. Prints RSS and heap over time (memory
 * must stay flat) and scrape latency p50/p99 (target p99 <= 50 ms).
 *
 *   npm run bench:serve -- [--routers 50] [--hz 10] [--minutes 3] [--scrape-hz 2] [--no-live]
 *   npm run bench:serve -- --minutes 30      # the long soak
 *   npm run bench:serve -- --routers 16 --hz 1   # 16 targets at 1 s intervals
 *
 * Then a hostile phase: 8 connections each pipelining 25,000 requests without reading;
 * RSS and the number of exposition builds before and after are printed.
 */
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Exporter } from '../src/core/exporter/exporter.ts';
import { LiveRouterSource } from '../src/core/exporter/liveSource.ts';
import { ReplayRouterSource, loadReplayIntervals } from '../src/core/exporter/replaySource.ts';
import { startMetricsServer } from '../src/core/exporter/server.ts';
import { loadDefaultModel } from '../src/core/model/load.ts';
import { findBinary } from '../test/support/binaries.ts';
import { runAllCleanups } from '../test/support/cleanup.ts';
import { dataset } from '../test/support/paths.ts';
import { type Testpmd, startTestpmd } from '../test/support/testpmd.ts';

const { values: args } = parseArgs({
  options: {
    routers: { type: 'string', default: '50' },
    hz: { type: 'string', default: '10' },
    minutes: { type: 'string', default: '3' },
    'scrape-hz': { type: 'string', default: '2' },
    'no-live': { type: 'boolean', default: false },
  },
});

const MiB = 1024 * 1024;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const routers = Number(args.routers);
  const hz = Number(args.hz);
  const durationMs = Number(args.minutes) * 60_000;
  const model = await loadDefaultModel();
  const exporter = new Exporter({ model, maxRouters: routers + 10 });
  // Three real recordings, 31 events each: the replays differ in file and starting row.
  const files = ['itc21/perf-stat-sfc/1-vnf-independent-core-freq-1-all-fastclick.txt', 'itc21/perf-stat-sfc/1-vnf-collocated-core-freq-2-single-vnf.txt', 'opennetvm-bridge/exp-7/bridge.csv'];
  const recordings = await Promise.all(files.map((f) => loadReplayIntervals(dataset(f))));
  for (let i = 0; i < routers; i++) {
    const intervals = recordings[i % recordings.length]!;
    const s = new ReplayRouterSource({ labels: { host: `replay-${i % 5}`, router: 'fastclick', pid: String(10_000 + i), comm: `click-${i}` }, intervals, hz, loop: true, offset: i * 7 });
    exporter.add(s);
    await s.start();
  }
  let router: Testpmd | undefined;
  if (!args['no-live'] && findBinary('perf') && findBinary('dpdk-testpmd')) {
    router = await startTestpmd();
    const live = new LiveRouterSource({ target: { kind: 'local' }, pid: router.pid, labels: { host: 'local', router: 'dpdk', pid: String(router.pid), comm: 'dpdk-testpmd' }, events: ['task-clock', 'context-switches', 'page-faults', 'cpu-clock'], intervalMs: 100 });
    exporter.add(live);
    await live.start();
  } else if (!args['no-live']) console.log('no perf or dpdk-testpmd here: replays only');
  const server = await startMetricsServer(exporter, { host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${server.address.port}/metrics`;
  console.log(`${routers} replayed routers at ${hz} Hz${router ? ` + live dpdk-testpmd pid ${router.pid} at 10 Hz` : ''}; scraping ${url} at ${args['scrape-hz']} Hz for ${args.minutes} min`);

  const latencies: number[] = [];
  const window: number[] = [];
  const scrapeEvery = 1000 / Number(args['scrape-hz']);
  const started = performance.now();
  const rss: { t: number; rss: number; heap: number }[] = [];
  const reportEvery = Math.max(10_000, durationMs / 12);
  let nextReport = 0;
  const cpu0 = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  while (performance.now() - started < durationMs) {
    const t0 = performance.now();
    const r = await fetch(url, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
    const text = await r.text();
    const ms = performance.now() - t0;
    latencies.push(ms);
    window.push(ms);
    const bytes = text.length;
    const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    const el = performance.now() - started;
    if (el >= nextReport) {
      const m = process.memoryUsage();
      rss.push({ t: el / 1000, rss: m.rss / MiB, heap: m.heapUsed / MiB });
      window.sort((a, b) => a - b);
      console.log(`t=${(el / 1000).toFixed(0).padStart(5)} s  RSS ${(m.rss / MiB).toFixed(1)} MiB  heap ${(m.heapUsed / MiB).toFixed(1)} MiB  scrape p50 ${quantile(window, 0.5).toFixed(1)} ms p99 ${quantile(window, 0.99).toFixed(1)} ms  (${series} series, ${(bytes / 1024).toFixed(0)} KiB)`);
      window.length = 0;
      nextReport += reportEvery;
    }
    await new Promise((res) => setTimeout(res, Math.max(0, scrapeEvery - (performance.now() - t0))));
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - started) / 1000;
  const intervals = [...exporter.routers.values()].reduce((a, r) => a + r.intervals, 0);
  latencies.sort((a, b) => a - b);
  // Flatness: the second half's mean RSS against the first half's (after the first report, which includes warm-up).
  const steady = rss.slice(1);
  const half = Math.floor(steady.length / 2);
  const mean = (xs: { rss: number }[]) => xs.reduce((a, x) => a + x.rss, 0) / Math.max(1, xs.length);
  console.log(`\nscrapes: ${latencies.length}, p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms (target p99 <= 50 ms)`);
  const ex = [exporter.expositions.prometheus, exporter.expositions.openMetrics];
  const builds = ex.reduce((a, e) => a + e.builds, 0);
  console.log(`exposition built ahead ${builds} times, ${(ex.reduce((a, e) => a + e.buildMs, 0) / Math.max(1, builds)).toFixed(1)} ms each on average (a scrape that finds a build running waits for the rest of it)`);
  console.log(`event loop delay (what a scrape waits for before it is even read): p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
  console.log(`intervals handled: ${intervals} (${(intervals / wall).toFixed(0)}/s); exporter process CPU ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)} % of one core (includes this scraper)`);
  if (half > 0) console.log(`RSS, second half vs first half of the steady state: ${mean(steady.slice(half)).toFixed(1)} vs ${mean(steady.slice(0, half)).toFixed(1)} MiB (ratio ${(mean(steady.slice(half)) / mean(steady.slice(0, half))).toFixed(3)}; flat = about 1)`);
  await pipelinedFlood(server.address.port, exporter);
  await exporter.stopAll();
  await server.close();
  await router?.stop();
}

/** 8 connections x 25,000 pipelined GET /metrics that never read the answers. */
async function pipelinedFlood(port: number, exporter: Exporter): Promise<void> {
  const builds = () => exporter.expositions.prometheus.builds + exporter.expositions.openMetrics.builds;
  const rss0 = process.memoryUsage().rss;
  const b0 = builds();
  const t0 = performance.now();
  const request = 'GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n'.repeat(25_000);
  let peak = rss0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  await Promise.all(
    Array.from(
      { length: 8 },
      () =>
        new Promise<void>((resolve) => {
          const s = connect(port, '127.0.0.1', () => s.write(request));
          s.on('error', () => undefined);
          s.on('close', () => resolve());
          setTimeout(() => s.destroy(), 30_000);
        }),
    ),
  );
  clearInterval(sample);
  const t = performance.now();
  const r = await fetch(`http://127.0.0.1:${port}/metrics`);
  await r.text();
  console.log(`pipelined flood, 8 connections x 25,000 requests: done in ${((t - t0) / 1000).toFixed(1)} s, ${builds() - b0} exposition builds, RSS ${(rss0 / MiB).toFixed(0)} -> peak ${(peak / MiB).toFixed(0)} MiB; a normal scrape right after: ${(performance.now() - t).toFixed(1)} ms, HTTP ${r.status}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    runAllCleanups();
    console.error(e);
    process.exit(1);
  },
);
