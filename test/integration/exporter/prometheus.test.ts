import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { findBinary, missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { expectNoPerfAttached, waitFor } from '../../support/live.ts';
import { dataset, repoRoot } from '../../support/paths.ts';
import { type Testpmd, startTestpmd } from '../../support/testpmd.ts';
import { cliArgs } from '../../support/cli.ts';

const missing = missingBinaries('prometheus', 'perf', 'dpdk-testpmd');

interface Child {
  pid: number;
  log(): string;
  exited: Promise<number | undefined>;
  kill(signal?: NodeJS.Signals): void;
}

/** A program of the test, logged, and killed by the exit handler if a failure leaves it running. */
async function spawn(what: string, file: string, args: string[]): Promise<Child> {
  const { execa } = await loadExeca();
  const child = execa(file, args, { cwd: repoRoot, stdin: 'ignore', buffer: false, reject: false, all: true });
  let log = '';
  child.all!.setEncoding('utf8');
  child.all!.on('data', (t: string) => (log = (log + t).slice(-200_000)));
  let done = false;
  const exited = child.then((r) => {
    done = true;
    return r.exitCode;
  });
  const untrack = track(`${what} ${child.pid}`, () => done || killQuietly(child.pid), { kind: 'process', pid: child.pid! });
  void exited.then(untrack);
  return { pid: child.pid!, log: () => log, exited, kill: (s = 'SIGTERM') => void (done || killQuietly(child.pid, s)) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

describe('vnf-lens serve scraped by a real Prometheus', { skip: missing }, () => {
  let dir: string;
  let router: Testpmd;
  let exporter: Child;
  let prometheus: Child;
  let exporterUrl: string;
  let promUrl: string;

  async function query(q: string): Promise<PromSeries[]> {
    const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as { status: string; data: { result: PromSeries[] }; error?: string };
    assert.equal(body.status, 'success', `${q}: ${body.error ?? ''}`);
    return body.data.result;
  }

  /** Polls a PromQL query until `ok` holds for its result. */
  async function until(q: string, ok: (r: PromSeries[]) => boolean, timeoutMs = 20_000): Promise<PromSeries[]> {
    const started = Date.now();
    for (;;) {
      const last = await query(q);
      if (ok(last)) return last;
      if (Date.now() - started > timeoutMs) throw new Error(`PromQL ${q} did not give the expected result in ${timeoutMs} ms; last: ${JSON.stringify(last)}\nexporter log:\n${exporter.log().slice(-3000)}\nprometheus log:\n${prometheus.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-prom-'));
    track(`folder ${dir}`, () => rmSync(dir, { recursive: true, force: true }), { kind: 'path', path: dir });
    router = await startTestpmd();
    const exporterPort = await freePort();
    exporterUrl = `http://127.0.0.1:${exporterPort}`;
    // Only this test's routers: other testpmds on the machine have other file prefixes.
    exporter = await spawn('vnf-lens serve', process.execPath, cliArgs([
      'serve',
      '--listen',
      `127.0.0.1:${exporterPort}`,
      '--local',
      `--match=--file-prefix=vnflens-${process.pid}-`,
      '--interval',
      '300',
      '--events',
      'task-clock,context-switches,page-faults',
      '--poll',
      '0.5',
      '--replay',
      `${dataset('itc21/on-off/fastclick.csv')}#5000-64`,
      '--replay-hz',
      '10',
    ]));
    let exited = false;
    void exporter.exited.then(() => (exited = true));
    await waitFor('the exporter to listen', () => exited || exporter.log().includes('serving metrics at'), 30_000).catch(() => undefined);
    if (!exporter.log().includes('serving metrics at')) throw new Error(`vnf-lens serve did not start:\n${exporter.log()}`);

    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, ['global:', '  scrape_interval: 1s', '  scrape_timeout: 900ms', 'scrape_configs:', '  - job_name: vnf-lens', '    static_configs:', `      - targets: ['127.0.0.1:${exporterPort}']`, ''].join('\n'));
    prometheus = await spawn('prometheus', findBinary('prometheus')!, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn']);
    const started = Date.now();
    for (;;) {
      const ready = await fetch(`${promUrl}/-/ready`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() - started > 20_000) throw new Error(`prometheus did not get ready:\n${prometheus.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    prometheus?.kill();
    exporter?.kill();
    await Promise.all([prometheus?.exited, exporter?.exited]);
    await router?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("PromQL sees the live router's counter rates and the replayed router's inference", async () => {
    const pid = String(router.pid);
    const rates = await until(`vnf_lens_rate{event="task-clock",pid="${pid}"} > 0`, (r) => r.length === 1);
    assert.deepEqual(rates[0]!.metric, { __name__: 'vnf_lens_rate', event: 'task-clock', host: 'local', router: 'dpdk', pid, comm: 'dpdk-testpmd', instance: exporterUrl.slice(7), job: 'vnf-lens' });
    // A polling DPDK worker: a good share of a CPU, in ms per second.
    const ms = Number(rates[0]!.value[1]);
    assert.ok(ms > 100 && ms <= 2 * 1000 * 1.1, `task-clock ${ms} ms/s`);
    const up = await query('up{job="vnf-lens"}');
    assert.equal(up[0]?.value[1], '1');

    // The replay carries the full event set: over its processing rows a scenario is named.
    const scen = await until('max_over_time(vnf_lens_scenario_info{host="replay"}[1m])', (r) => r.length > 0);
    assert.ok(scen.every((s) => s.metric['scenario'] !== undefined && s.metric['comm'] === 'fastclick#5000-64'));
    const states = await query('max_over_time(vnf_lens_state{host="replay"}[1m]) == 1');
    assert.ok(states.some((s) => s.metric['state'] === 'processing'), JSON.stringify(states));
    const health = await query('vnf_lens_exporter_sessions{state="running"}');
    assert.deepEqual(health.map((s) => [s.metric['host'], s.value[1]]).sort(), [
      ['local', '1'],
      ['replay', '1'],
    ]);
  });

  test("every panel query of the shipped Grafana dashboard returns series for these routers", async () => {
    const dash = JSON.parse(readFileSync(join(repoRoot, 'media', 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    // The dashboard's variables with "All" selected, as Grafana expands them.
    const expand = (expr: string) => expr.replace(/\$(host|comm|job|event)\b/g, '.+');
    const failures: string[] = [];
    for (const panel of dash.panels) {
      for (const t of panel.targets) {
        const q = expand(t.expr);
        const r = await until(q, (x) => x.length > 0, 20_000).catch(() => []);
        if (r.length === 0) failures.push(`${panel.title}: ${q}`);
      }
    }
    assert.deepEqual(failures, [], 'panel queries without series');
    // The packet panels show the live testpmd, from its own telemetry.
    const pps = await query(expand(dash.panels.find((p) => p.title.startsWith('Packets per second'))!.targets[0]!.expr));
    assert.ok(pps.some((x) => x.metric['comm'] === 'dpdk-testpmd' && Number(x.value[1]) > 0), JSON.stringify(pps));
  });

  test('a restarted router is attached again under its new PID; the old series go', async () => {
    const old = String(router.pid);
    await router.stop();
    router = await startTestpmd();
    const pid = String(router.pid);
    await until(`vnf_lens_rate{event="task-clock",pid="${pid}"} > 0`, (r) => r.length === 1);
    await until('vnf_lens_exporter_reconnects_total{host="local",cause="router-restart"}', (r) => r[0]?.value[1] === '1');
    const text = await (await fetch(`${exporterUrl}/metrics`)).text();
    assert.ok(!text.includes(`pid="${old}"`), 'no series of the old PID on /metrics');
    // Prometheus marks the vanished series stale: no current value.
    await until(`vnf_lens_rate{pid="${old}"}`, (r) => r.length === 0, 5000);
  });

  test('SIGTERM stops the exporter cleanly: perf detached, port closed, exit 0', async () => {
    exporter.kill('SIGTERM');
    assert.equal(await exporter.exited, 0, exporter.log().slice(-2000));
    assert.match(exporter.log(), /SIGTERM: stopping the sessions…\n(.|\n)*vnf-lens: stopped\n/);
    await expectNoPerfAttached(router.pid);
    await assert.rejects(fetch(`${exporterUrl}/metrics`));
  });
});
