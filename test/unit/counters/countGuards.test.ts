import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadCounterRecordings } from '../../../src/core/calibration/counterSamples.ts';
import { countFromText, isCount, totalsProblems } from '../../../src/core/counters/countCheck.ts';
import { CounterError, type CounterReader, type CounterTotals, type PortTotals } from '../../../src/core/counters/counterSource.ts';
import { totalsDelta } from '../../../src/core/counters/deltas.ts';
import { StreamCounters } from '../../../src/core/counters/streamCounters.ts';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';

const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-guards-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const port = (p: Partial<PortTotals> & { port: string }): PortTotals => ({ rx: 1000, tx: 900, dropped: 10, rxBytes: 64_000, txBytes: 57_600, ...p });
const reading = (...ports: PortTotals[]): CounterTotals => ({ ports });

describe('counts', () => {
  test('a count is a whole number from 0 to 2^53; text is one only when it is all digits', () => {
    for (const ok of [0, 1, 2 ** 53 - 1]) assert.ok(isCount(ok), String(ok));
    for (const bad of [-1, 0.5, 1e-300, 2 ** 53, 4e30, Infinity, NaN, '5', null]) assert.ok(!isCount(bad), String(bad));
    assert.equal(countFromText(' 123\n'), 123);
    for (const bad of ['-5', '1.5', 'banana', '', '9'.repeat(400), '9007199254740992', '1e3']) assert.equal(countFromText(bad), undefined, bad);
  });

  test('a reading with a value that is not a count, or a port named twice, is named as unusable', () => {
    assert.deepEqual(totalsProblems(reading(port({ port: '0' }))), []);
    assert.match(totalsProblems(reading(port({ port: '0', rx: -11000 })))[0]!, /port 0 rx is -11000, not a count/);
    assert.match(totalsProblems(reading(port({ port: '0', dropped: 4e30 })))[0]!, /port 0 dropped is 4e\+30/);
    assert.match(totalsProblems(reading(port({ port: '0', txBytes: 0.5 })))[0]!, /port 0 txBytes is 0.5/);
    assert.match(totalsProblems(reading(port({ port: '0' }), port({ port: '0' })))[0]!, /port 0 appears twice/);
    assert.deepEqual(totalsProblems({ ports: [], problems: ['handler x failed'] }), ['handler x failed']);
  });
});

describe('deltas of two readings', () => {
  const before = reading(port({ port: '0' }), port({ port: '1' }));
  test('honest readings: the differences, port by port', () => {
    const d = totalsDelta(before, reading(port({ port: '1', rx: 1500, rxBytes: 96_000 }), port({ port: '0', rx: 1200, tx: 1000, dropped: 12 })), 'x');
    assert.equal(d.kind, 'packets');
    if (d.kind !== 'packets') return;
    assert.deepEqual([d.packets.rx, d.packets.tx, d.packets.dropped, d.packets.rxBytes, d.packets.txBytes], [700, 100, 2, 96_000 - 64_000, 0]);
  });
  // Each counter on its own: a restart seen in any one of them is a restart, never a negative or a since-zero count.
  for (const field of ['rx', 'tx', 'dropped', 'rxBytes', 'txBytes'] as const) {
    test(`a restart seen only in ${field} is a restart`, () => {
      const d = totalsDelta(before, reading(port({ port: '0', rx: 2000, tx: 1900, dropped: 20, rxBytes: 128_000, txBytes: 115_200, [field]: 5 }), port({ port: '1', rx: 2000, tx: 1900, dropped: 20, rxBytes: 128_000, txBytes: 115_200 })), 'x');
      assert.equal(d.kind, 'restart');
      if (d.kind === 'restart') assert.match(d.detail, new RegExp(`port 0 ${field} \\d+ → 5`));
    });
  }
  test('a port missing from a reading, or new in it, leaves the interval without packets (never its lifetime total)', () => {
    assert.deepEqual(totalsDelta(before, reading(port({ port: '0', rx: 2000 })), 'x'), { kind: 'ports-changed', detail: 'port 1 missing from the reading' });
    assert.deepEqual(totalsDelta(reading(port({ port: '0' })), reading(port({ port: '0', rx: 2000 }), port({ port: '1', rx: 6_000_000 })), 'x'), { kind: 'ports-changed', detail: 'port 1 new in the reading' });
  });
});

/** A reader whose readings come from a script, each read taking `delayMs` (or never answering). */
function scripted(values: (CounterTotals | Error | 'never')[], opts: { delayMs?: number; openMs?: number } = {}) {
  let reads = 0;
  const open = async (_spec: unknown, onAsking: () => void): Promise<CounterReader> => {
    await new Promise((r) => setTimeout(r, opts.openMs ?? 0));
    onAsking();
    return {
      spec: { kind: 'netdev', interfaces: ['x'] },
      description: 'test source',
      async read() {
        const v = values[Math.min(reads++, values.length - 1)]!;
        if (v === 'never') return new Promise<never>(() => {});
        await new Promise((r) => setTimeout(r, opts.delayMs ?? 0));
        if (v instanceof Error) throw v;
        return v;
      },
      async close() {},
    };
  };
  return { open, reads: () => reads };
}

const tot = (n: number): CounterTotals => reading(port({ port: '0', rx: 1000 * n, tx: 900 * n, dropped: 10 * n, rxBytes: 64_000 * n, txBytes: 57_600 * n }));

describe('a stream’s counters over a session', () => {
  test('bad values, a restart and a port change each cost their interval (and the next, whose baseline they are); no count is ever wrong', async () => {
    const notices: string[] = [];
    const bad = reading(port({ port: '0', rx: -11000 }));
    const values = [tot(1), tot(2), bad, tot(4), tot(5), reading(port({ port: '0', rx: 10, tx: 9, dropped: 0, rxBytes: 640, txBytes: 576 })), tot(1), tot(2), { ...tot(3), problems: ['handler in0.count answered "banana"'] }, tot(4), tot(5)];
    const s = scripted(values);
    const c = new StreamCounters({ stream: 'pid-1', spec: { kind: 'netdev', interfaces: ['x'] }, open: s.open, onNotice: (m) => notices.push(m), readTimeoutMs: 500 });
    await c.start();
    const got = [];
    for (let i = 1; i < values.length; i++) got.push(await c.sample());
    assert.deepEqual(
      got.map((g) => g.packets?.rx ?? (g.restart !== undefined ? 'restart' : '-')),
      [1000, '-', '-', 1000, 'restart', 990, 1000, '-', '-', 1000],
    );
    assert.ok(notices.some((n) => /unusable reading of test source: port 0 rx is -11000, not a count/.test(n)));
    assert.ok(notices.some((n) => /went down \(port 0 rx 5000 → 10/.test(n)));
    assert.ok(notices.some((n) => /banana/.test(n)));
    await c.close();
  });

  test('a source that never answers holds up neither the start nor any interval: a late reading is no baseline, and nothing queues behind it', async () => {
    const notices: string[] = [];
    const s = scripted([tot(1), 'never', tot(3), tot(4)]);
    const c = new StreamCounters({ stream: 'pid-1', spec: { kind: 'netdev', interfaces: ['x'] }, open: s.open, onNotice: (m) => notices.push(m), readTimeoutMs: 100 });
    await c.start();
    let t = Date.now();
    assert.deepEqual(await c.sample(), {});
    assert.ok(Date.now() - t < 400, `a sample waits about readTimeoutMs, not more (${Date.now() - t} ms)`);
    t = Date.now();
    assert.deepEqual(await c.sample(), {});
    assert.ok(Date.now() - t < 400);
    assert.equal(s.reads(), 2, 'the boundary after a hung read sends nothing more');
    assert.equal(notices.filter((n) => /did not answer within 100 ms/.test(n)).length, 1, notices.join(' | '));
    await c.close().catch(() => {});
  });

  test('the start waits for the reader to run, then at most readTimeoutMs for the router; a router that never answers is one notice', async () => {
    const notices: string[] = [];
    const s = scripted(['never'], { openMs: 300 });
    const c = new StreamCounters({ stream: 'pid-1', spec: { kind: 'netdev', interfaces: ['x'] }, open: s.open, onNotice: (m) => notices.push(m), readTimeoutMs: 100 });
    const t = Date.now();
    await c.start();
    const took = Date.now() - t;
    assert.ok(took >= 300 && took < 900, `start took ${took} ms: the open (300) and at most the answer time (100)`);
    assert.equal(notices.length, 1, notices.join(' | '));
    assert.match(notices[0]!, /test source did not answer within 100 ms/);
    await c.close();
  });

  test('a source that fails to open says so, and says nothing about counters from it', async () => {
    const notices: string[] = [];
    const c = new StreamCounters({
      stream: 'pid-1',
      spec: { kind: 'netdev', interfaces: ['x'] },
      open: () => Promise.reject(new Error('no socket at /x')),
      onNotice: (m) => notices.push(m),
      readTimeoutMs: 100,
    });
    await c.start();
    assert.deepEqual(notices, ['pid-1: no router packet counters (no socket at /x); perf goes on, retrying']);
  });

  test('a router that stops (lists no port, then closes its socket) is news; a port gone or a failing source is a warning', async () => {
    const levels = async (values: (CounterTotals | Error)[]) => {
      const notices: [string, string][] = [];
      const c = new StreamCounters({ stream: 'pid-1', spec: { kind: 'netdev', interfaces: ['x'] }, open: scripted(values).open, onNotice: (m, level) => notices.push([level ?? 'warning', m]), readTimeoutMs: 100, retryMs: 1e6 });
      await c.start();
      for (let i = 1; i < values.length; i++) await c.sample();
      await c.close();
      return notices;
    };
    const from: [string, string] = ['info', 'pid-1: router packet counters from test source'];
    const closed = new CounterError('/run/x was closed by the router (it exited or is restarting)', true, true);
    assert.deepEqual(await levels([tot(1), tot(2), reading(), closed]), [
      from,
      ['info', 'pid-1: the router listed none of its ports (port 0 missing from the reading): it is stopping or starting; that interval has no packets'],
      ['info', 'pid-1: router packet counters stopped (/run/x was closed by the router (it exited or is restarting)); perf goes on'],
    ]);
    const twoPorts = (n: number) => reading(port({ port: '0', rx: 1000 * n }), port({ port: '1', rx: 1000 * n }));
    // Ports gone, then the router reading on: told with the next reading; then the socket closing: the router stopped.
    assert.deepEqual(await levels([twoPorts(1), twoPorts(2), reading(port({ port: '0', rx: 3000 })), reading(port({ port: '0', rx: 4000 }))]), [from, ['warning', 'pid-1: port 1 missing from the reading; that interval has no packets']]);
    assert.deepEqual(await levels([twoPorts(1), twoPorts(2), reading(port({ port: '0', rx: 3000 })), closed]), [from, ['info', 'pid-1: router packet counters stopped (/run/x was closed by the router (it exited or is restarting)); perf goes on']]);
    // Closed before any good reading, or failing otherwise: a problem to see.
    assert.deepEqual(await levels([tot(1), new CounterError('/run/x: permission denied')]), [from, ['warning', 'pid-1: no router packet counters (/run/x: permission denied); perf goes on, retrying']]);
    assert.deepEqual(await levels([closed]), [['warning', 'pid-1: no router packet counters (/run/x was closed by the router (it exited or is restarting)); perf goes on, retrying']]);
  });

  test("a restarted router's source not open yet is waited for, and a different failure after it is one", async () => {
    const notices: string[] = [];
    let tries = 0;
    const c = new StreamCounters({
      stream: 'pid-2',
      spec: { kind: 'netdev', interfaces: ['x'] },
      open: () => Promise.reject(new Error(++tries === 1 ? 'no socket at /x' : 'permission denied on /x')),
      onNotice: (m) => notices.push(m),
      readTimeoutMs: 100,
      fromZero: true,
      retryMs: 1,
      maxRetryMs: 1,
    });
    await c.start();
    await c.sample();
    await new Promise((r) => setTimeout(r, 5));
    await c.sample();
    assert.deepEqual(notices, [
      "pid-2: waiting for the restarted router's packet counters (no socket at /x); perf goes on",
      'pid-2: router packet counters still unavailable (permission denied on /x); perf goes on, retrying',
    ]);
  });
});

describe('packets lines in recordings and calibrate --from', () => {
  const head = `#@vnf-lens ${JSON.stringify({ format: 'vnf-lens-recording', version: 1, meta: { host: 'h', processes: [{ pid: 1 }], events: ['task-clock'], intervalMs: 1000, startedAt: '2026-12-01T00:00:00Z', separator: ',' } })}\n#@vnf-lens {"stream":"pid-1"}\n`;
  const perf = (t: number) => `     ${t}.000,999.0,msec,task-clock,1,100.00,,\n`;
  const packets = (t: number, rx: unknown, more = '') => `#@vnf-lens {"packets":{"stream":"pid-1","t":${t},"rx":${JSON.stringify(rx)},"tx":0,"dropped":0${more}}}\n`;

  test('negative, fractional and tiny counts are refused with the line named; none left is an error that names them', async () => {
    const file = join(dir, 'bad.vnflens');
    writeFileSync(file, head + perf(1) + packets(1, -11000) + perf(2) + packets(2, 1e-300) + perf(3) + packets(3, 0.5));
    const said: ParseDiagnostic[] = [];
    await assert.rejects(loadCounterRecordings([file], undefined, (_f, d) => said.push(d)), /none of its 3 intervals carries the router's packet counters \(3 packets lines were rejected: line 4: .*"rx" -11000.*; line 6: .*"rx" 1e-300.*; line 8: .*"rx" 0\.5/);
    assert.deepEqual(
      said.map((d) => d.line),
      [4, 6, 8],
    );
  });

  test('a second packets line for one interval is warned about, and the good lines are samples', async () => {
    const file = join(dir, 'dup.vnflens');
    writeFileSync(file, head + perf(1) + packets(1, 5) + packets(1, 7) + perf(2) + packets(2, 0));
    const said: ParseDiagnostic[] = [];
    const got = await loadCounterRecordings([file], undefined, (_f, d) => said.push(d));
    assert.equal(got.samples.length, 2);
    assert.equal(said.length, 1);
    assert.match(said[0]!.message, /a second packets line for stream pid-1 at t=1; the last one counts/);
    assert.equal(said[0]!.line, 5);
  });
});
