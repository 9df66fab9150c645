import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { toFrame } from '../../../src/core/ui/frames.ts';
import type { Frame } from '../../../src/protocol.ts';
import { BucketCache, seriesWindow, type XY } from '../../../webview/live/decimate.ts';
import { Labels, SERIES_INDEX, seriesId } from '../../../webview/live/columns.ts';
import { History } from '../../../webview/live/history.ts';
import { StreamHistory } from '../../../webview/live/streamHistory.ts';
import { intervalPacketMetrics } from '../../../src/core/fingerprint/packetMetrics.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';
import { dataset } from '../../support/paths.ts';

// The live panel's memory (webview/live/history.ts and its rings, decimate.ts) is plain TypeScript:
// checked here against the frames of a real recording, without a browser.

let runs: Frame[][];

before(async () => {
  const model = await loadDefaultModel();
  const engine = createInferenceEngine(model);
  const ivs = await readAllIntervals(dataset('itc21/on-off/fastclick.csv'));
  const byRun = new Map<string, Frame[]>();
  for (const iv of ivs) {
    const fp = fingerprint(iv);
    const f = toFrame(fp, engine.next(fp));
    const list = byRun.get(iv.run!) ?? [];
    list.push(f);
    byRun.set(iv.run!, list);
  }
  runs = [...byRun.values()];
});

const INSTR = SERIES_INDEX.get(seriesId({ kind: 'rate', key: 'instructions' }))!;

describe('StreamHistory', () => {
  it('keeps the newest intervals of a ring, with their values and inference', () => {
    const frames = runs[0]!;
    const h = new StreamHistory('', 0, 10);
    const labels = new Labels();
    for (const f of frames) h.push(f, labels);
    assert.equal(h.size, 10);
    const kept = frames.slice(-10);
    kept.forEach((f, i) => {
      assert.equal(h.tAt(i), f.t);
      assert.equal(h.value(INSTR, i), Math.fround(f.rates['instructions']!));
      const inf = h.inferenceAt(i, labels);
      assert.equal(inf.state, f.inference.state);
      assert.equal(inf.scenario, f.inference.scenario);
      assert.equal(inf.loss, f.inference.loss);
    });
    assert.equal(h.atOrBefore(kept[3]!.t), 3);
    assert.equal(h.atOrBefore(kept[3]!.t + 0.5), 3);
    assert.equal(h.atOrBefore(kept[0]!.t - 0.5), -1);
    // Markers older than the oldest kept interval are dropped with it.
    for (const m of h.markers) assert.ok(m.t >= h.firstT, JSON.stringify(m));
  });

  it('keeps the packet figures beside the counters and remembers which series were ever counted', async () => {
    const model = await loadDefaultModel();
    const engine = createInferenceEngine(model);
    const run = (await bridgeWithPackets()).slice(0, 40);
    const h = new StreamHistory('', 0, 100);
    const labels = new Labels();
    const frames = run.map(({ iv }) => {
      const fp = fingerprint(iv);
      return toFrame(fp, engine.next(fp), { packets: intervalPacketMetrics(iv, fp) });
    });
    for (const f of frames) h.push(f, labels);
    frames.forEach((f, i) => {
      assert.equal(h.valueOf({ kind: 'packets', key: 'pps' }, i), Math.fround(f.packets!.pps));
      const cycles = f.packets!.cyclesPerPacket;
      assert.equal(h.valueOf({ kind: 'packets', key: 'cyclesPerPacket' }, i), cycles === null ? NaN : Math.fround(cycles));
    });
    assert.equal(h.hasCounted({ kind: 'packets', key: 'pps' }), true);
    assert.equal(h.hasCounted({ kind: 'rate', key: 'minor-faults' }), true, 'the bridge run counted minor-faults');
    assert.equal(h.hasCounted({ kind: 'rate', key: 'cpu-migrations' }), false, 'not in its event list');
    // A run without packet counts has none.
    const plain = new StreamHistory('', 0, 10);
    for (const f of runs[0]!) plain.push(f, labels);
    assert.equal(plain.hasCounted({ kind: 'packets', key: 'pps' }), false);
  });

  it('continues one timeline across runs and perf restarts, with a marker at each', () => {
    const [a, b] = [runs[0]!, runs[1]!];
    const h = new StreamHistory('', 0, 1000);
    const labels = new Labels();
    for (const f of [...a, ...b]) h.push(f, labels);
    assert.equal(h.size, a.length + b.length);
    for (let i = 1; i < h.size; i++) assert.ok(h.tAt(i) > h.tAt(i - 1), `time goes forward at ${i}`);
    const restarts = h.markers.filter((m) => m.kind === 'restart');
    assert.equal(restarts.length, 1);
    assert.equal(restarts[0]!.run, b[0]!.run);
    assert.equal(restarts[0]!.t, a.at(-1)!.t);
    const changes = [...a, ...b].filter((f) => f.inference.stateChange).length;
    assert.equal(h.markers.filter((m) => m.kind === 'state').length, changes);
    // The state card's "since": the engine's change into the state shown.
    const last = h.size - 1;
    const since = h.stateSince(last);
    const change = b.filter((f) => f.inference.stateChange).at(-1)!.inference.stateChange!;
    assert.deepEqual(since, { t: change.t + (h.tAt(a.length) - b[0]!.t), fromChange: true });
    // A repeated interval is dropped.
    assert.equal(h.push(b.at(-1)!, labels), false);
  });
});

describe('seriesWindow', () => {
  function fill(capacity: number): StreamHistory {
    const h = new StreamHistory('', 0, capacity);
    const labels = new Labels();
    for (const run of runs) for (const f of run) h.push(f, labels);
    return h;
  }

  function brute(h: StreamHistory, from: number, to: number): { min: number; max: number } {
    let min = Infinity;
    let max = -Infinity;
    for (let i = h.lowerBound(from); i < h.lowerBound(to); i++) {
      const v = h.value(INSTR, i);
      if (!Number.isNaN(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return { min, max };
  }

  it('draws every interval when they fit, and breaks the line at missing values', () => {
    const h = fill(2000);
    const out: XY[] = [];
    const w = seriesWindow(h, INSTR, 0, 40, 100, out, new BucketCache());
    assert.equal(out.length, 40);
    out.forEach((p, i) => {
      assert.equal(p.x, h.tAt(i));
      assert.equal(p.y, h.value(INSTR, i));
    });
    assert.equal(w.count, 40);
  });

  it('keeps the minimum and maximum of each bucket, the same with and without the cache', () => {
    const h = fill(2000);
    const cache = new BucketCache();
    const span = 120;
    // Slide a window over the whole session, reusing the cache as the panel does.
    for (let end = h.firstT + span; end <= h.lastT; end += 7.3) {
      const i0 = h.lowerBound(end - span);
      const i1 = h.atOrBefore(end) + 1;
      const cached: XY[] = [];
      const fresh: XY[] = [];
      seriesWindow(h, INSTR, i0, i1, 40, cached, cache);
      seriesWindow(h, INSTR, i0, i1, 40, fresh, new BucketCache());
      assert.deepEqual(cached, fresh, `window ending at ${end}`);
      assert.ok(fresh.length <= 2 * 40 + 4, `${fresh.length} points`);
      const ys = fresh.filter((p) => p.y !== null).map((p) => p.y!);
      const b = brute(h, h.tAt(i0), h.tAt(i1 - 1) + 1e-9);
      assert.equal(Math.min(...ys), b.min);
      assert.equal(Math.max(...ys), b.max);
      for (let k = 1; k < fresh.length; k++) assert.ok(fresh[k]!.x >= fresh[k - 1]!.x, 'points in time order');
    }
  });
});

describe('History', () => {
  it('keeps one ring per stream and the similarities of the newest frames', () => {
    const frames = runs[0]!.map((f, i) => ({ ...f, stream: i % 2 ? 'b' : 'a', similarities: { 'fastclick:5000-64': i / 100 } }));
    const hist = new History(['fastclick:5000-64', 'fastclick:500-64']);
    assert.equal(hist.add(frames), frames.length);
    assert.deepEqual([...hist.streams.keys()], ['a', 'b']);
    assert.equal(hist.latestT, frames.at(-1)!.t);
    const snap = hist.similarities.atOrBefore(frames[10]!.t, 'a')!;
    assert.equal(snap.stream, 'a');
    assert.equal(snap.t, frames[10]!.t);
    assert.equal(snap.values[0], Math.fround(0.1));
    assert.ok(Number.isNaN(snap.values[1]!), 'a scenario the frame did not mention');
  });
});
