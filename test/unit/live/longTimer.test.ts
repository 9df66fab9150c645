import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { MAX_TIMER_MS, setLongTimeout } from '../../../src/core/live/longTimer.ts';
import { sessionOptionsFromText } from '../../../src/core/live/sessionOptions.ts';

const DAY = 86_400_000;

test('a 30-day timer waits 30 days (setTimeout alone fires at once above 24.8 days)', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    let fired = 0;
    setLongTimeout(() => fired++, 30 * DAY);
    mock.timers.tick(1);
    assert.equal(fired, 0, 'not at once');
    mock.timers.tick(MAX_TIMER_MS);
    assert.equal(fired, 0, 'not after the first chunk');
    mock.timers.tick(30 * DAY - MAX_TIMER_MS - 2);
    assert.equal(fired, 0, 'not a millisecond early');
    mock.timers.tick(1);
    assert.equal(fired, 1, 'at 30 days');
  } finally {
    mock.timers.reset();
  }
});

test('a long timer can be cleared in any chunk', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    let fired = 0;
    const t = setLongTimeout(() => fired++, 100 * DAY);
    mock.timers.tick(40 * DAY);
    t.clear();
    mock.timers.tick(100 * DAY);
    assert.equal(fired, 0);
  } finally {
    mock.timers.reset();
  }
});

test('--duration takes any finite number of seconds, and no more', () => {
  const o = sessionOptionsFromText({ local: true, pid: '1', duration: String(30 * 86_400) });
  assert.equal(o.durationMs, 30 * DAY);
  assert.throws(() => sessionOptionsFromText({ local: true, pid: '1', duration: '9'.repeat(400) }), /--duration/);
  assert.throws(() => setLongTimeout(() => {}, Infinity), /not a finite/);
});
