import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { detectConfigKind, parseRouterConfig } from '../../../src/core/config/routerConfig.ts';

const fixture = (p: string) => readFileSync(resolve(__dirname, `../../fixtures/configs/${p}`), 'utf8');

describe('router config detection', () => {
  it('goes by the file name first', () => {
    assert.equal(detectConfigKind('/etc/router.click', ''), 'click');
    assert.equal(detectConfigKind('/etc/vpp/startup.conf', ''), 'vpp-startup');
    assert.equal(detectConfigKind('/etc/vpp/setup.gate', ''), 'vpp-cli');
  });

  it('then by the content', () => {
    assert.equal(detectConfigKind('conf.txt', fixture('fastclick/ip-router.click')), 'click');
    assert.equal(detectConfigKind('dut.conf', fixture('vpp/startup.conf')), 'vpp-startup');
    assert.equal(detectConfigKind('init', fixture('vpp/setup.gate')), 'vpp-cli');
    assert.equal(detectConfigKind('notes.txt', 'nothing to see here'), undefined);
  });

  it('parses with the matching parser', () => {
    const r = parseRouterConfig('x.click', fixture('fastclick/l2fwd-2port.click'));
    assert.equal(r?.kind, 'click');
    assert.equal(r?.kind === 'click' ? r.config.devices.length : -1, 4);
    const v = parseRouterConfig('dut.conf', fixture('vpp/startup.conf'));
    assert.equal(v?.kind === 'vpp-startup' ? v.config.devices.length : -1, 2);
    assert.equal(parseRouterConfig('notes.txt', 'plain text'), undefined);
  });
});
