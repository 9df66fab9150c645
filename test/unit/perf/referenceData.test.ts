import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { dataset } from '../../support/paths.ts';

// The three perf layouts of the published reference data.
describe('reference data from the paper authors', () => {
  it('reads the 2023 OpenNetVM bridge run (variance column, heavy multiplexing): 209 intervals of 31 events', async () => {
    const diags: ParseDiagnostic[] = [];
    const ivs = await readAllIntervals(dataset('opennetvm-bridge', '128B', 'bridge.csv'), { onDiagnostic: (d) => diags.push(d) });
    assert.deepEqual(diags, []);
    assert.equal(ivs.length, 209);
    for (const iv of ivs) {
      assert.equal(Object.keys(iv.counters).length, 31);
      assert.equal(Object.keys(iv.running).length, 31);
    }
    // First line of the file: instructions 937494621 counted 8.39 % of the time.
    assert.equal(ivs[0]!.counters['instructions'], 937494621);
    assert.equal(ivs[0]!.running['instructions'], 8.39);
    const minRunning = Math.min(...ivs.flatMap((iv) => Object.values(iv.running)));
    assert.ok(minRunning < 10, 'the multiplexing percentages are kept');
  });

  for (const [file, intervals, dt] of [
    ['1-vnf-independent-core-freq-1-all-fastclick.txt', 299, 1],
    ['1-vnf-collocated-core-freq-2-single-vnf.txt', 598, 0.5],
    ['3-vnf-independent-core-freq-2-all-vnfs.txt', 598, 0.5],
  ] as const) {
    it(`reads the 2022 FastClick SFC run ${file}`, async () => {
      const diags: ParseDiagnostic[] = [];
      const ivs = await readAllIntervals(dataset('itc21', 'perf-stat-sfc', file), { onDiagnostic: (d) => diags.push(d) });
      assert.deepEqual(diags, []);
      assert.equal(ivs.length, intervals);
      for (const iv of ivs.slice(1)) {
        assert.equal(Object.keys(iv.counters).length, 31);
        assert.ok(Math.abs(iv.dt - dt) < 0.01, `dt ${iv.dt} at t=${iv.t}`);
      }
    });
  }

  it('reads the wide on-off CSV as one run per RATE-SIZE column group', async () => {
    const ivs = await readAllIntervals(dataset('itc21', 'on-off', 'fastclick.csv'));
    const runs = new Map<string, number>();
    for (const iv of ivs) runs.set(iv.run!, (runs.get(iv.run!) ?? 0) + 1);
    assert.equal(runs.size, 20);
    for (const n of runs.values()) assert.equal(n, 29);
    assert.ok(runs.has('5000-64') && runs.has('10000-1400') && runs.has('500-512'));
    const one = ivs.find((iv) => iv.run === '5000-64')!;
    assert.equal(Object.keys(one.counters).length, 31);
    assert.equal(one.t, 1.000497118);
    // Row 0 of column 5000-64-branch-misses in the file.
    assert.equal(one.counters['branch-misses'], 1937552);
  });
});
