import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseCoreList, parseVppStartupConf } from '../../../src/core/config/vpp/startupConf.ts';
import type { VppConfEntry } from '../../../src/core/config/vpp/startupConf.ts';
import type { SourceRange } from '../../../src/core/config/sourceText.ts';

const text = readFileSync(resolve(__dirname, '../../fixtures/configs/vpp/startup.conf'), 'utf8');
const slice = (t: string, r: SourceRange | undefined) => (r ? t.slice(r.start.offset, r.end.offset) : undefined);
const lc = (r: SourceRange | undefined) => (r ? `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}` : undefined);
const kv = (es: VppConfEntry[] | undefined) => (es ?? []).map((e) => (e.value === undefined ? e.key : `${e.key}=${e.value}`));

describe('VPP startup.conf parser', () => {
  const conf = parseVppStartupConf(text);
  const stanza = (name: string) => conf.stanzas.find((s) => s.key === name)!;

  it('reads every stanza, skipping # comments, without diagnostics', () => {
    assert.deepEqual(conf.diagnostics, []);
    assert.deepEqual(
      conf.stanzas.map((s) => s.key),
      ['unix', 'api-trace', 'api-segment', 'socksvr', 'memory', 'cpu', 'buffers', 'dpdk', 'plugins', 'statseg'],
    );
    assert.equal(lc(stanza('unix').range), '4:1-11:2');
    assert.equal(lc(stanza('unix').keyRange), '4:1-4:5');
  });

  it('pairs keys with values and tells flags apart', () => {
    assert.deepEqual(kv(stanza('unix').block), ['nodaemon', 'log=/var/log/vpp/vpp.log', 'full-coredump', 'cli-listen=/run/vpp/cli.sock', 'gid=vpp', 'startup-config=/etc/vpp/setup.gate']);
    assert.deepEqual(kv(stanza('api-trace').block), ['on']);
    assert.deepEqual(kv(stanza('buffers').block), ['buffers-per-numa=128000', 'default data-size=2048', 'page-size=default-hugepage']);
    assert.deepEqual(kv(stanza('statseg').block), ['size=64M', 'per-node-counters=on']);
    const log = stanza('unix').block![1]!;
    assert.equal(lc(log.keyRange), '6:3-6:6');
    assert.equal(lc(log.valueRange), '6:7-6:27');
  });

  it('reads a stanza written on one line', () => {
    const cpu = stanza('cpu');
    assert.deepEqual(kv(cpu.block), ['main-core=1', 'corelist-workers=2-3']);
    assert.equal(lc(cpu.range), '30:1-30:41');
    assert.equal(slice(text, cpu.block![1]!.valueRange), '2-3');
    assert.deepEqual(conf.cpu, { mainCore: 1, workers: [2, 3] });
  });

  it('reads nested device blocks and lists the devices with their names', () => {
    assert.deepEqual(kv(stanza('dpdk').block), ['dev=default', 'dev=0000:03:00.0', 'dev=0000:03:00.1', 'uio-driver=vfio-pci', 'socket-mem=1024,0', 'no-multi-seg', 'no-tx-checksum-offload']);
    assert.deepEqual(conf.deviceDefaults, { 'num-rx-desc': '1024', 'num-tx-desc': '1024' });
    assert.deepEqual(
      conf.devices.map((d) => [d.kind, d.address, d.name, d.options, lc(d.range), lc(d.addressRange), lc(d.nameRange)]),
      [
        ['pci', '0000:03:00.0', 'eth0', { 'num-rx-queues': '1' }, '43:3-43:49', '43:7-43:19', '43:27-43:31'],
        ['pci', '0000:03:00.1', 'eth1', { 'num-rx-queues': '1' }, '44:3-48:4', '44:7-44:19', '45:10-45:14'],
      ],
    );
    assert.equal(slice(text, conf.devices[1]!.nameRange), 'eth1');
  });

  it('reads plugin blocks', () => {
    assert.deepEqual(
      stanza('plugins').block!.map((p) => [p.value, kv(p.block)]),
      [
        ['default', ['disable']],
        ['dpdk_plugin.so', ['enable']],
        ['ping_plugin.so', ['enable']],
      ],
    );
  });

  it('gives the CLI script it runs, with the range of its path', () => {
    assert.deepEqual(
      conf.fileRefs.map((f) => [f.kind, f.path, lc(f.range)]),
      [['startup-config', '/etc/vpp/setup.gate', '10:18-10:37']],
    );
  });

  it('reads top-level values, vdevs and exec', () => {
    const c = parseVppStartupConf('heapsize 2G\nunix { interactive exec /tmp/run.cli }\ndpdk { vdev net_af_packet0,iface=veth1 }\n');
    assert.deepEqual(kv(c.stanzas), ['heapsize=2G', 'unix', 'dpdk']);
    assert.deepEqual(kv(c.stanzas[1]!.block), ['interactive', 'exec=/tmp/run.cli']);
    assert.deepEqual(
      c.fileRefs.map((f) => [f.kind, f.path]),
      [['exec', '/tmp/run.cli']],
    );
    assert.deepEqual(
      c.devices.map((d) => [d.kind, d.address]),
      [['vdev', 'net_af_packet0,iface=veth1']],
    );
  });

  it('reports a missing brace and still reads the stanzas after it', () => {
    const broken = 'dpdk {\n  dev 0000:03:00.0 {\n    name eth0\n  dev 0000:03:00.1\n}\ncpu {\n  main-core 2\n}\n';
    const c = parseVppStartupConf(broken);
    assert.deepEqual(
      c.diagnostics.map((d) => [lc(d.range), d.message]),
      [['1:6-1:7', "unbalanced braces: '{' at 1:6 is never closed"]],
    );
    assert.deepEqual(kv(c.stanzas), ['dpdk', 'cpu']);
    assert.deepEqual(c.cpu, { mainCore: 2 });
    assert.deepEqual(
      c.devices.map((d) => [d.address, d.name]),
      [['0000:03:00.0', 'eth0']],
    );
    assert.deepEqual(kv(c.stanzas[0]!.block![0]!.block), ['name=eth0', 'dev=0000:03:00.1']);
  });

  it('reports a stray closing brace', () => {
    const c = parseVppStartupConf('unix { nodaemon }\n}\ncpu { main-core 0 }\n');
    assert.deepEqual(
      c.diagnostics.map((d) => [lc(d.range), d.message]),
      [['2:1-2:2', "unbalanced braces: '}' has no matching '{'"]],
    );
    assert.deepEqual(c.cpu, { mainCore: 0 });
  });

  it('never throws on damaged input', () => {
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(30), (at, len) => {
        const c = parseVppStartupConf(text.slice(0, at) + text.slice(at + len));
        assert.ok(Array.isArray(c.stanzas));
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseCoreList', () => {
  it('expands lists and ranges', () => {
    assert.deepEqual(parseCoreList('2-3,5,8-9'), [2, 3, 5, 8, 9]);
    assert.deepEqual(parseCoreList('4'), [4]);
    assert.equal(parseCoreList('3-1'), undefined);
    assert.equal(parseCoreList('a-b'), undefined);
  });
});
