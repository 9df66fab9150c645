import { similarityRecord } from '../../../src/core/inference/scenarioMatcher.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { parsePerfText, readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { CHART_EVENTS } from '../../../src/core/ui/chartGroups.ts';
import { batchForPanel, toFrame, withSimilarities } from '../../../src/core/ui/frames.ts';
import { intervalPacketMetrics } from '../../../src/core/fingerprint/packetMetrics.ts';
import { SessionPipeline } from '../../../src/core/session/sessionPipeline.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { dataset } from '../../support/paths.ts';

describe('toFrame', () => {
  it('carries the charted rates, the inference and the state change of a real FastClick run', async () => {
    const model = await loadDefaultModel();
    const engine = createInferenceEngine(model);
    const ivs = (await readAllIntervals(dataset('itc21/on-off/fastclick.csv'))).filter((iv) => iv.run === '5000-64');
    const frames = ivs.map((iv) => {
      const fp = fingerprint(iv);
      const inf = engine.next(fp);
      return { fp, inf, frame: toFrame(fp, inf) };
    });
    for (const { fp, inf, frame } of frames) {
      assert.equal(frame.t, fp.t);
      assert.equal(frame.run, '5000-64');
      assert.deepEqual(Object.keys(frame.rates).sort(), Object.keys(fp.rates).filter((e) => CHART_EVENTS.has(e)).sort());
      for (const [e, v] of Object.entries(frame.rates)) assert.equal(v, fp.rates[e]);
      assert.equal(frame.derived['ipc'], fp.derived['ipc']);
      assert.equal(frame.inference.state, inf.state);
      assert.equal(frame.inference.scenario, inf.scenario);
      assert.deepEqual(frame.inference.pca, inf.pca);
      assert.equal(frame.similarities, undefined, 'similarities only when asked for');
      // Frames cross a JSON boundary unchanged.
      assert.deepEqual(JSON.parse(JSON.stringify(frame)), frame);
    }
    const changes = frames.filter((f) => f.inf.stateChange);
    assert.ok(changes.length > 0);
    for (const c of changes) assert.deepEqual(c.frame.inference.stateChange, c.inf.stateChange);
    const last = frames.at(-1)!;
    const withSims = toFrame(last.fp, last.inf, { similarities: true });
    assert.deepEqual(withSims.similarities, similarityRecord(last.inf.similarities));
    assert.deepEqual(withSimilarities(last.frame, last.inf).similarities, similarityRecord(last.inf.similarities));
  });

  it('lists multiplexed events with their share of the interval (OpenNetVM bridge recording)', async () => {
    const [iv] = await readAllIntervals(dataset('opennetvm-bridge/128B/bridge.csv'));
    const fp = fingerprint(iv!);
    const frame = toFrame(fp, null);
    const expected = Object.entries(fp.running).filter(([, p]) => p < 100);
    assert.ok(expected.length > 0);
    assert.deepEqual(Object.keys(frame.multiplexed).sort(), expected.map(([e]) => e).sort());
    for (const [e, p] of expected) assert.ok(Math.abs(frame.multiplexed[e]! - p) <= 0.005);
    assert.equal(frame.inference.state, 'unknown', 'no model: no inference');
  });

  it('keeps unsupported events as missing and never emits non-finite numbers', () => {
    const text = ['1.000100000,<not supported>,,instructions,0,100.00,,', '1.000100000,12.5,msec,task-clock,12500000,100.00,0.012,CPUs utilized', '1.000100000,3,,context-switches,12500000,100.00,,'].join('\n');
    const [iv] = parsePerfText(text);
    const fp = fingerprint({ ...iv!, dt: 0 });
    const frame = toFrame(fp, null);
    assert.ok(frame.missing.includes('instructions'));
    assert.deepEqual(frame.rates, {}, 'rates over a zero-length interval are dropped');
    const back = JSON.parse(JSON.stringify(frame)) as typeof frame;
    for (const m of [back.rates, back.derived, back.multiplexed]) for (const v of Object.values(m)) assert.ok(Number.isFinite(v));
    const ok = toFrame(fingerprint(iv!), null);
    assert.equal(ok.rates['task-clock'], 12.5 / iv!.dt);
  });

  it('batches keep the similarities of the newest frame only', async () => {
    const model = await loadDefaultModel();
    const engine = createInferenceEngine(model);
    const ivs = (await readAllIntervals(dataset('itc21/on-off/vpp.csv'))).filter((iv) => iv.run === '500-64').slice(-3);
    const frames = ivs.map((iv) => {
      const fp = fingerprint(iv);
      return toFrame(fp, engine.next(fp), { similarities: true });
    });
    assert.ok(frames.every((f) => f.similarities !== undefined));
    const batch = batchForPanel(frames);
    assert.deepEqual(
      batch.map((x) => x.similarities),
      [undefined, undefined, frames[2]!.similarities],
    );
    assert.ok(frames[0]!.similarities, 'the input frames are left as they were');
  });
});

describe('frames with the router\'s packet counters', () => {
  it('carry throughput, drops and cost per packet of each interval (OpenNetVM bridge with MoonGen counts)', async () => {
    const run = await bridgeWithPackets();
    const pipeline = new SessionPipeline(await loadDefaultModel());
    for (const { iv } of run) {
      const step = pipeline.push(iv);
      const m = intervalPacketMetrics(iv, step.fingerprint)!;
      const p = step.frame.packets!;
      assert.ok(p, `frame ${iv.t} has packets`);
      assert.equal(p.pps, m.pps);
      assert.equal(p.txPps, m.txPps);
      assert.equal(p.dropRatio, m.dropRatio);
      assert.equal(p.bps, m.bps);
      assert.equal(p.cyclesPerPacket, m.cyclesPerPacket);
      assert.equal(p.cpuNsPerPacket, m.cpuNsPerPacket);
      assert.equal(p.source, 'moongen');
      assert.deepEqual(JSON.parse(JSON.stringify(step.frame)), step.frame);
    }
    const busiest = pipeline.frames.toArray().reduce((a, b) => (b.packets!.pps > a.packets!.pps ? b : a));
    assert.ok(busiest.packets!.pps > 6e6 && busiest.packets!.cyclesPerPacket! < 500);
  });

  it('have no packets field when the interval has no counter source', async () => {
    const [iv] = await readAllIntervals(dataset('opennetvm-bridge/128B/bridge.csv'));
    const step = new SessionPipeline(null).push(iv!);
    assert.equal('packets' in step.frame, false);
  });
});
