import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Exporter } from '../../../src/core/exporter/exporter.ts';
import { ReplayRouterSource, loadReplayIntervals } from '../../../src/core/exporter/replaySource.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { dataset, repoRoot } from '../../support/paths.ts';

interface Panel {
  title: string;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { expr: string; refId: string }[];
}

/** Metric names a PromQL expression reads (words before `{` or `[`, or a bare name in label_values). */
function metricNames(expr: string): string[] {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...noStrings.matchAll(/\b([a-zA-Z_:][\w:]*)\s*(?=\{|\[)|label_values\(\s*([a-zA-Z_:][\w:]*)\s*[,){]/g)].map((m) => (m[1] ?? m[2])!);
}

test('the Grafana dashboard is importable JSON and every query reads a metric the exporter writes', async () => {
  const dash = JSON.parse(readFileSync(join(repoRoot, 'media', 'grafana-dashboard.json'), 'utf8')) as {
    __inputs: { name: string; type: string; pluginId: string }[];
    uid: string;
    title: string;
    panels: Panel[];
    templating: { list: { name: string; query: { query: string } }[] };
  };
  assert.deepEqual(dash.__inputs.map((i) => [i.name, i.type, i.pluginId]), [['DS_PROMETHEUS', 'datasource', 'prometheus']]);
  assert.ok(dash.uid && dash.title);
  const exprs = [...dash.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...dash.templating.list.map((v) => v.query.query)];
  assert.ok(exprs.length >= 15);
  const ids = new Set(dash.panels.map((p) => (p as unknown as { id: number }).id));
  assert.equal(ids.size, dash.panels.length, 'panel ids are unique');
  for (const p of dash.panels) assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${p.title} fits the 24-column grid`);

  // What a real exporter writes for a router with the full event set and a model.
  const exporter = new Exporter({ model: await loadDefaultModel() });
  const ivs = await loadReplayIntervals(dataset('itc21/on-off/fastclick.csv'), { run: '5000-64' });
  const source = new ReplayRouterSource({ labels: { host: 'replay', router: 'fastclick', pid: '1', comm: 'click' }, intervals: ivs, hz: 1000, loop: true, offset: 22 });
  // And a router with its own packet counters, for the throughput, drop and cost panels.
  const bridge = new ReplayRouterSource({ labels: { host: 'replay', router: 'bridge', pid: '2', comm: 'bridge' }, intervals: (await bridgeWithPackets()).slice(0, 30).map((x) => x.iv), hz: 1000, loop: true });
  exporter.add(source);
  exporter.add(bridge);
  await source.start();
  await bridge.start();
  while ([...exporter.routers.values()].every((r) => r.inference?.scenario == null)) await new Promise((r) => setTimeout(r, 5));
  // The bridge's first interval with packets (for the cost panels) may come a moment after the first scenario.
  let text = (await exporter.scrape(undefined)).body;
  for (const until = Date.now() + 10_000; !/^vnf_lens_cpu_seconds_per_packet\b/m.test(text) && Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 20));
    text = (await exporter.scrape(undefined)).body;
  }
  await source.stop();
  await bridge.stop();
  const written = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => /^[\w:]+/.exec(l)![0]));

  const used = new Set(exprs.flatMap(metricNames));
  assert.ok(used.size >= 12, [...used].join(' '));
  for (const name of used) assert.ok(written.has(name), `the dashboard queries ${name}, which the exporter does not write`);
});
