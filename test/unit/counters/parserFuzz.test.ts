import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clickTotals, parseClickList } from '../../../src/core/counters/click.ts';
import { isCount, totalsProblems } from '../../../src/core/counters/countCheck.ts';
import type { PortTotals } from '../../../src/core/counters/counterSource.ts';
import { ethdevTotals } from '../../../src/core/counters/dpdkTelemetry.ts';
import { parseNetdevValues } from '../../../src/core/counters/netdev.ts';
import { parseOvsDpctlShow, parseOvsPmdStats } from '../../../src/core/counters/ovs.ts';
import { parseVppShowInterface, parseVppShowRuntime } from '../../../src/core/counters/vpp.ts';

/**
 * Seeded fuzzing of every router-counter parser. Three properties: honest output
 * reads back exactly; a counter the reader uses, replaced by something that is
 * not a count, is reported (never read as 0 or as a wrong number); and any
 * damage to the text never throws, and never yields a value that is not a count
 * without a problem saying so.
 */
const ROUNDS = 300;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOT_COUNTS = ['-5', 'banana', '1.5', '9'.repeat(400), '1e25', '', 'NaN', '0x10', '12abc'];

function count(r: () => number): number {
  // Small, large and near-2^53 counts alike.
  const k = r();
  return k < 0.3 ? Math.floor(r() * 100) : k < 0.9 ? Math.floor(r() * 1e12) : 2 ** 53 - 1 - Math.floor(r() * 1000);
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** Random damage: bytes flipped, cut, repeated, or a line dropped. */
function damage(r: () => number, text: string): string {
  const b = Buffer.from(text, 'latin1');
  const what = Math.floor(r() * 4);
  if (what === 0) for (let i = 0; i < 1 + r() * 5; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
  if (what === 1) return text.slice(0, Math.floor(r() * text.length));
  if (what === 2) {
    const at = Math.floor(r() * text.length);
    return text.slice(0, at) + text.slice(Math.floor(r() * text.length)) + text.slice(at);
  }
  if (what === 3) {
    const lines = text.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join('\n');
  }
  return b.toString('latin1');
}

/**
 * What the session does with a reading: used only when neither the parser nor the
 * count check found a problem. Then every value must be a count.
 */
function assertHonest(ports: PortTotals[], problems: string[], what: string): void {
  if (totalsProblems({ ports, problems }).length > 0) return;
  for (const p of ports) for (const v of [p.rx, p.tx, p.dropped, p.rxBytes ?? 0, p.txBytes ?? 0]) assert.ok(isCount(v), `${what}: ${JSON.stringify(p)} came through`);
}

describe('seeded fuzzing of the router-counter parsers', () => {
  test('DPDK telemetry /ethdev/stats', () => {
    const r = rng(1);
    const keys = ['ipackets', 'opackets', 'ibytes', 'obytes', 'imissed', 'ierrors', 'oerrors', 'rx_nombuf'];
    const junk: unknown[] = [-11000, 4e30, 0.5, 1e-300, 'x', null, true, [], {}, 2 ** 53, Number.NaN];
    for (let i = 0; i < ROUNDS; i++) {
      const st: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, Math.floor(count(r) / 8)]));
      const problems: string[] = [];
      const honest = ethdevTotals('0', st, problems);
      assert.deepEqual(problems, []);
      assert.equal(honest.rx, st['ipackets']);
      assert.equal(honest.dropped, (st['imissed'] as number) + (st['ierrors'] as number) + (st['oerrors'] as number) + (st['rx_nombuf'] as number));
      const k = pick(r, keys);
      const bad = pick(r, junk);
      const p2: string[] = [];
      ethdevTotals('0', { ...st, [k]: bad }, p2);
      if (bad !== null) assert.ok(p2.length > 0, `${k} = ${String(bad)} went unnoticed`);
      const p3: string[] = [];
      const t = ethdevTotals('0', pick(r, [...junk, st, { ipackets: 1 }]), p3);
      assertHonest([t], p3, 'damaged stats');
    }
  });

  test('Click ControlSocket: READ list and counter handlers', () => {
    const r = rng(2);
    const elements = [
      { name: 'in0', className: 'FromDPDKDevice' },
      { name: 'out0', className: 'ToDPDKDevice' },
    ];
    for (let i = 0; i < ROUNDS; i++) {
      const v = { 'in0.count': count(r), 'in0.hw_dropped': count(r) % 1000, 'out0.count': count(r), 'out0.dropped': count(r) % 1000 };
      const values = Object.fromEntries(Object.entries(v).map(([h, n]) => [h, `${n}\n`]));
      const errors = { 'in0.hw_errors': "511 No handler named 'in0.hw_errors'", 'in0.nombufs': "511 No handler named 'in0.nombufs'" };
      const problems: string[] = [];
      const honest = clickTotals(elements, values, errors, problems);
      assert.deepEqual(problems, []);
      assert.deepEqual(honest, [
        { port: 'in0', rx: v['in0.count'], tx: 0, dropped: v['in0.hw_dropped'] },
        { port: 'out0', rx: 0, tx: v['out0.count'], dropped: v['out0.dropped'] },
      ]);
      const h = pick(r, Object.keys(v));
      const p2: string[] = [];
      clickTotals(elements, { ...values, [h]: pick(r, NOT_COUNTS) }, errors, p2);
      assert.ok(p2.length > 0, `${h} replaced went unnoticed`);
      const p3: string[] = [];
      const { [h]: _gone, ...without } = values;
      clickTotals(elements, without, { ...errors, [h]: pick(r, ['500 Internal error', '520 handler error', '']) }, p3);
      assert.ok(p3.length > 0, `${h} failing went unnoticed`);
      const p4: string[] = [];
      assertHonest(clickTotals(elements, Object.fromEntries(Object.entries(values).map(([k, x]) => [k, damage(r, x)])), errors, p4), p4, 'damaged values');
      // Names from the list can never carry a second command.
      for (const n of parseClickList(damage(r, `3\nin0\nout0\nc\r\nWRITE stop\n`))) assert.match(n, /^[A-Za-z0-9_@/.:+-]+$/);
    }
  });

  test('vppctl show interface', () => {
    const r = rng(3);
    for (let i = 0; i < ROUNDS; i++) {
      const ifs = ['TenGigabitEthernet86/0/0', 'VirtualEthernet0/0/0'].map((name) => ({ name, rx: count(r), tx: count(r), rxBytes: count(r), txBytes: count(r), drops: count(r) % 10_000 }));
      const pad = (s: string, n: number) => s.padEnd(n);
      const lines = ['              Name               Idx    State  MTU (L3/IP4/IP6/MPLS)     Counter          Count'];
      ifs.forEach((x, k) => {
        lines.push(`${pad(x.name, 34)}${k + 1}      up          9000/0/0/0     rx packets ${x.rx}`);
        for (const [c, n] of [['rx bytes', x.rxBytes], ['tx packets', x.tx], ['tx bytes', x.txBytes], ['drops', x.drops]] as const) lines.push(`${' '.repeat(66)}${pad(c, 16)}${n}`);
      });
      lines.push('local0                            0     down          0/0/0/0');
      const problems: string[] = [];
      const honest = parseVppShowInterface(lines.join('\n'), problems);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        honest,
        ifs.map((x) => ({ port: x.name, rx: x.rx, tx: x.tx, dropped: x.drops, rxBytes: x.rxBytes, txBytes: x.txBytes })),
      );
      // A counter the reader adds up, replaced by something that is not a count.
      const at = 2 + Math.floor(r() * 4);
      const bad = lines.map((l, k) => (k === at ? l.replace(/\d+$/, pick(r, NOT_COUNTS.filter((x) => x !== '' && !/^\d+$/.test(x)))) : l));
      const p2: string[] = [];
      const got = parseVppShowInterface(bad.join('\n'), p2);
      assert.ok(p2.length > 0 || totalsProblems({ ports: got }).length > 0, `line ${bad[at]} went unnoticed`);
      const p3: string[] = [];
      assertHonest(parseVppShowInterface(damage(r, lines.join('\n')), p3), p3, 'damaged show interface');
      for (const n of parseVppShowRuntime(damage(r, `Name State Calls Vectors Suspends Clocks Vectors/Call\ndpdk-input polling ${count(r)} ${count(r)} 0 1.3e3 0.07\n`))) {
        assert.ok([n.calls, n.vectors, n.suspends, n.clocks, n.vectorsPerCall].every((x) => Number.isFinite(x) && x >= 0), JSON.stringify(n));
      }
    }
  });

  test('ovs-appctl dpctl/show -s and pmd-stats-show', () => {
    const r = rng(4);
    for (let i = 0; i < ROUNDS; i++) {
      const ports = ['dpdk0', 'vhost0'].map((name) => ({ name, rx: count(r), tx: count(r), rxe: count(r) % 100, rxd: count(r) % 100, txe: count(r) % 100, txd: count(r) % 100, rxBytes: count(r), txBytes: count(r) }));
      const lines = ['netdev@ovs-netdev:', '  lookups: hit:0 missed:0 lost:0', '  port 0: ovs-netdev (tap)', '    RX packets:0 errors:0 dropped:0 overruns:0 frame:0'];
      ports.forEach((p, k) => {
        lines.push(`  port ${k + 1}: ${p.name} (dpdk: configured_rx_queues=1)`);
        lines.push(`    RX packets:${p.rx} errors:${p.rxe} dropped:${p.rxd} overruns:? frame:?`);
        lines.push(`    TX packets:${p.tx} errors:${p.txe} dropped:${p.txd} aborted:? carrier:?`);
        lines.push('    collisions:?');
        lines.push(`    RX bytes:${p.rxBytes} (1.0 MiB)  TX bytes:${p.txBytes} (1.0 MiB)`);
      });
      const problems: string[] = [];
      assert.deepEqual(
        parseOvsDpctlShow(lines.join('\n'), problems),
        ports.map((p) => ({ port: p.name, rx: p.rx, tx: p.tx, dropped: p.rxe + p.rxd + p.txe + p.txd, rxBytes: p.rxBytes, txBytes: p.txBytes })),
      );
      assert.deepEqual(problems, []);
      const at = pick(r, [5, 6, 10, 11]);
      const field = pick(r, ['packets', 'errors', 'dropped']);
      const re = field === 'packets' ? /(packets:)\d+/ : new RegExp(`(${field}:)\\d+`);
      const bad = lines.map((l, k) => (k === at ? l.replace(re, `$1${pick(r, ['-5', 'banana', '1.5', '12abc'])}`) : l));
      const p2: string[] = [];
      const got = parseOvsDpctlShow(bad.join('\n'), p2);
      assert.ok(p2.length > 0 || totalsProblems({ ports: got }).length > 0, `line ${bad[at]} went unnoticed`);
      const p3: string[] = [];
      assertHonest(parseOvsDpctlShow(damage(r, lines.join('\n')), p3), p3, 'damaged dpctl/show');
      for (const s of parseOvsPmdStats(damage(r, `pmd thread numa_id 0 core_id 2:\n  packets received: ${count(r)}\n  avg cycles per packet: 312.5 (1/2)\n`))) {
        for (const x of [s.packetsReceived, s.avgCyclesPerPacket, s.avgProcessingCyclesPerPacket]) assert.ok(x === undefined || (Number.isFinite(x) && x >= 0), JSON.stringify(s));
      }
    }
  });

  test('Linux interface statistics', () => {
    const r = rng(5);
    for (let i = 0; i < ROUNDS; i++) {
      const v = Array.from({ length: 7 }, () => count(r));
      const { ports, missing } = parseNetdevValues(['eth0'], v.join('\n'));
      assert.deepEqual(missing, []);
      assert.deepEqual(ports, [{ port: 'eth0', rx: v[0], tx: v[1], rxBytes: v[2], txBytes: v[3], dropped: v[4]! + v[5]! + v[6]! }]);
      const bad = [...v.map(String)];
      bad[Math.floor(r() * 2)] = pick(r, NOT_COUNTS);
      const b = parseNetdevValues(['eth0'], bad.join('\n'));
      assert.ok(b.missing.includes('eth0') || totalsProblems({ ports: b.ports }).length > 0, `rx or tx ${JSON.stringify(bad.slice(0, 2))} is a missing interface or an unusable reading, never 0`);
      const d = parseNetdevValues(['eth0'], damage(r, v.join('\n')));
      for (const p of d.ports) assert.ok(isCount(p.rx) || totalsProblems({ ports: [p] }).length > 0);
    }
  });
});
