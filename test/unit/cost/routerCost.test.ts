import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseVppCliScript } from '../../../src/core/config/vpp/cliScript.ts';
import { ovsView, vppRecord, vppView } from '../../../src/core/cost/costRecords.ts';
import { ovsPmdDeltas, parseOvsPmdPerfShow, parseOvsPmdStatsTotals } from '../../../src/core/cost/ovsPmdPerf.ts';
import { matchNodes, parseVppRuntimeTotals, topNodesByClocksPerPacket, vppNodesFor, vppRuntimeDeltas } from '../../../src/core/cost/vppRuntime.ts';
import { RecordingParser } from '../../../src/core/recording/reader.ts';
import type { CostRecord } from '../../../src/core/recording/format.ts';
import { directiveLine } from '../../../src/core/recording/format.ts';

// Neither VPP nor OVS-DPDK runs here (not in Debian / too heavy for this box): their
// readers are checked against the layouts their documentation shows (fd.io's
// `show runtime`, per thread with worker sections; OVS's pmd-perf-show and
// pmd-stats-show in Documentation/topics/dpdk/pmd.rst and the troubleshooting guides).

/** `show runtime` of a VPP with a main thread and one worker, in the documented layout. */
function runtime(scale: number): string {
  const row = (name: string, state: string, calls: number, vectors: number, suspends: number, clocks: string) =>
    `${name.padEnd(34)}${state.padStart(10)}${String(calls).padStart(16)}${String(vectors).padStart(16)}${String(suspends).padStart(16)}${clocks.padStart(16)}${(calls > 0 ? vectors / calls : 0).toFixed(2).padStart(16)}`;
  const head = '             Name                 State         Calls          Vectors        Suspends         Clocks       Vectors/Call';
  return [
    'Thread 0 vpp_main (lcore 0)',
    'Time 20.0, 10 sec internal node vector rate 0.00 loops/sec 1000.00',
    '  vector rates in 0.0000e0, out 0.0000e0, drop 0.0000e0, punt 0.0000e0',
    head,
    row('api-rx-from-ring', 'any wait', 0, 0, 18 * scale, '1.23e4'),
    row('unix-epoll-input', 'polling', 1000 * scale, 0, 0, '2.10e3'),
    '---------------',
    'Thread 1 vpp_wk_0 (lcore 1)',
    'Time 20.0, 10 sec internal node vector rate 32.00 loops/sec 50000.00',
    '  vector rates in 1.0000e6, out 1.0000e6, drop 0.0000e0, punt 0.0000e0',
    head,
    row('dpdk-input', 'polling', 40000 * scale, 1280000 * scale, 0, '8.00e1'),
    row('ethernet-input', 'active', 40000 * scale, 1280000 * scale, 0, '2.50e1'),
    row('ip4-input-no-checksum', 'active', 40000 * scale, 1280000 * scale, 0, '1.50e1'),
    row('ip4-lookup', 'active', 40000 * scale, 1280000 * scale, 0, '3.00e1'),
    row('ip4-rewrite', 'active', 40000 * scale, 1280000 * scale, 0, '2.00e1'),
    row('TenGigabitEthernet86/0/1-output', 'active', 40000 * scale, 1280000 * scale, 0, '1.00e1'),
    row('TenGigabitEthernet86/0/1-tx', 'active', 40000 * scale, 1280000 * scale, 0, '4.00e1'),
    row('acl-plugin-in-ip4-fa', 'active', 40000 * scale, 1280000 * scale, 0, '6.00e1'),
  ].join('\n');
}

describe('VPP show runtime per node', () => {
  test('per thread totals rebuilt from clocks per vector (per call without vectors, per suspend for processes)', () => {
    const t = parseVppRuntimeTotals(runtime(1));
    assert.equal(t.length, 10);
    const lookup = t.find((n) => n.name === 'ip4-lookup')!;
    assert.deepEqual([lookup.thread, lookup.state, lookup.calls, lookup.vectors, lookup.clocks], ['1', 'active', 40000, 1280000, 30 * 1280000]);
    assert.equal(t.find((n) => n.name === 'unix-epoll-input')!.clocks, 2100 * 1000);
    assert.equal(t.find((n) => n.name === 'api-rx-from-ring')!.state, 'any wait');
    assert.equal(t.find((n) => n.name === 'api-rx-from-ring')!.clocks, 12300 * 18);
  });

  test('deltas between readings: clocks per packet per node, top nodes first; a cleared runtime restarts', () => {
    const d = vppRuntimeDeltas(parseVppRuntimeTotals(runtime(1)), parseVppRuntimeTotals(runtime(3)));
    const lookup = d.find((n) => n.name === 'ip4-lookup')!;
    assert.equal(lookup.vectors, 2 * 1280000);
    assert.equal(lookup.clocksPerPacket, 30);
    assert.equal(lookup.vectorsPerCall, 32);
    assert.deepEqual(topNodesByClocksPerPacket(d, 3).map((n) => n.name), ['dpdk-input', 'acl-plugin-in-ip4-fa', 'TenGigabitEthernet86/0/1-tx']);
    assert.deepEqual(vppRuntimeDeltas(parseVppRuntimeTotals(runtime(3)), parseVppRuntimeTotals(runtime(1))), []);
    const v = vppView(d, '2026-01-01T00:00:00Z', 10, 256000);
    assert.equal(v.bars[0]!.label, 'dpdk-input');
    assert.equal(v.bars[0]!.perPacketUnit, 'clocks');
    const rec = vppRecord(d, '2026-01-01T00:00:00Z', 10, 'pid-1');
    assert.equal(rec.nodes!.find((n) => n.name === 'ip4-rewrite')!.clocks, 20 * 2 * 1280000);
  });

  test('config lines that turn a node on: interfaces, addresses, routes, L2, ACL, NAT', () => {
    const script = parseVppCliScript(
      [
        'set interface state TenGigabitEthernet86/0/1 up',
        'set int ip address TenGigabitEthernet86/0/1 10.0.0.1/24',
        'ip route add 48.0.0.0/8 via 10.0.0.2 TenGigabitEthernet86/0/1',
        'set interface l2 xconnect port0 port1',
        'set acl-plugin interface TenGigabitEthernet86/0/1 input acl 0',
        'set interface nat44 in port0 out port1',
        'show version',
      ].join('\n'),
    );
    const d = vppRuntimeDeltas(parseVppRuntimeTotals(runtime(1)), parseVppRuntimeTotals(runtime(2)));
    const names = script.commands.map((c) => matchNodes(vppNodesFor(c), d).map((n) => n.name).sort());
    assert.deepEqual(names[0], ['TenGigabitEthernet86/0/1-output', 'TenGigabitEthernet86/0/1-tx', 'dpdk-input', 'ethernet-input']);
    assert.deepEqual(names[1], ['ip4-input-no-checksum', 'ip4-lookup', 'ip4-rewrite']);
    assert.deepEqual(names[2], ['ip4-lookup', 'ip4-rewrite']);
    assert.deepEqual(vppNodesFor(script.commands[3]!), ['l2-input', 'l2-output']);
    assert.deepEqual(names[4], ['acl-plugin-in-ip4-fa']);
    assert.deepEqual(vppNodesFor(script.commands[5]!), ['nat44-*']);
    assert.deepEqual(vppNodesFor(script.commands[6]!), []);
  });
});

describe('OVS-DPDK cycles per packet per PMD', () => {
  test('pmd-perf-show: duration, iterations, used cycles, busy share, Rx Kpps and cycles/pkt', () => {
    const text = [
      'Time: 10:54:11.474',
      'Measurement duration: 10.002 s',
      '',
      'pmd thread numa_id 0 core_id 2:',
      '',
      '  Iterations:             15163224  (0.66 us/it)',
      '  - Used TSC cycles:   25004963712  (100.0 % of total cycles)',
      '  - idle iterations:      7513470  ( 23.6 % of used cycles)',
      '  - busy iterations:      7649754  ( 76.4 % of used cycles)',
      '  Rx packets:           244792064  (24474 Kpps, 78 cycles/pkt)',
      '  Datapath passes:      244792064  (1.00 passes/pkt)',
      '  - EMC hits:           244792032  (100.0 %)',
      '  Tx packets:           244792064  (24474 Kpps)',
      '  Tx batches:             7649754  (32.00 pkts/batch)',
      '',
      'pmd thread numa_id 1 core_id 22:',
      '',
      '  Iterations:             30001000  (0.33 us/it)',
      '  - Used TSC cycles:   25001234567  (100.0 % of total cycles)',
      '  - idle iterations:     30001000  (100.0 % of used cycles)',
      '  - busy iterations:            0  (  0.0 % of used cycles)',
      '  Rx packets:                   0',
    ].join('\n');
    const p = parseOvsPmdPerfShow(text);
    assert.equal(p.length, 2);
    assert.deepEqual(p[0], { thread: 'pmd thread numa_id 0 core_id 2', durationS: 10.002, iterations: 15163224, usedCycles: 25004963712, busyShare: 0.764, rxPackets: 244792064, kpps: 24474, cyclesPerPacket: 78, txPackets: 244792064 });
    assert.equal(p[1]!.rxPackets, 0);
    assert.equal(p[1]!.cyclesPerPacket, undefined);
  });

  test('pmd-stats-show totals (the parenthesised CYCLES/PACKETS) give per-window deltas', () => {
    const stats = (cycles: number, packets: number) =>
      [
        'pmd thread numa_id 0 core_id 22:',
        '    emc hits:17461158',
        '    megaflow hits:0',
        `    polling cycles:4948219259 (25.81%)`,
        `    processing cycles:14220835107 (74.19%)`,
        `    avg cycles per packet: ${(cycles / packets).toFixed(2)} (${cycles}/${packets})`,
        `    avg processing cycles per packet: 814.43 (14220835107/${packets})`,
        'main thread:',
        '    emc hits:0',
      ].join('\n');
    const a = parseOvsPmdStatsTotals(stats(19169054366, 17461158));
    const b = parseOvsPmdStatsTotals(stats(19169054366 + 9000000000, 17461158 + 10000000));
    assert.deepEqual(a[0], { thread: 'pmd thread numa_id 0 core_id 22', cycles: 19169054366, packets: 17461158, processingCycles: 14220835107 });
    const d = ovsPmdDeltas(a, b);
    assert.deepEqual(d, [
      { thread: 'pmd thread numa_id 0 core_id 22', packets: 10000000, cycles: 9000000000, cyclesPerPacket: 900 },
      { thread: 'main thread', packets: 0, cycles: 0, cyclesPerPacket: null },
    ]);
    assert.deepEqual(ovsPmdDeltas(b, a), [{ thread: 'main thread', packets: 0, cycles: 0, cyclesPerPacket: null }]);
    assert.equal(ovsView(d, '2026-01-01T00:00:00Z', 10, null).bars[0]!.perPacket, 900);
  });
});

describe('cost records in a recording', () => {
  test('read back by the recording parser; a malformed one is reported and skipped', () => {
    const rec: CostRecord = { stream: 'pid-1', at: '2026-01-01T00:00:10Z', source: 'vpp-runtime', windowS: 10, nodes: [{ name: 'ip4-lookup', calls: 1, vectors: 32, suspends: 0, clocks: 960 }] };
    const got: CostRecord[] = [];
    const diags: string[] = [];
    const p = new RecordingParser({ onInterval: () => {}, onCost: (c) => got.push(c), onDiagnostic: (d) => diags.push(d.message) });
    p.push(directiveLine({ format: 'vnf-lens-recording', version: 1, meta: { host: 'h', processes: [], events: ['task-clock'], intervalMs: 1000, startedAt: '2026-01-01T00:00:00Z' } }));
    p.push(directiveLine({ cost: rec }));
    p.push('#@vnf-lens {"cost":{"at":5}}\n');
    p.end();
    assert.deepEqual(got, [rec]);
    assert.equal(diags.length, 1);
    assert.match(diags[0]!, /a cost record needs "at", "source" and "windowS"/);
  });
});
