import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { compareRuns, type CompareSide } from '../../../src/core/compare/compareRuns.ts';
import { renderMarkdown } from '../../../src/core/compare/render/markdown.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { intervalPacketMetrics, withPacketFeatures } from '../../../src/core/fingerprint/packetMetrics.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';

// The OpenNetVM bridge run changes its offered rate every 10 s and comes back to some
// rates later: the same router at the same load, and at another load, with real counts.

let ivs: Interval[];

function side(label: string, from: number, to: number, packets = true): CompareSide {
  const picked = ivs.slice(from, to + 1);
  return { label, fingerprints: picked.map((iv) => (packets ? withPacketFeatures(fingerprint(iv), iv) : fingerprint(iv))) };
}

describe('compare with the routers\' own packet counters', () => {
  before(async () => {
    ivs = (await bridgeWithPackets()).map((s) => s.iv);
  });

  it('adds cost per packet, throughput and drop ratio as features, with their units and means', () => {
    const r = compareRuns(side('1.6 Mpps', 19, 27), side('2.3 Mpps', 139, 147));
    const cycles = r.features.find((f) => f.feature === 'cycles-per-packet')!;
    assert.ok(cycles, r.features.map((f) => f.feature).join());
    assert.equal(cycles.unit, 'cycles/pkt');
    const mean = (from: number, to: number) => ivs.slice(from, to + 1).reduce((a, iv) => a + intervalPacketMetrics(iv, fingerprint(iv))!.cyclesPerPacket!, 0) / (to - from + 1);
    assert.ok(Math.abs(cycles.a.mean - mean(19, 27)) < 1e-9 * cycles.a.mean);
    assert.ok(Math.abs(cycles.b.mean - mean(139, 147)) < 1e-9 * cycles.b.mean);
    assert.equal(r.features.find((f) => f.feature === 'cpu-ns-per-packet')!.unit, 'ns/pkt');
    assert.equal(r.features.find((f) => f.feature === 'packets-per-second')!.unit, '/s');
    // A busy poller at a higher load spends fewer cycles per packet: the verdict leads with it.
    assert.ok(cycles.different && cycles.ratio < 0.8, `ratio ${cycles.ratio}`);
    assert.equal(r.highlights[0], 'cycles-per-packet');
    assert.match(r.verdict, /spends \d+% fewer cycles per packet/);
    assert.ok(!r.highlights.includes('cpu-ns-per-packet'), 'CPU time per packet tells the same story');
    assert.ok(r.warnings.some((w) => /offered different loads \(about 1\.6\d\d and 2\.2\d\d Mpps\)/.test(w)), r.warnings.join('\n'));
    assert.match(renderMarkdown(r), /cycles-per-packet/);
  });

  it('finds no difference in cost per packet for the same router at the same load, and no load warning', () => {
    const r = compareRuns(side('first 1.6 Mpps stretch', 19, 27), side('second 1.6 Mpps stretch', 159, 167));
    const cycles = r.features.find((f) => f.feature === 'cycles-per-packet')!;
    assert.equal(cycles.different, false, `${cycles.relativeDifference}`);
    assert.ok(Math.abs(cycles.relativeDifference) < 0.05);
    assert.ok(!r.warnings.some((w) => w.includes('offered different loads')), r.warnings.join('\n'));
  });

  it('compares cost per packet only when both sides carry packet counts', () => {
    const r = compareRuns(side('with counters', 19, 27), side('without', 159, 167, false));
    assert.ok(!r.features.some((f) => f.feature.endsWith('-per-packet')));
    assert.ok(r.onlyInA.includes('cycles-per-packet') && r.onlyInA.includes('cpu-ns-per-packet'), r.onlyInA.join());
  });
});
