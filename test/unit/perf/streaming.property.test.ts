import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { PerfStatParser } from '../../../src/core/perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { dataset } from '../../support/paths.ts';

// A real multiplexed file, cut to a size that keeps a hundred runs quick.
const REAL = readFileSync(dataset('opennetvm-bridge', '128B', 'bridge.csv'), 'utf8').split('\n').slice(0, 3 + 31 * 12).join('\n') + '\n';

function parseChunks(chunks: string[]): { ivs: Interval[]; diags: ParseDiagnostic[] } {
  const ivs: Interval[] = [];
  const diags: ParseDiagnostic[] = [];
  const p = new PerfStatParser({ onInterval: (iv) => ivs.push(iv), onDiagnostic: (d) => diags.push(d) });
  for (const c of chunks) p.push(c);
  p.end();
  return { ivs, diags };
}

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

const whole = parseChunks([REAL]);

describe('streaming parser properties', () => {
  it('gives the same intervals however the text is split into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        const r = parseChunks(splitAt(REAL, cuts));
        assert.deepEqual(r.ivs, whole.ivs);
        assert.deepEqual(r.diags, []);
      }),
      { numRuns: 100 },
    );
  });

  it('reports inserted garbage lines by number and keeps every interval intact', () => {
    const lines = REAL.split('\n');
    const garbage = fc.oneof(
      fc.string({ maxLength: 60 }).filter((s) => !s.includes('\n') && s.trim() !== '' && !s.trim().startsWith('#')),
      fc.constantFrom('     1.5,abc,,', 'instructions', '{"interval": "x"}', '{broken', ',,,,,,', '99999999999.9'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(lines.length - 2), garbage), { minLength: 1, maxLength: 8 }), (inserts) => {
        const out = [...lines];
        const sorted = [...inserts].sort((a, b) => b[0] - a[0]);
        for (const [at, g] of sorted) out.splice(at + 2, 0, g); // after the header lines
        const r = parseChunks([out.join('\n')]);
        // Each garbage line is reported once, by its own number.
        const garbageLines = out.map((l, i) => (lines.includes(l) ? -1 : i + 1)).filter((n) => n > 0);
        assert.equal(r.diags.length, inserts.length, JSON.stringify(r.diags));
        for (const n of garbageLines) assert.ok(r.diags.some((d) => d.line === n), `garbage line ${n} not reported`);
        // Every original counter value survives unchanged.
        for (const iv of whole.ivs) {
          const same = r.ivs.find((x) => x.t === iv.t);
          assert.ok(same, `interval ${iv.t} lost`);
          for (const [k, v] of Object.entries(iv.counters)) assert.equal(same.counters[k], v);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reads a truncated file up to the cut without throwing', () => {
    fc.assert(
      fc.property(fc.nat(REAL.length), (cut) => {
        const r = parseChunks([REAL.slice(0, cut)]);
        // All intervals before the one being cut are exact.
        for (let i = 0; i + 1 < r.ivs.length; i++) assert.deepEqual(r.ivs[i], whole.ivs[i]);
        assert.ok(r.ivs.length <= whole.ivs.length);
        assert.ok(r.diags.length <= 1, 'at most the cut line is unreadable');
      }),
      { numRuns: 150 },
    );
  });
});
