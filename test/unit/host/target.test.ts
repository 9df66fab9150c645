import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveError } from '../../../src/core/host/errors.ts';
import { describeTarget, parseSshDestination, targetFromOptions } from '../../../src/core/host/target.ts';

test('ssh destinations: host, user@host, host:port, IPv6 in brackets', () => {
  assert.deepEqual(parseSshDestination('lab1'), { host: 'lab1' });
  assert.deepEqual(parseSshDestination('root@lab1.example.org'), { host: 'lab1.example.org', user: 'root' });
  assert.deepEqual(parseSshDestination('dpdk_user@10.0.0.7:2222'), { host: '10.0.0.7', user: 'dpdk_user', port: 2222 });
  assert.deepEqual(parseSshDestination('[fe80::1%eth0]:22'), { host: 'fe80::1%eth0', port: 22 });
  assert.deepEqual(parseSshDestination('u@[::1]'), { host: '::1', user: 'u' });
  assert.equal(describeTarget({ kind: 'ssh', ...parseSshDestination('u@[::1]:2') }), 'u@[::1]:2');
  assert.equal(describeTarget({ kind: 'local' }), 'local host');
});

test('destinations that a shell or ssh could misread are refused with the reason', () => {
  const bad: [string, RegExp][] = [
    ['lab;rm -rf /', /host "lab;rm -rf \/" must be/],
    ['-oProxyCommand=touch /tmp/x', /not starting with '-'/],
    ['$(id)@lab', /user "\$\(id\)"/],
    ['lab:0', /port "0" must be a number from 1 to 65535/],
    ['lab:22x', /port "22x"/],
    ['lab\nother', /must be an ssh config Host/],
    ['[::1', /'\[' without '\]'/],
    ['%h', /must be an ssh config Host/],
  ];
  for (const [text, msg] of bad) {
    assert.throws(
      () => parseSshDestination(text),
      (e: LiveError) => e.code === 'invalid-target' && msg.test(e.message),
      text,
    );
  }
});

test('CLI target options: exactly one of --local and --ssh', () => {
  assert.deepEqual(targetFromOptions({ local: true }), { kind: 'local' });
  assert.deepEqual(targetFromOptions({ ssh: 'u@h:2', sshConfig: '/tmp/cfg', perf: '/opt/perf/bin/perf' }), { kind: 'ssh', host: 'h', user: 'u', port: 2, configFile: '/tmp/cfg', perfPath: '/opt/perf/bin/perf' });
  assert.throws(() => targetFromOptions({}), /--local, or --ssh/);
  assert.throws(() => targetFromOptions({ local: true, ssh: 'h' }), /not both/);
  assert.throws(() => targetFromOptions({ local: true, sshConfig: 'x' }), /--ssh-config applies to --ssh/);
  assert.throws(() => targetFromOptions({ local: true, perf: 'perf; id' }), /perf path "perf; id"/);
});
