import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LevelTracker } from '../../../src/core/inference/levelTracker.ts';
import { LEVEL_DEFAULTS } from '../../../src/core/inference/stateDetector.ts';

/**
 * When a level change between two stretches the model knows as traffic is a step of
 * the input rate, not the end of traffic: the lower one must not become the idle floor.
 * A new stretch is confirmed on two intervals, the first of which straddles the step.
 */
describe('a rate step between two known traffic levels', () => {
  test('a step up whose first interval the model was unsure of keeps the lower traffic level out of the floor', () => {
    const lt = new LevelTracker({ ...LEVEL_DEFAULTS, busyTop: 7 });
    for (let i = 0; i < 9; i++) lt.push(5, true);
    lt.push(6.8, false); // the step itself: part old level, part new
    const step = lt.push(6.8, true);
    assert.ok(step.change, 'the step is seen');
    assert.equal(lt.floor, undefined, 'the lower stretch is traffic the model knows');
    assert.equal(lt.doubt, 5);
  });

  test('a step up to a level the model does not know as traffic makes the lower one the floor', () => {
    const lt = new LevelTracker({ ...LEVEL_DEFAULTS, busyTop: 7 });
    for (let i = 0; i < 9; i++) lt.push(5, true);
    lt.push(6.8, false);
    lt.push(6.8, false);
    assert.equal(lt.floor, 5);
  });

  test('a step up above every calibrated processing level makes the lower one the floor, however sure the model was', () => {
    const lt = new LevelTracker({ ...LEVEL_DEFAULTS, busyTop: 6 });
    for (let i = 0; i < 9; i++) lt.push(5, true);
    lt.push(6.8, true);
    lt.push(6.8, true);
    assert.equal(lt.floor, 5);
  });
});
