import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sshConfigHosts } from '../../../src/core/host/sshConfigHosts.ts';

const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-sshcfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ssh config hosts', () => {
  it('lists concrete Host aliases, follows Include globs, skips patterns and comments', () => {
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'a.conf'), 'Host lab-a lab-b\n  HostName 10.0.0.1\n');
    writeFileSync(join(dir, 'conf.d', 'b.conf'), 'Host = "lab c"\n');
    writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host nope\n');
    writeFileSync(
      join(dir, 'config'),
      ['# lab hosts', 'Include conf.d/*.conf', 'Host vpp-dut  # the device under test', '  User root', 'Host *.lab !bastion', 'Host bastion', 'Match host foo', ''].join('\n'),
    );
    assert.deepEqual(sshConfigHosts(join(dir, 'config')), ['lab-a', 'lab-b', 'lab c', 'vpp-dut', 'bastion']);
  });

  it('gives no hosts for a missing config', () => {
    assert.deepEqual(sshConfigHosts(join(dir, 'missing')), []);
  });
});
