import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { totalsDelta } from '../../../src/core/counters/deltas.ts';
import { controlSocketFromConfig, counterSourceLabel, counterSpecFor, parseProcessFacts } from '../../../src/core/counters/discover.ts';
import { addTapDrops, dpdkTelemetrySpec, ethdevTotals, tapInterfaces } from '../../../src/core/counters/dpdkTelemetry.ts';
import { netdevPaths, parseNetdevValues } from '../../../src/core/counters/netdev.ts';
import { parseCounterChoice } from '../../../src/core/counters/sessionCounters.ts';
import { StreamCounters } from '../../../src/core/counters/streamCounters.ts';
import { CounterError, type CounterReader, type CounterTotals } from '../../../src/core/counters/counterSource.ts';

const TESTPMD = ['/usr/bin/dpdk-testpmd', '-l', '0,1', '--no-huge', '--vdev=net_tap0,iface=a', '--file-prefix=lab1', '--', '--forward-mode=io'];

describe('DPDK telemetry socket paths follow EAL rules', () => {
  test('root: /var/run/dpdk/<prefix>/dpdk_telemetry.v2, then the :N instances', () => {
    const s = dpdkTelemetrySpec({ pid: 7, argv: TESTPMD, uid: 0, env: {} })!;
    assert.equal(s.filePrefix, 'lab1');
    assert.equal(s.pid, 7);
    assert.deepEqual(s.socketPaths.slice(0, 2), ['/var/run/dpdk/lab1/dpdk_telemetry.v2', '/var/run/dpdk/lab1/dpdk_telemetry.v2:1']);
  });
  test('the default prefix is rte; --file-prefix X and =X both count; options after -- are the application', () => {
    assert.equal(dpdkTelemetrySpec({ pid: 1, argv: ['testpmd', '--', '--file-prefix=nope'], uid: 0 })!.filePrefix, 'rte');
    assert.equal(dpdkTelemetrySpec({ pid: 1, argv: ['testpmd', '--file-prefix', 'x2', '--'], uid: 0 })!.filePrefix, 'x2');
  });
  test('RUNTIME_DIRECTORY wins; other users use XDG_RUNTIME_DIR, else /tmp', () => {
    assert.equal(dpdkTelemetrySpec({ pid: 1, argv: TESTPMD, uid: 0, env: { RUNTIME_DIRECTORY: '/run/router/' } })!.socketPaths[0], '/run/router/dpdk/lab1/dpdk_telemetry.v2');
    assert.equal(dpdkTelemetrySpec({ pid: 1, argv: TESTPMD, uid: 1000, env: { XDG_RUNTIME_DIR: '/run/user/1000' } })!.socketPaths[0], '/run/user/1000/dpdk/lab1/dpdk_telemetry.v2');
    assert.equal(dpdkTelemetrySpec({ pid: 1, argv: TESTPMD, uid: 1000, env: {} })!.socketPaths[0], '/tmp/dpdk/lab1/dpdk_telemetry.v2');
  });
  test('an unreadable environment tries every usual folder; --no-telemetry has no source', () => {
    const dirs = dpdkTelemetrySpec({ pid: 1, argv: TESTPMD, uid: 1000 })!.socketPaths.filter((p) => p.endsWith('.v2'));
    assert.deepEqual(dirs, ['/run/user/1000/dpdk/lab1/dpdk_telemetry.v2', '/tmp/dpdk/lab1/dpdk_telemetry.v2', '/var/run/dpdk/lab1/dpdk_telemetry.v2']);
    assert.equal(dpdkTelemetrySpec({ pid: 1, argv: ['testpmd', '--no-telemetry'], uid: 0 }), undefined);
  });
  test('net_tap ports: their kernel interfaces in vdev order, and the kernel drops at each tap counted on its port', () => {
    assert.deepEqual(dpdkTelemetrySpec({ pid: 1, argv: ['testpmd', '--vdev=net_tap0,iface=in0', '--vdev', 'net_null0', '--vdev', 'net_tap1,mac=fixed,iface=out1', '--', '--vdev=net_tap9,iface=app'], uid: 0 })!.tapInterfaces, ['in0', 'out1']);
    assert.deepEqual(tapInterfaces(['--vdev=net_tap0,iface=bad/name']), []);
    const ports = [
      { port: '1', rx: 0, tx: 5, dropped: 0 },
      { port: '0', rx: 5, tx: 0, dropped: 1 },
    ];
    addTapDrops(ports, ['in0', 'out1'], { in0: 40, out1: 2 });
    assert.deepEqual(ports.map((p) => [p.port, p.dropped]), [['1', 2], ['0', 41]]);
  });
  test('ethdev stats: drops are missed + errors + no mbuf; bytes kept', () => {
    assert.deepEqual(ethdevTotals('0', { ipackets: 10, opackets: 9, ibytes: 640, obytes: 576, imissed: 1, ierrors: 2, oerrors: 3, rx_nombuf: 4 }), { port: '0', rx: 10, tx: 9, dropped: 10, rxBytes: 640, txBytes: 576 });
  });
});

describe('counter sources are found from the command line', () => {
  test('DPDK apps, FastClick --dpdk, VPP, OVS, Click control sockets', () => {
    assert.equal(counterSpecFor({ pid: 1, argv: TESTPMD, uid: 0 })?.kind, 'dpdk-telemetry');
    assert.equal(counterSpecFor({ pid: 1, argv: ['click', '--dpdk', '-l', '0-1', '--file-prefix=fc', '--', 'r.click'], uid: 0 })?.kind, 'dpdk-telemetry');
    assert.deepEqual(counterSpecFor({ pid: 1, argv: ['click', '-p', '7777', 'r.click'], uid: 0 }), { kind: 'click', address: 'tcp:127.0.0.1:7777' });
    assert.deepEqual(counterSpecFor({ pid: 1, argv: ['click', '--unix-socket=/run/click.sock', 'r.click'], uid: 0 }), { kind: 'click', address: 'unix:/run/click.sock' });
    assert.equal(counterSpecFor({ pid: 1, argv: ['click', 'r.click'], uid: 0 }), undefined);
    assert.deepEqual(counterSpecFor({ pid: 1, argv: ['/usr/bin/vpp', '-c', '/etc/vpp/startup.conf'], uid: 0 }), { kind: 'vpp' });
    assert.deepEqual(counterSpecFor({ pid: 1, argv: ['vpp', 'unix', '{', 'cli-listen', '/run/vpp/cli-lab.sock', '}'], uid: 0 }), { kind: 'vpp', cliSocket: '/run/vpp/cli-lab.sock' });
    assert.deepEqual(counterSpecFor({ pid: 1, argv: ['ovs-vswitchd', 'unix:/var/run/openvswitch/db.sock'], uid: 0 }), { kind: 'ovs' });
    assert.equal(counterSpecFor({ pid: 1, argv: ['/usr/sbin/nginx'], uid: 0 }), undefined);
    assert.equal(counterSourceLabel(TESTPMD), 'dpdk-telemetry:lab1');
  });
  test("Click's ControlSocket from its configuration, comments ignored", () => {
    assert.deepEqual(controlSocketFromConfig('// ControlSocket(TCP, 1)\nFromDPDKDevice(0) -> ToDPDKDevice(1);\nControlSocket("TCP", 7777);'), { kind: 'click', address: 'tcp:127.0.0.1:7777' });
    assert.deepEqual(controlSocketFromConfig('cs :: ControlSocket(unix, /run/click/ctl.sock, READONLY true);'), { kind: 'click', address: 'unix:/run/click/ctl.sock' });
    assert.equal(controlSocketFromConfig('/* ControlSocket(tcp, 9) */ Idle -> Discard;'), undefined);
  });
  test('process facts: uid, readable environment and exact argv', () => {
    const f = parseProcessFacts(5, 'uid=1000\nenv=readable\nenv:XDG_RUNTIME_DIR=/run/user/1000\nargv=testpmd\x1f--file-prefix=a b\x1f\n');
    assert.deepEqual(f, { pid: 5, uid: 1000, env: { XDG_RUNTIME_DIR: '/run/user/1000' }, argv: ['testpmd', '--file-prefix=a b'] });
    assert.equal(parseProcessFacts(5, 'uid=0\nargv=x\x1f\n').env, undefined);
    assert.equal(parseProcessFacts(5, 'uid=0\nargv=x\x1f\ncwd=/srv/lab\n').cwd, '/srv/lab');
  });
});

describe('--counters', () => {
  test('reads every form and rejects bad ones with the list of forms', () => {
    assert.equal(parseCounterChoice('auto'), 'auto');
    assert.equal(parseCounterChoice('none'), 'off');
    assert.deepEqual(parseCounterChoice('dpdk:lab1'), { kind: 'dpdk-telemetry', filePrefix: 'lab1' });
    assert.deepEqual(parseCounterChoice('netdev:eth0,tap1'), { kind: 'netdev', interfaces: ['eth0', 'tap1'] });
    assert.deepEqual(parseCounterChoice('click:7777'), { kind: 'click', address: 'tcp:127.0.0.1:7777' });
    assert.deepEqual(parseCounterChoice('click:lab:7777'), { kind: 'click', address: 'tcp:lab:7777' });
    assert.deepEqual(parseCounterChoice('click:unix:/run/c.sock'), { kind: 'click', address: 'unix:/run/c.sock' });
    assert.deepEqual(parseCounterChoice('vpp:/run/vpp/cli.sock'), { kind: 'vpp', cliSocket: '/run/vpp/cli.sock' });
    for (const bad of ['dpdk:a;b', 'netdev:', 'netdev:../etc', 'netdev:-x', 'click:99999', 'vpp:rel', 'snmp']) {
      assert.throws(() => parseCounterChoice(bad), /--counters .*one of auto, none, dpdk/, bad);
    }
  });
});

describe('Linux interface statistics', () => {
  test('paths are built only from valid interface names', () => {
    assert.equal(netdevPaths(['eth0'])[0], '/sys/class/net/eth0/statistics/rx_packets');
    assert.throws(() => netdevPaths(['../../etc']), /not a Linux interface name/);
    assert.throws(() => netdevPaths(['a'.repeat(16)]), /not a Linux interface name/);
  });
  test('values: drops are rx + tx dropped + missed; a missing interface is named', () => {
    const r = parseNetdevValues(['a', 'b'], ['5', '4', '300', '200', '1', '2', '3', '-', '-', '-', '-', '-', '-', '-'].join('\n'));
    assert.deepEqual(r.ports, [{ port: 'a', rx: 5, tx: 4, rxBytes: 300, txBytes: 200, dropped: 6 }]);
    assert.deepEqual(r.missing, ['b']);
  });
});

describe('per-interval deltas', () => {
  const t = (rx: number, tx: number, dropped: number, port = '0'): CounterTotals => ({ ports: [{ port, rx, tx, dropped, rxBytes: rx * 64, txBytes: tx * 64 }] });
  test('differences of totals, summed over ports, with bytes', () => {
    const prev: CounterTotals = { ports: [...t(100, 90, 1).ports, ...t(5, 5, 0, '1').ports] };
    const cur: CounterTotals = { ports: [...t(150, 130, 3).ports, ...t(6, 9, 0, '1').ports] };
    const delta = totalsDelta(prev, cur, 'dpdk-telemetry');
    assert.equal(delta.kind, 'packets');
    const d = delta.kind === 'packets' ? delta.packets : ({} as never);
    assert.deepEqual({ rx: d.rx, tx: d.tx, dropped: d.dropped, rxBytes: d.rxBytes, txBytes: d.txBytes }, { rx: 51, tx: 44, dropped: 2, rxBytes: 51 * 64, txBytes: 44 * 64 });
    assert.deepEqual(d.ports, [
      { port: '0', rx: 50, tx: 40, dropped: 2 },
      { port: '1', rx: 1, tx: 4, dropped: 0 },
    ]);
  });
  test('a port whose totals went down restarted: no count for that interval, never the counts since the restart', () => {
    assert.deepEqual(totalsDelta(t(1000, 1000, 0), t(30, 20, 0), 'x'), { kind: 'restart', detail: 'port 0 rx 1000 → 30, port 0 tx 1000 → 20, port 0 rxBytes 64000 → 1920, port 0 txBytes 64000 → 1280' });
    assert.equal(totalsDelta({ ports: [] }, t(7, 7, 0), 'x').kind, 'ports-changed');
  });
});

describe('a stream counter source during a session', () => {
  function fakeOpen(script: (n: number) => CounterTotals | Error) {
    let reads = 0;
    let opens = 0;
    const open = async (): Promise<CounterReader> => {
      opens++;
      const r = script(reads);
      if (r instanceof Error && reads === 0) throw r;
      return {
        spec: { kind: 'netdev', interfaces: ['x'] },
        description: 'test source',
        async read() {
          const v = script(reads++);
          if (v instanceof Error) throw v;
          return v;
        },
        async close() {},
      };
    };
    return { open, opens: () => opens };
  }
  const tot = (rx: number): CounterTotals => ({ ports: [{ port: 'x', rx, tx: rx, dropped: 0 }] });

  test('deltas per sample; a failure is one notice, perf goes on, and the source is opened again with a new baseline', async () => {
    const notices: string[] = [];
    const levels: string[] = [];
    let now = 0;
    const values: (CounterTotals | Error)[] = [tot(0), tot(10), tot(25), new CounterError('socket gone'), tot(500), tot(520)];
    const f = fakeOpen((n) => values[Math.min(n, values.length - 1)]!);
    const onNotice = (m: string, level?: string) => {
      notices.push(m);
      levels.push(level ?? 'warning');
    };
    const c = new StreamCounters({ stream: 'pid-1', spec: { kind: 'netdev', interfaces: ['x'] }, open: f.open, onNotice, readTimeoutMs: 1000, now: () => now });
    await c.start();
    assert.match(notices[0]!, /pid-1: router packet counters from test source/);
    assert.equal((await c.sample()).packets?.rx, 10);
    assert.equal((await c.sample()).packets?.rx, 15);
    assert.deepEqual(await c.sample(), {});
    assert.match(notices[1]!, /pid-1: no router packet counters \(socket gone\); perf goes on, retrying/);
    assert.deepEqual(await c.sample(), {}, 'not retried before the backoff');
    now += 1500;
    assert.deepEqual(await c.sample(), {}, 'reopened: this reading is the new baseline');
    assert.equal(f.opens(), 2);
    assert.match(notices[2]!, /router packet counters back from test source/);
    assert.equal((await c.sample()).packets?.rx, 20);
    assert.deepEqual(levels, ['info', 'warning', 'info'], 'found and back are good news; the loss is a warning');
    await c.close();
  });
  test('a restarted router counts from zero: what it took before its source answered is counted, and start does not wait for the source', async () => {
    const notices: string[] = [];
    let now = 0;
    let ready = false;
    let opens = 0;
    let total = 0;
    const open = async (): Promise<CounterReader> => {
      opens++;
      if (!ready) throw new CounterError('no socket yet');
      return { spec: { kind: 'netdev', interfaces: ['x'] }, description: 'test source', read: async () => tot(total), close: async () => {} };
    };
    const c = new StreamCounters({ stream: 'pid-2', spec: { kind: 'dpdk-telemetry', filePrefix: 'p', socketPaths: [] }, open, onNotice: (m) => notices.push(m), readTimeoutMs: 1000, now: () => now, fromZero: true });
    await c.start();
    assert.equal(opens, 0, 'start does not wait for the source');
    total = 120;
    assert.equal((await c.sample()).packets, undefined, 'the source is not up yet');
    assert.match(notices[0]!, /pid-2: waiting for the restarted router's packet counters \(no socket yet\); perf goes on$/);
    ready = true;
    now += 1500;
    total = 340;
    assert.equal((await c.sample()).packets?.rx, 340, 'every packet since the process started, none lost to a late baseline');
    total = 350;
    assert.equal((await c.sample()).packets?.rx, 10);
    await c.close();
  });
});
