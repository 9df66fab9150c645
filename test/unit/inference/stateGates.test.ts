import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { LevelTracker } from '../../../src/core/inference/levelTracker.ts';
import { LEVEL_DEFAULTS, STATE_REASONS, StateTracker } from '../../../src/core/inference/stateDetector.ts';
import type { StateParams } from '../../../src/core/model/model.ts';

/**
 * Level sequences at the edges of the state detector's gates, judged by behaviour
 * (what the state is, where the idle floor is), not by the constants themselves.
 */
const fp = (t: number, rates: Record<string, number>): Fingerprint => ({ t, dt: 1, rates, running: {}, derived: {} }) as unknown as Fingerprint;
/** An interval whose memory-traffic level (log10 of LLC stores per second, plus 1) is `level`. */
const at = (t: number, level: number, more: Record<string, number> = {}) => fp(t, { 'LLC-stores': 10 ** level - 1, ...more });

/** A rule on LLC stores alone: evidence = level − 2.55 (processing above it), no familiarity, the default levels. */
function params(extra: Partial<StateParams> = {}): StateParams {
  return { method: 'logistic-hmm', features: ['LLC-stores'], weights: [1], neutral: [2.55], bias: 0, maxEvidence: 8, switchProbability: 0.02, minConfidence: 0.9, fittedOn: [], ...extra } as StateParams;
}

function run(p: StateParams, levels: number[], more: Record<string, number> = {}) {
  const s = new StateTracker(p);
  return levels.map((l, i) => s.step(at(i + 1, l, more)));
}

describe('the run levels', () => {
  test('the idle floor only moves down: a later, higher low stretch is not the new floor', () => {
    const lt = new LevelTracker(LEVEL_DEFAULTS);
    for (const l of [5, 5, 5, 3, 3, 3]) lt.push(l, false);
    assert.equal(lt.floor, 3);
    for (const l of [5, 5, 5, 4, 4, 4]) lt.push(l, false);
    assert.equal(lt.floor, 3, 'a drop from 5 to 4 does not raise the floor to 4');
    for (const l of [2.2, 2.2, 2.2]) lt.push(l, false);
    assert.equal(lt.floor, 2.2, 'a lower one does lower it');
  });

  test('a stretch’s level is the median of its last 30 intervals: a few high ones do not make a later, lower one a change', () => {
    const lt = new LevelTracker(LEVEL_DEFAULTS);
    const seq = [...Array(30).fill(5), 5.5, 5.5, 5.5, 4.5, 4.5, 4.5];
    const steps = seq.map((l) => lt.push(l, false));
    assert.ok(
      steps.every((s) => s.change === undefined),
      'no level change: 4.5 is within the jump of the median 5',
    );
    assert.equal(lt.floor, undefined);
  });
});

describe('the state rule and its gates', () => {
  test('coverage: with under half of the evidence weight counted, the state is unknown; with more, it answers', () => {
    const p = params({ features: ['LLC-stores', 'LLC-loads'], weights: [1, 3], neutral: [2.55, 2.55] });
    // LLC-loads (weight 3 of 4) not counted: a quarter of the weight.
    const quarter = run(p, [5, 5, 5]);
    assert.ok(quarter.every((s) => s.state === 'unknown'), quarter.map((s) => s.state).join());
    const s = new StateTracker(p);
    const most = [1, 2, 3].map((t) => s.step(fp(t, { 'LLC-loads': 1e5 })));
    assert.ok(most.every((x) => x.state !== 'unknown' || !/counted/.test(x.reason ?? '')), most.map((x) => x.reason).join());
  });

  test('the idle band: 0.25 over the floor is idle, 0.4 over it is not yet idle', () => {
    const steps = run(params(), [5, 5, 5, 5, 3, 3, 3, 3, 3.25, 3.25, 3.4, 3.4]);
    assert.equal(steps[7]!.state, 'idle', 'at the floor');
    assert.equal(steps[9]!.state, 'idle', '0.25 over the floor');
    assert.notEqual(steps[11]!.state, 'idle', `0.4 over the floor is between idle and processing (${steps[11]!.reason})`);
  });

  test('between idle and processing, a rule sure of processing keeps it only on evidence of at least 1 in the interval itself', () => {
    // After the floor at 3: back to traffic (5, evidence 2.45), then 3.45 (evidence 0.9, a confident log-odds carried over).
    const steps = run(params(), [5, 5, 5, 5, 3, 3, 3, 3, 5, 5, 5, 5, 3.45, 3.45, 3.45]);
    assert.equal(steps[11]!.state, 'processing');
    assert.equal(steps[14]!.state, 'unknown', `evidence 0.9 alone does not keep processing between the levels (${steps[14]!.reason})`);
  });

  test('close to a known busy interval: a memory rule sure of idle is overruled within 0.6 spreads of one, not at 0.9', () => {
    // The other events: context switches alone, one spread = one decade; known idle at 1, known busy at 3.
    const familiarity = { events: ['context-switches'], scale: [1], idle: [[1]], processing: [[3]], maxDistance: 2.5 };
    const idleAt = (busyDistance: number) => {
      const steps = run(params({ familiarity }), [1, 1, 1, 1, 1, 1], { 'context-switches': 10 ** (3 - busyDistance) - 1 });
      return steps[5]!;
    };
    const far = idleAt(0.9);
    assert.equal(far.state, 'idle', `0.9 spreads from a known busy interval (1.1 from a known idle one) is not close: ${far.reason}`);
    const near = idleAt(0.4);
    assert.equal(near.state, 'unknown', '0.4 spreads from a known busy interval is close: the rule and the nearest known intervals disagree');
    assert.equal(near.reason, STATE_REASONS.disagree);
  });
});

describe('a drop: the end of traffic or a step of the input rate', () => {
  // Familiarity over `task-clock` (spread 0.5): known idle at 6, known busy at 8 (log10 rates).
  // Memory traffic 5.5 then 4: the rule (neutral 2.55) is sure of processing at both levels, so
  // only the other events tell a step down (to known traffic) from an idle that looks busy.
  const familiar = (): Partial<StateParams> => ({ familiarity: { events: ['task-clock'], scale: [0.5], idle: [[6]], processing: [[8]], maxDistance: 2.5 } });
  const drop = (after: number[]) => {
    const s = new StateTracker(params(familiar()));
    const other = [...Array(6).fill(8), ...after];
    return other.map((tc, i) => s.step(at(i + 1, i < 6 ? 5.5 : 4, { 'task-clock': 10 ** tc - 1 })));
  };

  test('a lower level nearer known traffic than known idle, but not close to it nor clearly nearer, is the run\'s idle floor', () => {
    // 7.1: 1.8 spreads from busy, 2.2 from idle: familiar and nearer busy (1.2 times), not close (0.6).
    const steps = drop(Array(6).fill(7.1));
    assert.equal(steps[7]!.state, 'idle', `2nd interval after the drop: ${steps[7]!.state} (${steps[7]!.reason})`);
    assert.ok(steps.slice(7).every((x) => x.state === 'idle'));
  });

  test('a floor set at a drop is withdrawn once its stretch comes close to known traffic: a rate step down', () => {
    // Two transition seconds not yet close (7.1), then close to the known busy level (7.96: 0.08 spreads).
    const steps = drop([7.1, 7.1, 7.96, 7.96, 7.96, 7.96]);
    assert.equal(steps[7]!.state, 'idle', 'the floor was set by the two transition seconds');
    assert.ok(steps.slice(9).every((x) => x.state === 'processing'), steps.slice(9).map((x) => `${x.state} ${x.reason ?? ''}`).join('; '));
  });
});

