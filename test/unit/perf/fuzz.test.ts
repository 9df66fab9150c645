/**
 * Seeded, bounded fuzzing of the readers: the shared perf files (CSV, perf -j JSON, a
 * recording) are mutated the ways files get damaged or forged — garbage, deleted,
 * repeated and swapped lines, corrupted times and counts, hostile event names, long
 * lines, NUL and control bytes, bad directives, CR line ends — and read through
 * replay and infer in process (and once through the CLI). Nothing may crash, memory
 * stays bounded, the JSON out holds only finite numbers where numbers belong, each
 * mutation costs at most one interval, and damaged lines are counted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { writeInferenceJson } from '../../../src/cli/commands/infer.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { ByteWriter } from '../../../src/core/perf/byteWriter.ts';
import { writeIntervalJson } from '../../../src/core/perf/intervalJson.ts';
import { PerfStatParser } from '../../../src/core/perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { readIntervalsFrom } from '../../../src/core/source/readIntervals.ts';
import { dataset, repoRoot } from '../../support/paths.ts';
import { cliArgs } from '../../support/cli.ts';

const SEED = 20261130;
// A cut of each file keeps a run quick: 40 intervals of 31 events.
const cut = (text: string) => text.split('\n').slice(0, 2 + 31 * 40);
const CSV = cut(readFileSync(dataset('opennetvm-bridge', '128B', 'bridge.csv'), 'utf8'));
const SFC = cut(readFileSync(dataset('itc21', 'perf-stat-sfc', '1-vnf-collocated-core-freq-2-single-vnf.txt'), 'utf8'));

/** The same lines as perf 6.x prints them with -j. */
function toJsonLayout(lines: string[]): string[] {
  return lines.map((l) => {
    const f = l.split(',');
    if (f.length < 7 || !/^\s*\d/.test(l)) return l;
    return JSON.stringify({ interval: Number(f[0]), 'counter-value': f[1], unit: f[2], event: f[3], variance: f[4], 'event-runtime': Number(f[5]), 'pcnt-running': Number(f[6]) });
  });
}

/** The same lines in a recording, with its header, a stream and a mark. */
function toRecording(lines: string[]): string[] {
  const meta = { host: 'lab', processes: [{ pid: 1 }], events: [], intervalMs: 1000, startedAt: '2026-01-01T00:00:00Z', separator: ',' };
  const out = [`#@vnf-lens ${JSON.stringify({ format: 'vnf-lens-recording', version: 1, meta })}`, '#@vnf-lens {"stream":"pid-1"}'];
  lines.forEach((l, i) => {
    out.push(l);
    if (i === 400) out.push('#@vnf-lens {"mark":{"t":12,"text":"traffic on"}}');
  });
  return out;
}

const BASES = { csv: CSV, sfc: SFC, json: toJsonLayout(CSV), recording: toRecording(CSV) };
type BaseName = keyof typeof BASES;

/** A mutation: what it does to the lines, and whether the reader must report it. */
type Mutation = { kind: string; at: number; arg: number };

const data = (lines: string[], at: number) => {
  // The index of a perf data line at or after `at`.
  for (let k = 0; k < lines.length; k++) {
    const i = (at + k) % lines.length;
    if (/^\s*\d+\.\d+[,;]|^\{"interval"/.test(lines[i]!)) return i;
  }
  return -1;
};

function apply(lines: string[], m: Mutation): { lines: string[]; reported: boolean } {
  const out = [...lines];
  const i = data(out, m.at);
  if (i < 0) return { lines: out, reported: false };
  const line = out[i]!;
  const setTime = (f: (t: string) => string) => line.replace(/\d+\.\d+/, f);
  switch (m.kind) {
    case 'garbage':
      out.splice(i, 0, ['garbage', '1.5,abc,,', '{broken', ',,,,', '\u0001\u001b[31m', 'instructions', '99999999999.9', '-'][m.arg % 8]!);
      return { lines: out, reported: true };
    case 'delete':
      out.splice(i, 1);
      return { lines: out, reported: false };
    case 'repeat':
      out.splice(i, 0, line);
      return { lines: out, reported: true };
    case 'swap': {
      const j = data(out, m.at + 1 + (m.arg % 200));
      if (j >= 0) [out[i], out[j]] = [out[j]!, out[i]!];
      return { lines: out, reported: false };
    }
    case 'nine':
      out[i] = setTime((t) => '9' + t);
      return { lines: out, reported: true };
    case 'nines':
      out[i] = setTime(() => '9'.repeat(400));
      return { lines: out, reported: true };
    case 'back':
      out[i] = setTime((t) => (Number(t) - 1 - (m.arg % 5)).toFixed(9));
      return { lines: out, reported: true };
    case 'value':
      out[i] = line.replace(/(^\s*[\d.]+,|"counter-value":")\d+(\.\d+)?/, (_, p: string) => p + ['-5', '1e999', '99999999999999999999999', 'NaN', '-0.5'][m.arg % 5]);
      return { lines: out, reported: true };
    case 'name':
      out.splice(i + 1, 0, line.replace(/(instructions|branches|cycles|[a-z-]+-misses|task-clock)/, ['__proto__', 'constructor', 'toString', 'hasOwnProperty'][m.arg % 4]!));
      return { lines: out, reported: false };
    case 'long':
      out.splice(i, 0, 'x'.repeat(2 ** 20 + 1 + (m.arg % 1000)));
      return { lines: out, reported: true };
    case 'truncate':
      out[i] = line.slice(0, m.arg % line.length);
      return { lines: out, reported: false };
    case 'nul':
      out[i] = line.slice(0, 5) + '\u0000' + line.slice(5);
      return { lines: out, reported: true };
    case 'directive':
      out.splice(i, 0, '#@vnf-lens ' + ['null', '5', '{"gap":5}', '{"mark":null}', '{"stream":7}', '{"label":{"from":"a"}}', '{', '{"format":"vnf-lens-recording","version":"x"}'][m.arg % 8]);
      return { lines: out, reported: false }; // a directive only means one inside a recording
    default:
      throw new Error(m.kind);
  }
}

const KINDS = ['garbage', 'delete', 'repeat', 'swap', 'nine', 'nines', 'back', 'value', 'name', 'long', 'truncate', 'nul', 'directive'];
const mutation = fc.record({ kind: fc.constantFrom(...KINDS), at: fc.nat(100_000), arg: fc.nat(100_000) });

let model: Awaited<ReturnType<typeof loadDefaultModel>>;

interface Outcome {
  intervals: number;
  diags: ParseDiagnostic[];
}

/** Replay and infer in process, checking every JSON line written. */
async function run(text: string, crlf: 'lf' | 'crlf' | 'cr', chunk: number): Promise<Outcome> {
  const bytes = Buffer.from(crlf === 'lf' ? text : text.replace(/\n/g, crlf === 'crlf' ? '\r\n' : '\r'));
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const diags: ParseDiagnostic[] = [];
  const engine = createInferenceEngine(model);
  const replayOut: Buffer[] = [];
  const inferOut: Buffer[] = [];
  const rw = new ByteWriter((b) => replayOut.push(b), 1 << 16);
  const iw = new ByteWriter((b) => inferOut.push(b), 1 << 16);
  let intervals = 0;
  for await (const iv of readIntervalsFrom(chunks(), 'fuzz', { onDiagnostic: (d) => diags.push(d) })) {
    writeIntervalJson(rw, iv);
    writeInferenceJson(iw, engine.next(fingerprint(iv), iv.packets));
    intervals++;
  }
  rw.flush();
  iw.flush();
  for (const line of lines(replayOut)) {
    const o = JSON.parse(line) as { t: unknown; dt: unknown; counters: Record<string, unknown>; running: Record<string, unknown> };
    assert.ok(isFinite(o.t) && isFinite(o.dt) && (o.dt as number) > 0, line.slice(0, 200));
    for (const v of [...Object.values(o.counters), ...Object.values(o.running)]) assert.ok(isFinite(v) && (v as number) >= 0, line.slice(0, 200));
  }
  for (const line of lines(inferOut)) {
    const o = JSON.parse(line) as Record<string, unknown>;
    assert.ok(isFinite(o['t']) && isFinite(o['stateConfidence']), line.slice(0, 200));
    for (const k of ['lossScore', 'similarity', 'runnerUpSimilarity', 'margin']) assert.ok(o[k] === null || isFinite(o[k]), `${k} in ${line.slice(0, 200)}`);
    for (const v of Object.values((o['similarities'] ?? {}) as Record<string, unknown>)) assert.ok(isFinite(v));
  }
  return { intervals, diags };
}

function isFinite(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x);
}

function lines(parts: Buffer[]): string[] {
  return Buffer.concat(parts).toString('utf8').split('\n').filter((l) => l !== '');
}

const clean = new Map<BaseName, number>();

before(async () => {
  model = await loadDefaultModel();
  for (const name of Object.keys(BASES) as BaseName[]) clean.set(name, (await run(BASES[name].join('\n') + '\n', 'lf', 1 << 20)).intervals);
});

describe('fuzzing the readers with damaged perf files', () => {
  it('reads the undamaged files in every layout', () => {
    for (const [name, n] of clean) assert.ok(n >= 39, `${name}: ${n} intervals`);
  });

  for (const name of Object.keys(BASES) as BaseName[]) {
    it(`${name}: no crash, finite JSON, at most one interval per mutation, damaged lines counted`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom('lf', 'crlf', 'cr'), fc.integer({ min: 7, max: 1 << 18 }), async (ms, ends, chunk) => {
          let lines = BASES[name];
          let mustReport = 0;
          for (const m of ms) {
            const r = apply(lines, m);
            lines = r.lines;
            if (r.reported) mustReport++;
          }
          let outcome: Outcome;
          try {
            outcome = await run(lines.join('\n') + '\n', ends, chunk);
          } catch (e) {
            // The one refusal allowed: NUL bytes at the very start mean binary data.
            assert.match((e as Error).message, /binary data/);
            assert.ok(ms.some((m) => m.kind === 'nul'));
            return;
          }
          const base = clean.get(name)!;
          assert.ok(outcome.intervals >= base - ms.length && outcome.intervals <= base + ms.length, `${outcome.intervals} intervals, ${base} clean, ${ms.length} mutations`);
          // Mutations can undo each other (a repeated line deleted again), never hide all of themselves.
          if (mustReport > 0 && !ms.some((m) => m.kind === 'delete' || m.kind === 'truncate' || m.kind === 'swap')) assert.ok(outcome.diags.length > 0, 'damage reported');
          for (const d of outcome.diags) assert.ok(d.line >= 1 && d.line <= lines.length + 2, `line ${d.line}`);
        }),
        { seed: SEED, numRuns: 30, endOnFailure: true },
      );
    });
  }

  it('keeps memory bounded on a 64 MiB line without a newline', () => {
    const p = new PerfStatParser({ onInterval: () => {}, onDiagnostic: () => {} });
    p.push('1.0,1,,a,1000,100.00,,\n');
    const chunk = Buffer.alloc(1 << 20, 'y');
    globalThis.gc?.();
    const before = process.memoryUsage();
    for (let i = 0; i < 64; i++) p.push(chunk);
    const afterUse = process.memoryUsage();
    p.end();
    const grown = afterUse.heapUsed + afterUse.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    assert.ok(grown < 16 * 2 ** 20, `grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
  });
});

describe('the CLI on a damaged file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnf-lens-fuzz-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, cliArgs([...args]), { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });

  it('replay and infer print every interval, warn about the damage and exit 0', () => {
    let lines = CSV;
    const rnd = fc.sample(fc.array(mutation, { minLength: 5, maxLength: 5 }), { seed: SEED, numRuns: 1 })[0]!;
    for (const m of [...rnd, { kind: 'nine', at: 300, arg: 0 }, { kind: 'garbage', at: 700, arg: 4 }]) lines = apply(lines, m).lines;
    const path = join(dir, 'damaged.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    for (const cmd of ['replay', 'infer']) {
      const r = cli(cmd, '--format', 'jsonl', path);
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout.trim().split('\n');
      assert.ok(out.length >= clean.get('csv')! - 7, `${cmd}: ${out.length} lines`);
      for (const l of out) JSON.parse(l);
      assert.match(r.stderr, /warning: .*damaged\.csv:\d+: /);
      // Control characters from the file are never printed raw.
      assert.ok(!r.stderr.includes('\u001b'), 'raw escape in stderr');
    }
  });

  it('refuses a separator perf cannot have used, as a usage error', () => {
    const r = cli('replay', '--separator', '0', dataset('opennetvm-bridge', '128B', 'bridge.csv'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--separator: the CSV separator cannot contain "0"/);
    assert.equal(r.stdout, '');
  });

  it('fails with a clear message when nothing could be read', () => {
    const path = join(dir, 'garbage.txt');
    writeFileSync(path, 'root:x:0:0:root:/root:/bin/bash\nnot perf\n');
    const r = cli('replay', path);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no intervals in .*garbage\.txt \(2 unreadable lines\)/);
  });
});
