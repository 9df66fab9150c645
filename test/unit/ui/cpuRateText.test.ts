import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuRateText, rateAgreement } from '../../../src/core/ui/cpuRateText.ts';

describe('packet rate from the CPU, as text', () => {
  it('gives the estimate with its range, the idle case, and nothing without an estimate', () => {
    assert.equal(cpuRateText({ pps: 4_121_831, ppsRange: [1_665_175, 11_222_122] }), '≈ 4.12 Mpps from the CPU (1.67–11.2 Mpps)');
    assert.equal(cpuRateText({ pps: 80_000, ppsRange: [40_000, 1_200_000] }), '≈ 80.0 kpps from the CPU (40.0 kpps–1.20 Mpps)');
    assert.equal(cpuRateText({ pps: 0, ppsRange: [0, 0] }), '0 pps from the CPU (idle)');
    assert.equal(cpuRateText({ pps: null, ppsRange: null }), null);
  });

  it('compares the estimate with the router\'s own count', () => {
    const a = rateAgreement({ pps: 1_050_000, ppsRange: [800_000, 1_300_000] }, 1_000_000)!;
    assert.equal(a.inRange, true);
    assert.ok(Math.abs(a.relative - 0.05) < 1e-9);
    assert.equal(a.text, "CPU estimate 5 % above the router's own count, inside its range");
    const b = rateAgreement({ pps: 500_000, ppsRange: [400_000, 700_000] }, 1_000_000)!;
    assert.equal(b.inRange, false);
    assert.equal(b.text, "CPU estimate 50 % below the router's own count, outside its range");
    assert.equal(rateAgreement({ pps: null, ppsRange: null }, 1), null);
  });
});
