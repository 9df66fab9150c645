import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { Exporter } from '../../../src/core/exporter/exporter.ts';
import { ReplayRouterSource } from '../../../src/core/exporter/replaySource.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';

const HAVE_PROMTOOL = spawnSync('promtool', ['--version']).status === 0;

describe('/metrics and promtool', { skip: !HAVE_PROMTOOL && 'promtool is not installed (Debian: apt install prometheus)' }, () => {
  test('the Prometheus text of a router with packet counters and the exporter’s own process metrics passes promtool check metrics with no warning', async () => {
    const ivs = (await bridgeWithPackets()).slice(0, 20).map((x) => x.iv);
    const exporter = new Exporter({ model: await loadDefaultModel() });
    const source = new ReplayRouterSource({ labels: { host: 'replay', router: 'fastclick', pid: '5', comm: 'click' }, intervals: ivs, hz: 200, loop: true });
    exporter.add(source);
    await source.start();
    for (let i = 0; (exporter.routers.values().next().value?.intervals ?? 0) < 5; i++) {
      assert.ok(i < 500, 'the replayed router never delivered 5 intervals');
      await new Promise((r) => setTimeout(r, 10));
    }
    const { body } = await exporter.scrape('text/plain');
    await exporter.stopAll();
    assert.match(body, /^nodejs_active_handles[ {]/m, 'the default process metrics are there');
    assert.match(body, /^vnf_lens_packets_total\{/m, 'packet counters are there');
    const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'promtool says nothing');
    assert.equal(r.status, 0);
  });
});
