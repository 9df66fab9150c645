import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifySshFailure } from '../../../src/core/host/sshErrors.ts';

// stderr of OpenSSH 9.2 in each situation, as printed on this project's test machines.
const ctx = { destination: 'lab1', configFile: '/home/u/.ssh/lab_config', port: 2222 };

test('ssh failures become errors that say what to do', () => {
  const cases: [string, string, RegExp][] = [
    ['ssh: Could not resolve hostname lab1: Name or service not known\r\n', 'unknown-host', /cannot resolve host lab1: it is not a Host in \/home\/u\/.ssh\/lab_config and not a known DNS name \(Name or service not known\)/],
    ['root@127.0.0.1: Permission denied (publickey,password).\r\n', 'auth', /lab1 refused the login.*server allows: publickey,password.*never asks for or stores passwords.*ssh-copy-id lab1/],
    ['No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n', 'host-key', /host key of lab1 is not in known_hosts; connect once with 'ssh lab1'/],
    ['@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n', 'host-key', /has changed.*ssh-keygen -R/],
    ['ssh: connect to host 127.0.0.1 port 2222: Connection refused\r\n', 'connect', /lab1 refused the connection on port 2222: is sshd running there/],
    ['ssh: connect to host 10.0.0.9 port 22: Connection timed out\r\n', 'connect', /no answer from lab1 in time/],
    ["Can't open user config file /nope: No such file or directory\n", 'invalid-target', /ssh cannot use its configuration/],
    ['something new went wrong\n', 'ssh', /ssh to lab1 failed \(exit 255\): something new went wrong/],
  ];
  for (const [stderr, code, msg] of cases) {
    const e = classifySshFailure(stderr, 255, ctx);
    assert.equal(e.code, code, stderr);
    assert.match(e.message, msg);
  }
});
