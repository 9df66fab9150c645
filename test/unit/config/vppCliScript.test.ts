import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseVppCliScript } from '../../../src/core/config/vpp/cliScript.ts';
import type { SourceRange } from '../../../src/core/config/sourceText.ts';

const text = readFileSync(resolve(__dirname, '../../fixtures/configs/vpp/setup.gate'), 'utf8');
const slice = (t: string, r: SourceRange | undefined) => (r ? t.slice(r.start.offset, r.end.offset) : undefined);
const lc = (r: SourceRange | undefined) => (r ? `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}` : undefined);

describe('VPP CLI script parser', () => {
  const s = parseVppCliScript(text);

  it('reads one command per line, skipping comment { } blocks and # lines', () => {
    assert.deepEqual(s.diagnostics, []);
    assert.equal(s.commands.length, 11);
    assert.equal(s.commands[0]!.text, 'set interface state eth0 up');
    assert.equal(lc(s.commands[0]!.range), '4:1-4:28');
    assert.ok(!s.commands.some((c) => c.text.startsWith('comment') || c.text.startsWith('#')));
  });

  it('understands abbreviated commands and points at the interface names', () => {
    assert.deepEqual(
      s.interfaces.map((i) => [i.kind, i.interface, i.value, lc(i.interfaceRange)]),
      [
        ['state', 'eth0', 'up', '4:21-4:25'],
        ['ip-address', 'eth0', '10.0.0.1/24', '5:26-5:30'],
        ['state', 'eth1', 'up', '6:15-6:19'],
        ['ip-address', 'eth1', '10.100.0.1/24', '7:17-7:21'],
        ['mtu', 'eth1', '1500', '8:31-8:35'],
        ['create-host-interface', 'host-vpp1out', 'vpp1out', '10:28-10:35'],
        ['state', 'host-vpp1out', 'up', '11:15-11:27'],
        ['ip-address', 'host-vpp1out', '10.10.1.2/24', '12:20-12:32'],
        ['ip-route', 'eth1', '48.0.0.0/8', '14:40-14:44'],
        ['ip-route', 'eth0', '16.0.0.0/8', '16:38-16:42'],
      ],
    );
    for (const i of s.interfaces.filter((x) => x.kind !== 'create-host-interface')) assert.equal(slice(text, i.interfaceRange), i.interface);
  });

  it('links the scripts it executes', () => {
    assert.deepEqual(
      s.execRefs.map((e) => [e.path, lc(e.range)]),
      [['/etc/vpp/extra.cli', '17:6-17:24']],
    );
  });

  it('reads deletes, bridges, cross-connects and sub-interfaces', () => {
    const t = 'set int ip address del eth0 10.0.0.1/24\nset interface l2 bridge eth1 10\nset int l2 xconnect eth0 eth1\ncreate sub-interfaces eth0 100\nshow interface\n';
    const x = parseVppCliScript(t);
    assert.deepEqual(
      x.interfaces.map((i) => [i.kind, i.interface, i.value, i.delete]),
      [
        ['ip-address', 'eth0', '10.0.0.1/24', true],
        ['l2-bridge', 'eth1', '10', undefined],
        ['l2-xconnect', 'eth0', 'eth1', undefined],
        ['create-sub-interface', 'eth0.100', '100', undefined],
      ],
    );
    assert.equal(x.commands[4]!.action, undefined);
  });

  it('reports an unclosed comment block and reads on after its line', () => {
    const x = parseVppCliScript('set int state eth0 up\ncomment { forgot to close\nset int state eth1 up\n');
    assert.deepEqual(
      x.diagnostics.map((d) => [lc(d.range), d.message]),
      [['2:9-2:10', "unbalanced braces: '{' at 2:9 is never closed"]],
    );
    assert.deepEqual(
      x.commands.map((c) => c.text),
      ['set int state eth0 up', 'set int state eth1 up'],
    );
  });
});
