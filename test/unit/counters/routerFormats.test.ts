import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clickHandlers, clickTotals, parseClickList } from '../../../src/core/counters/click.ts';
import { parseOvsDpctlShow, parseOvsPmdStats } from '../../../src/core/counters/ovs.ts';
import { parseVppShowInterface, parseVppShowRuntime } from '../../../src/core/counters/vpp.ts';

// VPP and Click are not packaged for Debian: their readers are checked against the
// output formats their documentation and sources show (fd.io CLI reference for
// `show interface` / `show runtime`; Click's controlsocket.hh and FastClick's
// FromDPDKDevice/ToDPDKDevice handlers; OVS's lib/dpctl.c and the pmd-stats-show docs).

describe('VPP show interface', () => {
  test('the documented layout (no MTU column): counters per interface, local0 left out', () => {
    const text = [
      '              Name               Idx       State          Counter          Count',
      'TenGigabitEthernet86/0/0          1         up       rx packets               6569213',
      '                                                     rx bytes              9928352943',
      '                                                     tx packets                 50384',
      '                                                     tx bytes                 3329279',
      'TenGigabitEthernet86/0/1          2        down',
      'VirtualEthernet0/0/0              3         up       rx packets                 50384',
      '                                                     rx bytes                 3329279',
      '                                                     tx packets               6569213',
      '                                                     tx bytes              9928352943',
      '                                                     drops                       1498',
      'local0                            0        down',
    ].join('\n');
    assert.deepEqual(parseVppShowInterface(text), [
      { port: 'TenGigabitEthernet86/0/0', rx: 6569213, tx: 50384, dropped: 0, rxBytes: 9928352943, txBytes: 3329279 },
      { port: 'TenGigabitEthernet86/0/1', rx: 0, tx: 0, dropped: 0, rxBytes: 0, txBytes: 0 },
      { port: 'VirtualEthernet0/0/0', rx: 50384, tx: 6569213, dropped: 1498, rxBytes: 3329279, txBytes: 9928352943 },
    ]);
  });
  test('newer VPP with the MTU column, rx-miss and tx-error as drops, counters on local0 ignored', () => {
    const text = [
      '              Name               Idx    State  MTU (L3/IP4/IP6/MPLS)     Counter          Count',
      'GigabitEthernet2/0/0              1      up          9000/0/0/0     rx packets               2321062',
      '                                                                    tx packets                 26594',
      '                                                                    drops                    2227926',
      '                                                                    ip4                       102522',
      '                                                                    tx-error                       1',
      'TenGigabitEthernet8/0/0           5      up          1600/0/0/0     rx packets            1818160552',
      '                                                                    rx-miss                     3298',
      'local0                            0     down          0/0/0/0       drops                          1',
    ].join('\n');
    const ports = parseVppShowInterface(text);
    assert.deepEqual(
      ports.map((p) => [p.port, p.rx, p.tx, p.dropped]),
      [
        ['GigabitEthernet2/0/0', 2321062, 26594, 2227927],
        ['TenGigabitEthernet8/0/0', 1818160552, 0, 3298],
      ],
    );
  });
  test('show runtime: clocks and vectors per call per node, one- and two-word states', () => {
    const text = [
      'Thread 1 vpp_wk_0 (lcore 2)',
      'Time 64.1, average vectors/node 1.08, last 128 main loops 0.00 per node 0.00',
      '  vector rates in 1.0011e-1, out 1.0011e-1, drop 2.1561e-2, punt 0.0000e0',
      '             Name                 State         Calls          Vectors        Suspends         Clocks       Vectors/Call',
      'api-rx-from-ring                any wait                 0               0               4          1.92e5            0.00',
      'dpdk-input                      polling           66736407          4612000               0          1.32e3            0.07',
      'ethernet-input                   active               315             346               0          1.30e4            1.09',
    ].join('\n');
    const nodes = parseVppShowRuntime(text);
    assert.deepEqual(nodes.map((n) => n.name), ['dpdk-input', 'ethernet-input']);
    assert.equal(nodes[1]!.clocks, 1.3e4);
    assert.ok(Math.abs(nodes[1]!.vectorsPerCall - 346 / 315) < 1e-9);
  });
});

describe('OVS', () => {
  test('dpctl/show -s: traffic ports with rx, tx, drops and errors; the datapath and bridge ports left out; ? is not counted', () => {
    const text = [
      'netdev@ovs-netdev:',
      '  lookups: hit:0 missed:0 lost:0',
      '  flows: 2',
      '  port 0: ovs-netdev (tap)',
      '    RX packets:0 errors:0 dropped:0 overruns:0 frame:0',
      '    TX packets:0 errors:0 dropped:0 aborted:0 carrier:0',
      '    collisions:0',
      '    RX bytes:0  TX bytes:0',
      '  port 1: br0 (tap)',
      '    RX packets:5 errors:0 dropped:0 overruns:0 frame:0',
      '    TX packets:0 errors:0 dropped:5 aborted:0 carrier:0',
      '    collisions:0',
      '    RX bytes:390  TX bytes:0',
      '  port 2: dpdk0 (dpdk: configured_rx_descriptors=2048, configured_rx_queues=1, requested_rx_queues=1)',
      '    RX packets:123456 errors:0 dropped:12 overruns:? frame:?',
      '    TX packets:0 errors:0 dropped:0 aborted:? carrier:?',
      '    collisions:?',
      '    RX bytes:7901184 (7.5 MiB)  TX bytes:0',
      '  port 3: vhost0 (dpdkvhostuserclient: configured_rx_queues=1)',
      '    RX packets:0 errors:0 dropped:0 overruns:? frame:?',
      '    TX packets:123000 errors:0 dropped:444 aborted:? carrier:?',
      '    collisions:?',
      '    RX bytes:0  TX bytes:7872000 (7.5 MiB)',
    ].join('\n');
    assert.deepEqual(parseOvsDpctlShow(text), [
      { port: 'dpdk0', rx: 123456, tx: 0, dropped: 12, rxBytes: 7901184, txBytes: 0 },
      { port: 'vhost0', rx: 0, tx: 123000, dropped: 444, rxBytes: 0, txBytes: 7872000 },
    ]);
  });
  test('pmd-stats-show: packets and cycles per packet per PMD thread', () => {
    const text = [
      'pmd thread numa_id 0 core_id 22:',
      '  packets received: 17461158',
      '  packet recirculations: 0',
      '  avg. datapath passes per packet: 1.00',
      '  emc hits: 17461158',
      '  avg cycles per packet: 1097.81 (19169054366/17461158)',
      '  avg processing cycles per packet: 814.43 (14220835107/17461158)',
      'main thread:',
      '  packets received: 0',
    ].join('\n');
    assert.deepEqual(parseOvsPmdStats(text), [
      { thread: 'pmd thread numa_id 0 core_id 22', packetsReceived: 17461158, avgCyclesPerPacket: 1097.81, avgProcessingCyclesPerPacket: 814.43 },
      { thread: 'main thread', packetsReceived: 0 },
    ]);
  });
});

describe('Click ControlSocket', () => {
  test('list, handlers of the device elements, and their totals', () => {
    assert.deepEqual(parseClickList('4\nin0\nc\nout1\ncs\n'), ['in0', 'c', 'out1', 'cs']);
    const elements = [
      { name: 'in0', className: 'FromDPDKDevice' },
      { name: 'out1', className: 'ToDPDKDevice' },
      { name: 'c', className: 'Counter' },
    ];
    assert.deepEqual(clickHandlers(elements), ['in0.count', 'in0.hw_dropped', 'in0.hw_errors', 'in0.nombufs', 'out1.count', 'out1.dropped']);
    assert.deepEqual(clickTotals(elements, { 'in0.count': '1000\n', 'in0.hw_dropped': '7', 'out1.count': '990', 'out1.dropped': '3' }), [
      { port: 'in0', rx: 1000, tx: 0, dropped: 7 },
      { port: 'out1', rx: 0, tx: 990, dropped: 3 },
    ]);
  });
});
