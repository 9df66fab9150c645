import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { intervalToJson } from '../../../src/core/perf/intervalJson.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { PerfStatParser } from '../../../src/core/perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { separatorProblem } from '../../../src/core/perf/separator.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { readAllIntervals, readIntervalsFrom } from '../../../src/core/source/readIntervals.ts';
import { readWideCsv } from '../../../src/core/recording/wideCsv.ts';
import { dataset } from '../../support/paths.ts';

function parse(text: string | Buffer[], separator?: string): { ivs: Interval[]; diags: ParseDiagnostic[] } {
  const ivs: Interval[] = [];
  const diags: ParseDiagnostic[] = [];
  const p = new PerfStatParser({ onInterval: (iv) => ivs.push(iv), onDiagnostic: (d) => diags.push(d), ...(separator ? { separator } : {}) });
  for (const c of typeof text === 'string' ? [text] : text) p.push(c);
  p.end();
  return { ivs, diags };
}

const BRIDGE = readFileSync(dataset('opennetvm-bridge', '128B', 'bridge.csv'), 'utf8');
const BRIDGE_LINES = BRIDGE.split('\n');
const clean = parse(BRIDGE);

/** The bridge file with line `n` (0-based) changed by `f`. */
function withLine(n: number, f: (line: string) => string): string {
  const lines = [...BRIDGE_LINES];
  lines[n] = f(lines[n]!);
  return lines.join('\n');
}

/** Every interval but at most one is exactly as in the clean file, and no interval has a made-up length. */
function costsAtMostOneInterval(ivs: Interval[]): void {
  assert.equal(ivs.length, clean.ivs.length);
  let differing = 0;
  for (let i = 0; i < ivs.length; i++) {
    assert.equal(ivs[i]!.t, clean.ivs[i]!.t);
    assert.ok(Math.abs(ivs[i]!.dt - clean.ivs[i]!.dt) < 1e-9, `dt ${ivs[i]!.dt} at ${ivs[i]!.t}`);
    if (!sameRecord(ivs[i]!.counters, clean.ivs[i]!.counters)) differing++;
  }
  assert.ok(differing <= 1, `${differing} intervals differ`);
}

/** Same keys and values, in any order (a missing first line changes the order events are first seen in). */
function sameRecord(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

describe('one bad timestamp costs one line', () => {
  assert.equal(clean.ivs.length, 209);
  assert.deepEqual(clean.diags, []);
  // Line 2 is the file's first data line, 33 the first of the second interval, 499 one in the middle, the last one.
  for (const n of [2, 3, 32, 33, 34, 499, BRIDGE_LINES.length - 2]) {
    it(`a 9 prepended to the time of line ${n + 1}`, () => {
      const { ivs, diags } = parse(withLine(n, (l) => l.replace(/^(\s*)/, '$19')));
      costsAtMostOneInterval(ivs);
      assert.equal(diags.length, 1);
      assert.equal(diags[0]!.line, n + 1);
      assert.match(diags[0]!.message, /interval time 9\d+\.\d+ (jumps from|does not fit)/);
    });
  }

  it('a time of 400 nines', () => {
    const { ivs, diags } = parse(withLine(499, (l) => l.replace(/\d+\.\d+/, '9'.repeat(400))));
    costsAtMostOneInterval(ivs);
    assert.equal(diags.length, 1);
    for (const iv of ivs) assert.ok(Number.isFinite(iv.t));
  });

  it('a time that goes back by a little, or forward by less than an interval', () => {
    for (const f of [(t: number) => t - 0.01, (t: number) => t + 0.3, (t: number) => t - 5]) {
      const { ivs, diags } = parse(withLine(499, (l) => l.replace(/\d+\.\d+/, (m) => f(Number(m)).toFixed(9))));
      costsAtMostOneInterval(ivs);
      assert.equal(diags.length, 1);
    }
  });

  it('still follows a real stall, at 10 ms and 0.5 s intervals, with one or several events', () => {
    for (const step of [0.01, 0.5]) {
      for (const events of [['a'], ['a', 'b', 'c']]) {
        const times = [1, 2, 3, 7, 8, 9].map((k) => k * step);
        const text = times.map((t) => events.map((e) => `${t.toFixed(6)},1,,${e},1000,100.00,,\n`).join('')).join('');
        const { ivs, diags } = parse(text);
        assert.deepEqual(diags, []);
        assert.deepEqual(
          ivs.map((i) => i.t),
          times.map((t) => Number(t.toFixed(6))),
        );
        assert.ok(Math.abs(ivs[3]!.dt - 4 * step) < 1e-9, 'the stall is one long interval');
      }
    }
  });
});

describe('bad counter lines', () => {
  it('reports a repeated (event, time) line instead of adding it twice', () => {
    const { ivs, diags } = parse('1.0,100,,cycles,1000,100.00,,\n1.0,100,,cycles,1000,100.00,,\n1.0,7,,branches,1000,100.00,,\n');
    assert.deepEqual(ivs[0]!.counters, { cycles: 100, branches: 7 });
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.line, 2);
    assert.match(diags[0]!.message, /cycles repeated/);
  });

  it('does not wrap at 65,536 lines: repeats are reported, per-CPU lines summed', () => {
    const repeated = parse('1.0,1,,cycles,1000,100.00,,\n'.repeat(70_000));
    assert.equal(repeated.ivs[0]!.counters['cycles'], 1);
    assert.equal(repeated.diags.length, 69_999);
    let perCpu = '';
    for (let c = 0; c < 70_000; c++) perCpu += `1.0,CPU${c},1,,cycles,1000,50.00,,\n`;
    const summed = parse(perCpu);
    assert.deepEqual(summed.diags, []);
    assert.equal(summed.ivs[0]!.counters['cycles'], 70_000);
    assert.equal(summed.ivs[0]!.running['cycles'], 50);
  });

  it('flags negative, non-finite and beyond-64-bit counts and leaves them out of the fingerprint', () => {
    for (const bad of ['-5', '1e999', '99999999999999999999999', 'NaN']) {
      const { ivs, diags } = parse(`1.0,${bad},,cycles,1000,100.00,,\n1.0,10,,instructions,1000,100.00,,\n2.0,11,,instructions,1000,100.00,,\n`);
      assert.equal(diags.length, 1, bad);
      assert.equal(ivs.length, 2);
      assert.deepEqual(ivs[0]!.counters, { instructions: 10 }, bad);
      assert.equal(fingerprint(ivs[0]!).rates['cycles'], undefined);
    }
  });

  it('keeps event names that are object keys as plain events', () => {
    const events = ['instructions', '__proto__', 'constructor', 'toString', 'cycles'];
    const line = (t: number, e: string, i: number) => `${t}.0,${(i + 1) * 10},,${e},1000,${50 + i}.00,,\n`;
    for (const order of [events, [...events].reverse()]) {
      const { ivs, diags } = parse([1, 2].map((t) => order.map((e) => line(t, e, events.indexOf(e))).join('')).join('') + '3.0,<not counted>,,constructor,0,100.00,,\n');
      assert.deepEqual(diags, []);
      for (const iv of ivs.slice(0, 2)) {
        assert.deepEqual(Object.keys(iv.counters), order);
        for (const [i, e] of events.entries()) {
          assert.equal(Object.getOwnPropertyDescriptor(iv.counters, e)?.value, (i + 1) * 10, e);
          assert.equal(Object.getOwnPropertyDescriptor(iv.running, e)?.value, 50 + i, e);
        }
        const json = JSON.parse(intervalToJson(iv)) as { counters: Record<string, number>; running: Record<string, number> };
        for (const [i, e] of events.entries()) {
          assert.equal(Object.getOwnPropertyDescriptor(json.running, e)?.value, 50 + i, `running of ${e} in JSON`);
          assert.equal(Object.getOwnPropertyDescriptor(json.counters, e)?.value, (i + 1) * 10);
        }
        const fp = fingerprint(iv);
        assert.equal(Object.getOwnPropertyDescriptor(fp.rates, 'constructor')?.value, 30 / iv.dt);
      }
      assert.deepEqual(ivs[2]!.notCounted, ['constructor']);
    }
  });
});

describe('lines the reader must not hold', () => {
  it('skips a line over 1 MiB with one diagnostic and bounded memory, however it is split', () => {
    const long = Buffer.alloc(3 * 2 ** 20, 'x');
    const chunks: Buffer[] = [Buffer.from('1.0,1,,a,1000,100.00,,\n1.0,1')];
    for (let i = 0; i < long.length; i += 65536) chunks.push(long.subarray(i, i + 65536));
    chunks.push(Buffer.from('\n2.0,2,,a,1000,100.00,,\n'));
    const { ivs, diags } = parse(chunks);
    assert.deepEqual(
      ivs.map((i) => i.counters['a']),
      [1, 2],
    );
    assert.equal(diags.length, 1);
    assert.match(diags[0]!.message, /longer than 1 MiB/);
  });

  it('reads CR-only line ends', () => {
    const cr = BRIDGE.replace(/\n/g, '\r');
    assert.deepEqual(parse(cr).ivs, clean.ivs);
    const split = Buffer.from(cr);
    assert.deepEqual(parse([split.subarray(0, 5000), split.subarray(5000)]).ivs, clean.ivs);
  });

  it('refuses binary input and an endless first line with a clear error', async () => {
    const zeros = async function* () {
      for (;;) yield new Uint8Array(65536);
    };
    await assert.rejects(async () => {
      for await (const _ of readIntervalsFrom(zeros(), 'zeros')) void _;
    }, /binary data \(NUL bytes\)/);
    const letters = async function* () {
      for (;;) yield 'a'.repeat(65536);
    };
    await assert.rejects(async () => {
      for await (const _ of readIntervalsFrom(letters(), 'letters')) void _;
    }, /first line is longer than 1 MiB/);
  });

  it('refuses separators that cannot be perf separators', () => {
    for (const bad of ['', '0', '7', '.', '-', '+', ' ', '\n', 'a', 'e', '_', '/', '%']) assert.ok(separatorProblem(bad), JSON.stringify(bad));
    for (const good of [',', ';', '|', '\t', ':', '!', ';;']) assert.equal(separatorProblem(good), undefined, JSON.stringify(good));
    assert.throws(() => new PerfStatParser({ separator: '0', onInterval: () => {} }), /cannot contain "0"/);
  });
});

describe('recording directives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-directives-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const header = (meta: object) => `#@vnf-lens ${JSON.stringify({ format: 'vnf-lens-recording', version: 1, meta: { host: 'h', processes: [], events: [], startedAt: 'x', ...meta } })}\n`;
  const perf = (from: number, to: number) => {
    let s = '';
    for (let t = from; t <= to; t++) s += `${t}.0,${t},,a,1000,100.00,,\n`;
    return s;
  };

  it('skips malformed directives with a warning and keeps every interval around them', async () => {
    const path = join(dir, 'bad.vnflens');
    const bad = ['null', '5', '"x"', '[]', '{"stream":null}', '{"mark":null}', '{"mark":{"t":"x"}}', '{"gap":5}', '{"label":[]}', '{"end":null}', '{"format":"vnf-lens-recording","version":"1","meta":{}}', '{"nothing":1}'];
    writeFileSync(path, header({ intervalMs: 1000 }) + perf(1, 3) + bad.map((b) => `#@vnf-lens ${b}\n`).join('') + perf(4, 6));
    const diags: ParseDiagnostic[] = [];
    const ivs = await readAllIntervals(path, { onDiagnostic: (d) => diags.push(d) });
    assert.deepEqual(
      ivs.map((i) => i.counters['a']),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(diags.length, bad.length);
    assert.deepEqual(
      diags.map((d) => d.line),
      bad.map((_, i) => 5 + i),
    );
    for (const d of diags) assert.doesNotMatch(d.message, /undefined/);
  });

  it('ignores an unusable interval length or separator in the header, and says why', async () => {
    for (const meta of [{ intervalMs: -1000 }, { intervalMs: 0 }, { intervalMs: 'x' }, { separator: '0' }, { separator: 5 }]) {
      const path = join(dir, 'meta.vnflens');
      writeFileSync(path, header(meta) + perf(1, 2) + '#@vnf-lens {"gap":{"from":"a","to":"b","reason":"r"}}\n' + perf(5, 6));
      const diags: ParseDiagnostic[] = [];
      const ivs = await readAllIntervals(path, { onDiagnostic: (d) => diags.push(d) });
      assert.equal(diags.length, 1, JSON.stringify(meta));
      assert.equal(ivs.length, 4);
      for (const iv of ivs) assert.ok(iv.dt > 0 && Number.isFinite(iv.dt), `dt ${iv.dt}`);
    }
  });

  it('says which version a newer recording has', async () => {
    const path = join(dir, 'v9.vnflens');
    writeFileSync(path, '#@vnf-lens {"format":"vnf-lens-recording","version":9,"meta":{}}\n');
    await assert.rejects(readAllIntervals(path), /version 9 is newer/);
  });
});

describe('wide CSV', () => {
  it('reports and skips a repeated or earlier row instead of making a zero-length interval', () => {
    const diags: ParseDiagnostic[] = [];
    const ivs = readWideCsv('Time,5000-64-a,5000-64-b\n1.0,1,2\n2.0,3,4\n2.0,3,4\n1.5,9,9\n3.0,5,6\n', (d) => diags.push(d));
    assert.deepEqual(
      ivs.map((i) => [i.t, i.dt]),
      [
        [1, 1],
        [2, 1],
        [3, 1],
      ],
    );
    assert.deepEqual(
      diags.map((d) => d.line),
      [4, 5],
    );
  });
});
