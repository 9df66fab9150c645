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

test('file paths are refused as events (perf loads .c/.o/.obj/.bpf files as BPF programs), PMU syntax is kept', () => {
  for (const e of ['/tmp/x.c', 'x.c', 'prog.o', 'a/b.bpf', 'foo.obj', './prog', '~/prog', 'tmp/x.c/', '{cycles,/tmp/x.o}']) {
    assert.throws(() => validateEvent(e), /file path/, e);
    assert.throws(() => parseEventList(`cycles,${e}`), /file path/, e);
  }
  for (const e of ['cpu/x/y/', 'cycles/', 'a:b:c:d', '{a,{b}}', '{}']) assert.throws(() => validateEvent(e), /not perf event syntax|event group/, e);
  for (const e of ['cycles:u', 'cycles:ppp', '{cycles,instructions}:u', 'cpu_core/cycles/', 'power/energy-pkg/', 'cpu/event=0x3c,umask=0,name=x/k', 'sched:*', 'mem:0x1000:rw', 'l2_rqsts.code_rd_hit', 'r01c4']) {
    assert.equal(validateEvent(e), e);
  }
});

test('the perf argv never carries a path as an event, whoever built the spec', () => {
  assert.throws(() => perfStatArgv({ events: ['task-clock', '/tmp/evil.o'], intervalMs: 100, attach: { pid: 1 } }), /file path/);
});

test("the vnfLens.events setting's pattern refuses the paths validateEvent refuses", async () => {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(`${__dirname}/../../../package.json`, 'utf8')) as { contributes: { configuration: { properties: Record<string, { items?: { pattern?: string } }> } | { properties: Record<string, { items?: { pattern?: string } }> }[] } };
  const sections = [pkg.contributes.configuration].flat();
  const pattern = sections.map((c) => c.properties['vnfLens.events']?.items?.pattern).find((p) => p !== undefined);
  assert.ok(pattern, 'vnfLens.events has a pattern');
  const re = new RegExp(pattern);
  for (const e of ['/tmp/x.c', 'x.c', 'prog.o', 'a/b.bpf', 'foo.obj', './prog', '~/prog', 'tmp/x.c/', '{cycles,/tmp/x.o}']) assert.equal(re.test(e), false, e);
  for (const e of [...DEFAULT_EVENTS, 'cycles:u', '{cycles,instructions}:u', 'cpu/event=0x3c,umask=0/', 'sched:sched_switch', 'r003c', 'l2_rqsts.code_rd_hit']) assert.equal(re.test(e), true, e);
});
