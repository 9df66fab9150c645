// The packet-rate estimate with the rates per second the router ran: the share comes
// from task-clock, a missing or near-zero share takes the calibration's fill, and the
// range spans the absolute-only fit's range where the two fits disagree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { RateEstimator } from '../../../src/core/inference/rateEstimator.ts';
import type { RateModel } from '../../../src/core/model/model.ts';

const model: RateModel = {
  method: 'ridge-affine-rates',
  events: ['instructions'],
  scale: [1e9],
  fill: [2],
  weights: [1e6],
  bias: 1e5,
  ratio: [0.9, 1.1],
  seen: [1e5, 1e7],
  heldOutError: 0.05,
  intervals: 100,
  running: { clock: 'task-clock', scale: [2e9], fill: [3], weights: [5e5], absolute: { weights: [2e6], bias: 0, ratio: [0.8, 1.2] } },
};

const fp = (rates: Record<string, number>): Fingerprint => ({ t: 1, dt: 1, rates, running: {}, derived: {}, missing: [] });

describe('packet rate with running rates', () => {
  it('divides by the task-clock share and joins the absolute-only range', () => {
    // 2e9 instructions/s in 250 ms on the CPU: 8e9 per running second.
    const e = new RateEstimator(model).estimate(fp({ instructions: 2e9, 'task-clock': 250 }));
    assert.ok(typeof e !== 'string', String(e));
    const y = 1e5 + 1e6 * 2 + 5e5 * 4;
    assert.ok(Math.abs(e.pps - y) < 1e-6, String(e.pps));
    // The absolute-only fit says 4e6: its range [3.2e6, 4.8e6] holds the fit's own [3.69e6, 4.51e6].
    assert.deepEqual(e.range.map((x) => Math.round(x)), [3_200_000, 4_800_000]);
    // Where the two agree, the fit's own range stands.
    const agree = new RateEstimator({ ...model, running: { ...model.running!, absolute: { weights: [0], bias: y, ratio: [0.95, 1.05] } } }).estimate(fp({ instructions: 2e9, 'task-clock': 250 }));
    assert.ok(typeof agree !== 'string');
    assert.deepEqual(agree.range.map((x) => Math.round(x)), [Math.round(y * 0.9), Math.round(y * 1.1)]);
  });

  it('takes the running fill where task-clock is missing or the share is near zero', () => {
    for (const rates of [{ instructions: 2e9 }, { instructions: 2e9, 'task-clock': 0.5 }] as Record<string, number>[]) {
      const e = new RateEstimator(model).estimate(fp(rates));
      assert.ok(typeof e !== 'string', String(e));
      assert.ok(Math.abs(e.pps - (1e5 + 2e6 + 5e5 * 3)) < 1e-6, `${JSON.stringify(rates)}: ${e.pps}`);
    }
  });
});
