import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SshHost } from '../../../src/core/host/sshHost.ts';
import { tempDirSync } from '../../support/tempDir.ts';

/**
 * A stand-in for the ssh client at the very call site SshHost uses: it logs its argv
 * (NUL-separated) and, like sshd's login shell, runs the last argument with `sh -c`.
 * As a master (ControlMaster=yes) it creates the control socket's path and waits.
 */
function fakeSsh(dir: string): string {
  const path = join(dir, 'ssh');
  writeFileSync(
    path,
    `#!/bin/sh
log="$(dirname "$0")/argv.$$"
for a do printf '%s\\0' "$a" >> "$log"; done
master=no; cp=
for a do case "$a" in ControlMaster=yes) master=yes;; ControlPath=*) cp="\${a#ControlPath=}";; esac; done
if [ "$master" = yes ]; then : > "$cp"; exec sleep 60; fi
for last do :; done
exec sh -c "$last"
`,
  );
  chmodSync(path, 0o755);
  return path;
}

test('over ssh every argument reaches the remote program unchanged, and host options cannot be smuggled', async () => {
  const dir = tempDirSync('vnflens-sshcall-');
  const host = new SshHost({ kind: 'ssh', host: 'lab1', user: 'root', port: 2222, sshPath: fakeSsh(dir) });
  await host.connect();
  try {
    const hostile = ["'; touch /tmp/owned; '", '$(id)', '`id`', 'a\nb', '"', "'", '\\', '*', '$HOME', '-oProxyCommand=x', '', ' spaced  out ', '\x1b[2J'];
    const r = await host.run(['printf', '%s\\0', ...hostile]);
    assert.equal(r.exitCode, 0, r.stderr);
    const got = r.stdout.split('\0');
    got.pop();
    assert.deepEqual(got, hostile);
    const calls = readdirSync(dir)
      .filter((f) => f.startsWith('argv.'))
      .map((f) => readFileSync(join(dir, f), 'utf8').split('\0').slice(0, -1));
    const session = calls.find((c) => c.includes('ControlMaster=no'))!;
    // Options first, then `--`, the host, and one command line: nothing after `--` is read as an option.
    const dd = session.indexOf('--');
    assert.deepEqual(session.slice(dd, dd + 2), ['--', 'lab1']);
    assert.equal(session.length, dd + 3, 'the remote command is a single argument');
    assert.ok(session.includes('BatchMode=yes') && session.includes('ControlMaster=no') && session.includes('ProxyCommand=false'));
    assert.deepEqual(session.slice(session.indexOf('-p'), session.indexOf('-p') + 2), ['-p', '2222']);
    assert.deepEqual(session.slice(session.indexOf('-l'), session.indexOf('-l') + 2), ['-l', 'root']);
  } finally {
    await host.close();
  }
});
