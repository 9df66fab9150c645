import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBps, formatCost, formatDropPercent, formatPps, mpps, packetFragment } from '../../../src/core/ui/packetText.ts';

describe('packet wording', () => {
  it('reads packet rates the way router people write them', () => {
    assert.equal(formatPps(4_850_123), '4.85 Mpps');
    assert.equal(formatPps(14_880_952), '14.9 Mpps');
    assert.equal(formatPps(12_300), '12.3 kpps');
    assert.equal(formatPps(999.6), '1000 pps');
    assert.equal(formatPps(0), '0 pps');
    assert.equal(mpps(4_850_123), '4.85');
    assert.equal(mpps(12_000), '0.012');
  });
  it('reads bit rates, drop percentages and costs per packet', () => {
    assert.equal(formatBps(4_967_953_494), '4.97 Gbit/s');
    assert.equal(formatBps(432_996_224), '433 Mbit/s');
    assert.equal(formatDropPercent(0), '0 %');
    assert.equal(formatDropPercent(0.00002), '<0.01 %');
    assert.equal(formatDropPercent(0.000151), '0.015 %');
    assert.equal(formatDropPercent(0.0289), '2.89 %');
    assert.equal(formatDropPercent(0.37), '37 %');
    assert.equal(formatDropPercent(null), '– %');
    assert.equal(formatCost({ value: 534.4, unit: 'cycles' }), '534 cycles/pkt');
    assert.equal(formatCost({ value: 206.2, unit: 'ns' }), '206 ns/pkt');
    assert.equal(formatCost({ value: 12_345, unit: 'ns' }), '12.3 µs/pkt');
    assert.equal(formatCost({ value: 2_500_000, unit: 'cycles' }), '2.50M cycles/pkt');
    assert.equal(formatCost({ value: 42.25, unit: 'cycles' }), '42.3 cycles/pkt');
  });
  it('makes the short fragment of status lines, naming drops only when there are any', () => {
    assert.equal(packetFragment({ pps: 4_850_123, dropRatio: 0, dropsPerSecond: 0 }), '4.85 Mpps');
    assert.equal(packetFragment({ pps: 1_350_000, dropRatio: 0.0159, dropsPerSecond: 21_800 }), '1.35 Mpps · 1.59 % dropped');
    assert.equal(packetFragment({ pps: 0, dropRatio: null, dropsPerSecond: 0 }), '0 pps');
  });
});
