import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildModel } from '../../../src/core/calibration/calibrate.ts';
import { loadCounterRecordings, samplesFromCounters } from '../../../src/core/calibration/counterSamples.ts';
import { readMoonGenLoss } from '../../../src/core/calibration/moongenLoss.ts';
import { LOSSY_SHARE } from '../../../src/core/calibration/referenceData.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { countersLabel } from '../../../src/core/inference/counterLabels.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');

/**
 * An OpenNetVM run's perf intervals with the NF manager's own per-second counters
 * (nf_out.csv: rx_pps, tx_pps, rx_drop_rate) as the router's packet counts: real
 * router counters, aligned with bridge.csv from the first second.
 */
async function onvmWithCounters(run: string): Promise<{ intervals: Interval[]; truth: boolean[] }> {
  const dir = path.join(datasets, 'opennetvm-bridge', run);
  const nf = readFileSync(path.join(dir, 'nf_out.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const perf = await readAllIntervals(path.join(dir, 'bridge.csv'));
  const n = Math.min(nf.length, perf.length);
  const intervals = perf.slice(0, n).map((iv, i) => ({ ...iv, packets: { rx: Number(nf[i]![4]), tx: Number(nf[i]![5]), dropped: Number(nf[i]![14]), source: 'opennetvm' } }));
  const mg = await readMoonGenLoss(path.join(dir, 'tx_stats.csv'), path.join(dir, 'rx_stats.csv'));
  return { intervals, truth: intervals.map((_, i) => (mg[i]?.lossRatio ?? 0) > LOSSY_SHARE) };
}

describe("labels from the router's own counters", () => {
  it('idle without packets received, lossy above 1 % of the offered packets', () => {
    assert.deepEqual(countersLabel({ rx: 0, tx: 0, dropped: 0 }), { state: 'idle' });
    assert.deepEqual(countersLabel({ rx: 1000, tx: 1000, dropped: 10 }), { state: 'processing', loss: 'clean' });
    assert.deepEqual(countersLabel({ rx: 1000, tx: 990, dropped: 11 }), { state: 'processing', loss: 'lossy' });
    assert.deepEqual(countersLabel({ rx: 0, tx: 0, dropped: 5 }), { state: 'idle', loss: 'lossy' });
  });

  it("the NF manager's counters of an OpenNetVM run agree with the generator's loss, and a model learnt from them alone finds the loss of another run", async () => {
    const e2 = await onvmWithCounters('exp-2');
    const samples = samplesFromCounters(e2.intervals, 'exp-2');
    assert.equal(samples.length, e2.intervals.length);
    assert.ok(samples.filter((s) => s.state === 'processing').length >= 0.99 * samples.length);
    const agree = samples.filter((s, i) => (s.loss === 'lossy') === e2.truth[i]).length / samples.length;
    assert.ok(agree >= 0.9, `labels agree with MoonGen on ${agree}`);
    // Only processing labels: the state part comes from the default model, the loss region from the counters.
    const model = buildModel({ samples, recordings: [] }, { name: 'exp-2 counters', stateFallback: (await loadDefaultModel()).state });
    assert.ok(model.loss, 'a loss region');
    assert.deepEqual(model.state, (await loadDefaultModel()).state, 'too few idle seconds to fit a state detector: the default one is kept');
    const e7 = await onvmWithCounters('exp-7');
    const engine = createInferenceEngine(model);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    e7.intervals.forEach((iv, i) => {
      const lossy = engine.next(fingerprint(iv)).loss === 'lossy';
      if (lossy && e7.truth[i]) tp++;
      else if (lossy) fp++;
      else if (e7.truth[i]) fn++;
    });
    const f1 = (2 * tp) / (2 * tp + fp + fn);
    assert.ok(f1 >= 0.85, `F1 on exp-7 ${f1} (${tp}/${fp}/${fn})`);
  });

  it('a recording without router counters is refused, naming it', async () => {
    const file = path.join(datasets, 'itc21/perf-stat-sfc/1-vnf-independent-core-freq-1-all-fastclick.txt');
    await assert.rejects(loadCounterRecordings([file]), (e: Error) => e.message.includes(file) && /packet counters/.test(e.message));
  });
});

describe("the router's counters in the live inference", () => {
  it('keep a running tally of the CPU answers against the counters, and answer where the CPU view cannot', async () => {
    const model = await loadDefaultModel();
    const { intervals } = await onvmWithCounters('128B');
    const engine = createInferenceEngine(model);
    let last;
    for (const iv of intervals.slice(1, 21)) last = engine.next(fingerprint(iv), iv.packets);
    assert.deepEqual(last!.agreement, { agree: 20, disagree: 0, abstained: 0 });
    assert.deepEqual(last!.counters, { state: 'processing', loss: 'clean' });
    // A host without a PMU: only software events. The CPU view abstains, the counters answer.
    const bare = { ...fingerprint(intervals[30]!), rates: { 'task-clock': 1000, 'context-switches': 1 } };
    const e2 = createInferenceEngine(model);
    const a = e2.next(bare);
    assert.equal(a.state, 'unknown');
    assert.match(a.stateReason!, /no memory-traffic counters/);
    const b = e2.next({ ...bare, t: bare.t + 1 }, { rx: 5, tx: 5, dropped: 0 });
    assert.equal(b.state, 'processing');
    assert.equal(b.stateBasis, 'router-counters');
    assert.deepEqual(b.agreement, { agree: 0, disagree: 0, abstained: 1 });
  });
});

describe('learning the state on a host without a hardware PMU', () => {
  it('fits on the software events when no memory-traffic event is counted, says so, and the model answers from them', () => {
    // Shaped like a recorded dpdk-testpmd on taps: the kernel wakes it for every burst of packets.
    const iv = (i: number, busy: boolean): Interval => {
      const wobble = 1 + 0.1 * Math.sin(i);
      const counters = { 'task-clock': (busy ? 130 : 55) * wobble, 'cpu-clock': (busy ? 125 : 55) * wobble, 'context-switches': Math.round((busy ? 11_000 : 30) * wobble), 'page-faults': 0 };
      return { t: 0.5 * (i + 1), dt: 0.5, counters, running: {}, units: {}, notCounted: [], unsupported: ['LLC-loads', 'LLC-stores', 'cache-references', 'branch-misses'], stream: 'pid-1', packets: busy ? { rx: 9000, tx: 9000, dropped: 0 } : { rx: 0, tx: 0, dropped: 0 } };
    };
    const intervals = Array.from({ length: 36 }, (_, i) => iv(i, i >= 12 && i < 26));
    const model = buildModel({ samples: samplesFromCounters(intervals, 'lab'), recordings: [] }, { name: 'lab' });
    assert.deepEqual(model.state.features, ['context-switches', 'cpu-clock', 'task-clock'], 'varying software events; page-faults stays at 0');
    assert.deepEqual(model.provenance.counts.state, { idle: 22, processing: 14 });
    assert.match(model.provenance.notes?.join('\n') ?? '', /state fitted on software events \(context-switches, cpu-clock, task-clock\)/);
    const engine = createInferenceEngine(model);
    const answers = intervals.map((x) => engine.next(fingerprint(x)).state);
    const right = answers.filter((s, i) => s === (intervals[i]!.packets!.rx > 0 ? 'processing' : 'idle')).length;
    assert.ok(right >= 32, `${right}/36 right: ${answers.join(' ')}`);
  });
});
