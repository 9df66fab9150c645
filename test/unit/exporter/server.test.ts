import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Exporter } from '../../../src/core/exporter/exporter.ts';
import { ReplayRouterSource, loadReplayIntervals } from '../../../src/core/exporter/replaySource.ts';
import { type MetricsServer, startMetricsServer } from '../../../src/core/exporter/server.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { dataset } from '../../support/paths.ts';

/** Sends raw bytes on a new connection; resolves with everything received once the server closes it (or after `waitMs`). */
async function raw(port: number, data: string, waitMs = 5000): Promise<{ text: string; closedByServer: boolean }> {
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  let text = '';
  s.setEncoding('latin1');
  s.on('data', (d: string) => (text += d));
  s.on('error', () => undefined);
  s.write(data);
  const closed = new Promise<boolean>((r) => s.once('close', () => r(true)));
  const closedByServer = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), waitMs))]);
  s.destroy();
  return { text, closedByServer };
}

describe('metrics server under hostile clients', () => {
  let exporter: Exporter;
  let server: MetricsServer;
  let url: string;
  const builds = () => exporter.expositions.prometheus.builds + exporter.expositions.openMetrics.builds;

  before(async () => {
    exporter = new Exporter({ model: await loadDefaultModel(), processMetrics: false, refreshMs: 60_000 });
    const ivs = await loadReplayIntervals(dataset('itc21/on-off/fastclick.csv'), { run: '5000-64' });
    for (let i = 0; i < 8; i++) {
      const s = new ReplayRouterSource({ labels: { host: 'replay', router: 'fastclick', pid: String(i + 1), comm: 'click' }, intervals: ivs, hz: 20, loop: true, offset: i });
      exporter.add(s);
      await s.start();
    }
    // Every router has a reading before the first scrape builds the exposition.
    for (let i = 0; [...exporter.routers.values()].some((r) => r.intervals === 0); i++) {
      if (i > 1000) throw new Error('the replayed routers gave no interval in 20 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    server = await startMetricsServer(exporter, { host: '127.0.0.1', port: 0 }, { headersTimeoutMs: 500, maxRequestsPerSocket: 3 });
    url = `http://127.0.0.1:${server.address.port}/metrics`;
  });

  after(async () => {
    await exporter.stopAll();
    await server.close();
  });

  test('concurrent scrapes share one build of the exposition', async () => {
    await fetch(url).then((r) => r.text());
    const before = builds();
    const bodies = await Promise.all(Array.from({ length: 64 }, () => fetch(url).then((r) => r.text())));
    assert.ok(bodies.every((b) => b === bodies[0] && b.includes('vnf_lens_rate{')));
    // One shared build; a background refresh may land in the middle on a loaded machine. One build per request would be 64.
    assert.ok(builds() - before <= 2, `${builds() - before} builds for 64 concurrent scrapes`);
  });

  test('pipelined requests cost no build each; a connection that pipelines too many is closed', async () => {
    const before = builds();
    const flood = 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(25_000);
    const results = await Promise.all(Array.from({ length: 8 }, () => raw(server.address.port, flood, 30_000)));
    for (const r of results) {
      assert.ok(r.closedByServer, 'the server closed the connection');
      assert.ok((r.text.match(/HTTP\/1\.1 200/g) ?? []).length <= 8, 'at most the allowed pipelined answers');
    }
    assert.ok(builds() - before <= 2, `${builds() - before} builds for 8 x 25,000 pipelined requests`);
    const ok = await fetch(url);
    assert.equal(ok.status, 200, 'still serving');
    await ok.text();
  });

  test('oversized headers are refused, slow headers time out, and a connection serves a bounded number of requests', async () => {
    const big = await raw(server.address.port, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    assert.match(big.text, /^HTTP\/1\.1 431/);
    const t0 = Date.now();
    const slow = await raw(server.address.port, 'GET /metrics HTTP/1.1\r\nHost: x\r\n', 10_000);
    assert.ok(slow.closedByServer, 'a request whose headers never end is dropped');
    assert.ok(Date.now() - t0 < 9000);
    const three = await raw(server.address.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3), 3000);
    assert.equal((three.text.match(/HTTP\/1\.1 200/g) ?? []).length, 3);
    assert.match(three.text, /Connection: close/i, 'the last allowed request closes the connection');
  });
});
