import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { intervalPacketMetrics, packetCost, packetMetrics, type PacketMetrics } from '../../../src/core/fingerprint/packetMetrics.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { isSoftwareEvent } from '../../../src/core/ui/chartGroups.ts';
import { bridgeWithPackets } from '../../support/bridgePackets.ts';

function spearman(x: number[], y: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
    const r = new Array<number>(v.length);
    order.forEach((idx, k) => (r[idx] = k));
    return r;
  };
  const rx = rank(x);
  const ry = rank(y);
  const n = x.length;
  const d2 = rx.reduce((s, r, i) => s + (r - ry[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('packet metrics on the OpenNetVM bridge run with its MoonGen counts', () => {
  it('gives packets/s, bit/s and the drop ratio of each second', async () => {
    const run = await bridgeWithPackets();
    assert.equal(run.length, 209);
    for (const { iv, offered, mbit } of run) {
      const m = intervalPacketMetrics(iv, fingerprint(iv))!;
      assert.ok(m, `interval ${iv.t} has metrics`);
      const p = iv.packets!;
      assert.equal(m.pps, p.rx / iv.dt);
      assert.equal(m.txPps, p.tx / iv.dt);
      assert.equal(m.dropsPerSecond, p.dropped / iv.dt);
      assert.equal(m.source, 'moongen');
      if (offered > 0) assert.ok(Math.abs(m.dropRatio! - p.dropped / offered) < 1e-12);
      // MoonGen's own Mbit column is L2 bits per second without framing, like bps here.
      if (mbit > 100) assert.ok(Math.abs(m.bps! / 1e6 - mbit) / mbit < 0.01, `${iv.t}: ${m.bps! / 1e6} vs MoonGen ${mbit} Mbit/s`);
    }
    // The first second: MoonGen offered 4 M packets before the bridge forwarded any.
    const first = intervalPacketMetrics(run[0]!.iv, fingerprint(run[0]!.iv))!;
    assert.equal(first.pps, 0);
    assert.equal(first.dropRatio, 1);
    assert.equal(first.cyclesPerPacket, null, 'no packet, no cost per packet');
    assert.equal(first.cpuNsPerPacket, null);
  });

  it('cycles per packet over CPU ns per packet is the clock of the paper host (Xeon E5-2690 v3, 2.6 GHz)', async () => {
    const run = await bridgeWithPackets();
    const loaded = run.map(({ iv }) => intervalPacketMetrics(iv, fingerprint(iv))!).filter((m) => m.pps > 100_000);
    assert.ok(loaded.length > 200);
    for (const m of loaded) {
      const ghz = m.cyclesPerPacket! / m.cpuNsPerPacket!;
      assert.ok(Math.abs(ghz - 2.6) < 0.05, `clock ${ghz} GHz`);
      assert.ok(m.instructionsPerPacket! > m.cyclesPerPacket!, 'the bridge runs above one instruction per cycle');
      assert.deepEqual(packetCost(m), { value: m.cyclesPerPacket, unit: 'cycles' });
    }
  });

  it('a busy-polling router costs less per packet the more packets it gets', async () => {
    const run = await bridgeWithPackets();
    const loaded = run.map(({ iv }) => intervalPacketMetrics(iv, fingerprint(iv))!).filter((m) => m.pps > 100_000);
    const rho = spearman(
      loaded.map((m) => m.pps),
      loaded.map((m) => m.cyclesPerPacket!),
    );
    assert.ok(rho < -0.95, `Spearman ${rho}`);
    // At full load the bridge spends a few hundred cycles per 128-byte packet.
    const busiest = loaded.reduce((a, b) => (b.pps > a.pps ? b : a));
    assert.ok(busiest.pps > 6e6 && busiest.cyclesPerPacket! > 300 && busiest.cyclesPerPacket! < 500, JSON.stringify(busiest));
  });

  it('on a host without a PMU the cost is CPU time per packet, from task-clock', async () => {
    const run = await bridgeWithPackets();
    const { iv } = run[100]!;
    // What this interval reads like where perf says <not supported> for every hardware event.
    const hardware = Object.keys(iv.counters).filter((e) => !isSoftwareEvent(e));
    const counters = Object.fromEntries(Object.entries(iv.counters).filter(([e]) => isSoftwareEvent(e)));
    const noPmu: Interval = { ...iv, counters, unsupported: hardware, breakdown: undefined };
    const m = intervalPacketMetrics(noPmu, fingerprint(noPmu))!;
    assert.equal(m.cyclesPerPacket, null);
    assert.equal(m.instructionsPerPacket, null);
    const expected = ((iv.counters['task-clock']! / iv.dt) * 1e6) / (iv.packets!.rx / iv.dt);
    assert.ok(Math.abs(m.cpuNsPerPacket! - expected) < 1e-9 * expected);
    assert.deepEqual(packetCost(m), { value: m.cpuNsPerPacket, unit: 'ns' });
    // cpu-clock stands in when task-clock was not asked for.
    const { 'task-clock': _t, ...rest } = counters;
    const cpuClockOnly: Interval = { ...noPmu, counters: rest };
    const c = intervalPacketMetrics(cpuClockOnly, fingerprint(cpuClockOnly))!;
    assert.ok(Math.abs(c.cpuNsPerPacket! - ((iv.counters['cpu-clock']! * 1e6) / iv.packets!.rx)) < 1e-6);
  });
});

describe('packet metrics edge cases', () => {
  const base = { rx: 1000, tx: 990, dropped: 10 };
  it('is null without packet counts, over a zero-length interval, or with a negative count', () => {
    const iv: Interval = { t: 1, dt: 1, counters: {}, running: {}, units: {}, notCounted: [], unsupported: [] };
    assert.equal(intervalPacketMetrics(iv), null);
    assert.equal(packetMetrics(base, 0), null);
    assert.equal(packetMetrics({ ...base, rx: -1 }, 1), null);
    assert.equal(packetMetrics({ ...base, dropped: Number.NaN }, 1), null);
  });
  it('has no drop ratio when nothing was offered, and bit/s from tx bytes when rx bytes are absent', () => {
    const idle = packetMetrics({ rx: 0, tx: 0, dropped: 0 }, 0.5)!;
    assert.equal(idle.dropRatio, null);
    assert.equal(idle.bps, null);
    const m: PacketMetrics = packetMetrics({ ...base, txBytes: 64_000 }, 0.5)!;
    assert.equal(m.pps, 2000);
    assert.equal(m.bps, 1_024_000);
    assert.equal(m.dropRatio, 10 / 1010);
    assert.equal(packetCost(m), null, 'no fingerprint, no cost');
  });
});
