import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import type { CompareSide } from '../../../src/core/compare/compareRuns.ts';
import { compareRuns } from '../../../src/core/compare/compareRuns.ts';
import { describeTimeRange, parseTimeRange, selectIntervals } from '../../../src/core/compare/selectIntervals.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const datasets = resolve(__dirname, '../../../../shared/datasets');
const onOff = (router: string) => resolve(datasets, 'itc21/on-off', `${router}.csv`);
const sfc = resolve(datasets, 'itc21/perf-stat-sfc/1-vnf-independent-core-freq-1-all-fastclick.txt');

const cache = new Map<string, Interval[]>();
async function load(file: string): Promise<Interval[]> {
  if (!cache.has(file)) cache.set(file, await readAllIntervals(file));
  return cache.get(file)!;
}

function side(ivs: Interval[], file: string, run?: string, range?: string): CompareSide {
  const picked = selectIntervals(ivs, file, run, range ? parseTimeRange(range) : undefined);
  return { label: `${file} ${run ?? ''} ${range ?? ''}`, fingerprints: picked.map(fingerprint) };
}

const meanOf = (s: CompareSide, f: string) => s.fingerprints.reduce((sum, fp) => sum + fp.rates[f]!, 0) / s.fingerprints.length;

describe('A/B comparison on the reference data', () => {
  let fastclick: Interval[];
  let vpp: Interval[];
  before(async () => {
    fastclick = await load(onOff('fastclick'));
    vpp = await load(onOff('vpp'));
  });

  it('finds FastClick and VPP different at 5000 Mbit/s, 64 B, and says how in plain words', () => {
    const a = side(fastclick, 'fastclick.csv', '5000-64');
    const b = side(vpp, 'vpp.csv', '5000-64');
    const r = compareRuns(a, b);
    const different = r.features.filter((f) => f.different).map((f) => f.feature);
    assert.ok(different.length >= 10, `only ${different.length} differences: ${different.join(', ')}`);
    for (const f of ['instructions', 'branch-misses', 'ipc', 'iTLB-load-misses']) assert.ok(different.includes(f), `${f} should differ`);
    // The verdict's first figure is the ratio of the mean instruction rates, computed here directly.
    const pct = Math.round((meanOf(b, 'instructions') / meanOf(a, 'instructions') - 1) * 100);
    assert.ok(pct > 0);
    assert.ok(r.verdict.startsWith(`Compared with A, B executes ${pct}% more instructions per second, misses `), r.verdict);
    assert.equal(r.highlights[0], 'instructions');
    assert.ok(r.similarity.cosine < 0.999 && r.similarity.cosine > 0.9, `similarity ${r.similarity.cosine}`);
    // Both runs go from idle to forwarding: the report says so.
    assert.ok(r.warnings.some((w) => w.startsWith('A changes level during its range (instructions at')));
  });

  it('finds the same routers different when only their forwarding state is compared', () => {
    const r = compareRuns(side(fastclick, 'f', '5000-64', '20:'), side(vpp, 'v', '5000-64', '20:'));
    assert.ok(r.features.filter((f) => f.different).length >= 10);
    assert.equal(r.a.intervals, 9);
    const ipc = r.features.find((f) => f.feature === 'ipc')!;
    assert.ok(ipc.different && ipc.ratio > 1.3);
  });

  it('reproduces the paper: forwarding FastClick misses more branches and executes fewer instructions than idle FastClick', () => {
    const r = compareRuns(side(fastclick, 'f', '5000-64', '0:15'), side(fastclick, 'f', '5000-64', '20:'));
    const bm = r.features.find((f) => f.feature === 'branch-misses')!;
    assert.ok(bm.different && bm.ratio > 2, `branch-misses ratio ${bm.ratio}`);
    assert.match(r.verdict, /^Compared with A, B executes \d+% fewer instructions per second, misses \d(\.\d)?x more branches per second/);
  });

  it('finds no difference between a run and itself', () => {
    const a = side(vpp, 'vpp.csv', '5000-64');
    const r = compareRuns(a, a);
    assert.ok(r.verdict.startsWith('No significant difference between A and B'), r.verdict);
    assert.ok(r.features.every((f) => f.p === 1 && !f.significant));
    assert.ok(Math.abs(r.similarity.cosine - 1) < 1e-12);
  });

  it('finds no difference between the two halves of steady stretches', () => {
    for (const [ivs, name, run, ra, rb] of [
      [fastclick, 'fastclick', '5000-64', '0:8', '8:15'],
      [vpp, 'vpp', '5000-64', '0:8', '8:16'],
      [vpp, 'vpp', '10000-64', '0:8', '8:15'],
      [fastclick, 'fastclick', '2500-512', '20:25', '25:'],
    ] as const) {
      const r = compareRuns(side(ivs, name, run, ra), side(ivs, name, run, rb));
      assert.deepEqual(
        r.features.filter((f) => f.different).map((f) => f.feature),
        [],
        `${name} ${run} ${ra} vs ${rb}: ${r.verdict}`,
      );
      assert.ok(r.verdict.startsWith('No significant difference'));
    }
  });

  it('finds no difference between the two halves of 5 minutes of multiplexed perf output', async () => {
    const ivs = await load(sfc);
    const r = compareRuns(side(ivs, 'sfc', undefined, ':150'), side(ivs, 'sfc', undefined, '150:'));
    assert.ok(r.a.intervals >= 149 && r.b.intervals >= 149);
    assert.ok(r.verdict.startsWith('No significant difference'), r.verdict);
    assert.ok(r.warnings.some((w) => w.includes('multiplexed')));
  });

  it('carries time series of the highlighted features for the charts', () => {
    const r = compareRuns(side(fastclick, 'f', '5000-64'), side(vpp, 'v', '5000-64'));
    assert.equal(r.series.length, 4);
    assert.equal(r.series[0]!.feature, 'instructions');
    assert.equal(r.series[0]!.a.length, 29);
    assert.ok(Math.abs(r.series[0]!.a[0]![0] - 1) < 1e-3);
  });

  it('with a model, gives each side\'s packet rate from the CPU alone: the faster run is the faster, each range holds its offered rate', async () => {
    const model = await loadDefaultModel();
    const r = compareRuns(side(vpp, 'v', '2500-64', '21:'), side(vpp, 'v', '7500-64', '21:'), { model });
    const { a, b } = r.cpuRate!;
    assert.ok(a && b);
    assert.ok(b.pps > 2 * a.pps, `${a.pps} vs ${b.pps}`);
    // Offered: RATE Mbit/s of 64-byte frames plus 20 bytes of preamble and gap.
    for (const [s, offered] of [[a, 2500e6 / 672], [b, 7500e6 / 672]] as const) assert.ok(s.low <= offered && offered <= s.high, `${s.low}..${s.high} vs ${offered}`);
    assert.equal(compareRuns(side(vpp, 'v', '2500-64'), side(vpp, 'v', '7500-64')).cpuRate, undefined, 'no model, no estimate');
  });
});

describe('interval selection', () => {
  let fastclick: Interval[];
  before(async () => {
    fastclick = await load(onOff('fastclick'));
  });

  it('takes an interval when its middle is in the range', () => {
    assert.equal(selectIntervals(fastclick, 'f', '5000-64', parseTimeRange('0:15')).length, 15);
    assert.equal(selectIntervals(fastclick, 'f', '5000-64', parseTimeRange('20:')).length, 9);
    assert.equal(selectIntervals(fastclick, 'f', '5000-64', parseTimeRange(':1')).length, 1);
  });

  it('explains what is wrong with a run or range', () => {
    assert.throws(() => selectIntervals(fastclick, 'fastclick.csv'), /fastclick.csv holds 20 runs or streams \(10000-128, .*\); choose one/);
    assert.throws(() => selectIntervals(fastclick, 'fastclick.csv', '5000-99'), /run "5000-99" is not in fastclick.csv; it has 20: /);
    assert.throws(() => selectIntervals(fastclick, 'fastclick.csv', '5000-64', parseTimeRange('40:50')), /no intervals of fastclick.csv \[5000-64\] within 40:50 s; it spans 0.0–29.0 s/);
    assert.throws(() => parseTimeRange('9:5'), /ends before it starts/);
    assert.throws(() => parseTimeRange('a:5'), /start "a" is not a number of seconds/);
    assert.deepEqual(parseTimeRange('20:'), { from: 20 });
    assert.equal(describeTimeRange(parseTimeRange('20:')), 'from 20 s');
    assert.equal(describeTimeRange(parseTimeRange(':15')), 'up to 15 s');
    assert.equal(describeTimeRange(parseTimeRange('0:15')), '0–15 s');
  });

  it('refuses sides without intervals', () => {
    assert.throws(() => compareRuns({ label: 'empty', fingerprints: [] }, { label: 'x', fingerprints: [] }), /empty has no intervals to compare/);
  });
});
