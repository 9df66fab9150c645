import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_EVENTS, parseEventList, validateEvent } from '../../../src/core/live/events.ts';
import { parseIdList, perfStatArgv } from '../../../src/core/live/perfCommand.ts';

test('event lists split at commas between events, not inside PMU terms or groups', () => {
  assert.deepEqual(parseEventList('cycles,instructions'), ['cycles', 'instructions']);
  assert.deepEqual(parseEventList('cpu/event=0x3c,umask=0x00/u, branch-misses:k ,{cycles,instructions},sched:sched_switch,r003c'), [
    'cpu/event=0x3c,umask=0x00/u',
    'branch-misses:k',
    '{cycles,instructions}',
    'sched:sched_switch',
    'r003c',
  ]);
  assert.deepEqual(parseEventList('task-clock,task-clock'), ['task-clock'], 'duplicates are counted once');
  assert.throws(() => parseEventList(''), /empty/);
  assert.throws(() => parseEventList('a,,b'), /empty event name/);
});

test('event names with shell or option syntax are refused, naming the character', () => {
  assert.throws(() => validateEvent('cycles;id'), /contains ";"/);
  assert.throws(() => validateEvent('$(id)'), /contains "\$"/);
  assert.throws(() => validateEvent('a b'), /contains " "/);
  assert.throws(() => validateEvent("a'b"), /contains "'"/);
  assert.throws(() => validateEvent('a\nb'), /contains "\\n"/);
  assert.throws(() => validateEvent('--output=/etc/passwd'), /starts with '-'/);
  for (const e of DEFAULT_EVENTS) assert.equal(validateEvent(e), e);
});

test('the perf argv is built from the typed spec, one argument per value', () => {
  assert.deepEqual(perfStatArgv({ events: ['task-clock', 'cpu/event=0x3c,umask=0/'], intervalMs: 100, attach: { pid: 4242 } }), [
    'perf', 'stat', '-x', ',', '-I', '100', '-e', 'task-clock', '-e', 'cpu/event=0x3c,umask=0/', '-p', '4242', '--log-fd', '1',
  ]);
  assert.deepEqual(perfStatArgv({ perfPath: '/usr/bin/perf', events: ['cycles'], intervalMs: 1000, intervalCount: 1, attach: { tid: 7 } }), [
    '/usr/bin/perf', 'stat', '-x', ',', '-I', '1000', '--interval-count', '1', '-e', 'cycles', '-t', '7', '--log-fd', '1',
  ]);
  assert.throws(() => perfStatArgv({ events: ['cycles'], intervalMs: 5, attach: { pid: 1 } }), /interval 5 ms must be/);
  assert.throws(() => perfStatArgv({ events: [], intervalMs: 100, attach: { pid: 1 } }), /no events/);
  assert.throws(() => perfStatArgv({ events: ['cycles'], intervalMs: 100, attach: { pid: 0 } }), /PID 0 is not a process id/);
  assert.throws(() => perfStatArgv({ events: ['cycles'], intervalMs: 100, attach: { pid: 1.5 } }), /PID 1.5/);
});

test('PID lists', () => {
  assert.deepEqual(parseIdList('4242'), [4242]);
  assert.deepEqual(parseIdList('4242, 4243,4242'), [4242, 4243]);
  assert.throws(() => parseIdList('42;id'), /PID "42;id" is not a process id/);
  assert.throws(() => parseIdList('-1'), /PID "-1"/);
  assert.throws(() => parseIdList('99999999'), /PID "99999999"/);
  assert.throws(() => parseIdList('1,,2'), /PID ""/);
});
