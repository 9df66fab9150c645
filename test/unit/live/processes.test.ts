import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCmdlineRecords, parsePsOutput, sortRoutersFirst } from '../../../src/core/live/processes.ts';

const PS = [
  '      1 root                               0.3   12       600 /sbin/init',
  '      2 root                               0.0    1       600 [kthreadd]',
  '   4242 root                              99.5    6        60 /usr/bin/dpdk-testpmd -l 0,1 --no-huge -- --forward-mode=io',
  '   5000 alice                              12.0    1        10 vim notes.txt',
  '   6000 root                               1.0    4       100 /usr/bin/vpp -c /etc/vpp/startup.conf',
  'garbage line',
].join('\n');

test('ps output: fields, start time from elapsed seconds, kernel threads, routers first', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const list = sortRoutersFirst(parsePsOutput(PS, now));
  assert.deepEqual(
    list.map((p) => p.pid),
    [4242, 6000, 5000, 1, 2],
  );
  const tp = list[0]!;
  assert.equal(tp.user, 'root');
  assert.equal(tp.cpuPercent, 99.5);
  assert.equal(tp.threads, 6);
  assert.equal(tp.startedAt, '2026-01-01T11:59:00.000Z');
  assert.equal(tp.router?.name, 'DPDK testpmd');
  assert.equal(list[1]!.router?.configFiles[0], '/etc/vpp/startup.conf');
  assert.equal(list.find((p) => p.pid === 2)!.kernelThread, true);
  assert.equal(list.find((p) => p.pid === 5000)!.router, undefined);
});

test('exact argv records keep spaces and newlines inside arguments', () => {
  const m = parseCmdlineRecords('4242\x1fclick\x1f/srv/my router.click\x1f\x1e77\x1fvpp\x1f-c\x1fa\nb\x1f\x1e');
  assert.deepEqual(m.get(4242), ['click', '/srv/my router.click']);
  assert.deepEqual(m.get(77), ['vpp', '-c', 'a\nb']);
});
