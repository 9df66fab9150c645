import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recognizeRouter } from '../../../src/core/host/routers.ts';

const r = (cmd: string) => recognizeRouter(cmd.split(' '));

test('FastClick: config file by -f, by .click name, after the DPDK EAL options', () => {
  assert.deepEqual(r('/usr/local/bin/click /etc/click/router.click'), { kind: 'fastclick', name: 'FastClick', configFiles: ['/etc/click/router.click'] });
  assert.deepEqual(r('click -j 4 -f conf/fw.click RATE=10'), { kind: 'fastclick', name: 'FastClick', configFiles: ['conf/fw.click'] });
  assert.deepEqual(r('click --dpdk -l 0-3 -n 4 -- forwarder.click N=2'), { kind: 'fastclick', name: 'FastClick', configFiles: ['forwarder.click'] });
  assert.deepEqual(r('click -p 8080 router.conf'), { kind: 'fastclick', name: 'FastClick', configFiles: ['router.conf'] });
  assert.deepEqual(r('click --file=/x/y.click'), { kind: 'fastclick', name: 'FastClick', configFiles: ['/x/y.click'] });
});

test('VPP: -c startup.conf and inline unix { startup-config FILE }', () => {
  assert.deepEqual(r('/usr/bin/vpp -c /etc/vpp/startup.conf'), { kind: 'vpp', name: 'VPP', configFiles: ['/etc/vpp/startup.conf'] });
  assert.deepEqual(r('vpp unix { nodaemon cli-listen /run/vpp/cli.sock startup-config /etc/vpp/setup.gate } dpdk { no-pci }'), {
    kind: 'vpp',
    name: 'VPP',
    configFiles: ['/etc/vpp/setup.gate'],
  });
});

test('OVS, snabb, BESS, t4p4s', () => {
  assert.deepEqual(r('ovs-vswitchd unix:/var/run/openvswitch/db.sock -vconsole:emer --pidfile --detach'), {
    kind: 'ovs',
    name: 'Open vSwitch',
    configFiles: [],
    detail: 'database unix:/var/run/openvswitch/db.sock',
  });
  assert.deepEqual(r('snabb lwaftr run --conf lwaftr.conf --on-a-stick 0000:01:00.0'), { kind: 'snabb', name: 'Snabb', configFiles: ['lwaftr.conf'], detail: 'program lwaftr run' });
  assert.equal(r('/opt/bess/core/bessd -k -f')?.kind, 'bess');
  assert.deepEqual(r('/root/t4p4s/build/l2fwd/build/l2fwd -c 0x3 -n 4 -- -p 0x3 --config (0,0,0),(1,0,1) examples/l2fwd.p4'), {
    kind: 't4p4s',
    name: 'T4P4S',
    configFiles: ['examples/l2fwd.p4'],
  });
});

test('DPDK applications: by name or by their EAL options', () => {
  assert.deepEqual(r('dpdk-testpmd -l 0,1 --no-huge -m 1024 --no-pci --vdev=net_null0 -- --forward-mode=io --cmdline-file=/tmp/cmds'), {
    kind: 'dpdk',
    name: 'DPDK testpmd',
    configFiles: ['/tmp/cmds'],
  });
  assert.equal(r('./build/l2fwd -l 1 -n 4 -- -p 0x3')?.name, 'DPDK l2fwd');
  assert.equal(r('/opt/nf/my-nf --lcores 2 --file-prefix nf1 -- -x')?.kind, 'dpdk');
  assert.equal(r('./ip_pipeline -l 0-1 -- -f pipeline.cli')?.configFiles[0], 'pipeline.cli');
});

test('ordinary programs are not routers, even with look-alike options', () => {
  for (const cmd of ['sh -c echo -- x', 'bash -l', 'sshd: root@notty', 'node server.js -c config.json', 'python3 -m http.server', 'tar -c -l -- x', 'clickhouse-server --config x']) {
    assert.equal(r(cmd), undefined, cmd);
  }
});

test('short EAL options need a core list or mask to mark a DPDK application', () => {
  assert.equal(r('/opt/nf/fwd -l 0-1 -n 4 -- -p 1')?.kind, 'dpdk');
  assert.equal(r('/opt/nf/fwd -c 0x3 -n 4 -- -p 1')?.kind, 'dpdk');
  assert.equal(r('bash -c abc -- x'), undefined);
});
