import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ByteWriter } from '../../../src/core/perf/byteWriter.ts';
import { writeIntervalJson } from '../../../src/core/perf/intervalJson.ts';
import { PerfStatParser } from '../../../src/core/perf/perfStatParser.ts';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { datasetsDir } from '../../support/paths.ts';
import { perfFiles } from '../../support/perfFiles.ts';

function jsonl(text: Buffer, generalOnly: boolean): { out: string; diags: ParseDiagnostic[] } {
  const chunks: Buffer[] = [];
  const w = new ByteWriter((b) => chunks.push(b), 1 << 16);
  const diags: ParseDiagnostic[] = [];
  const p = new PerfStatParser({ onInterval: (iv) => writeIntervalJson(w, iv), onDiagnostic: (d) => diags.push(d), generalOnly });
  // Odd chunk sizes, so lines are split across chunks too.
  for (let i = 0; i < text.length; i += 65_521) p.push(text.subarray(i, i + 65_521));
  p.end();
  w.flush();
  return { out: Buffer.concat(chunks).toString('utf8'), diags };
}

describe('CSV fast path', () => {
  const files = perfFiles(datasetsDir);
  it('finds the reference perf files', () => assert.ok(files.length >= 8, `${files.length} files`));
  for (const file of files) {
    it(`gives byte-identical JSONL to the general readers on ${file.slice(datasetsDir.length + 1)}`, () => {
      const text = readFileSync(file);
      const fast = jsonl(text, false);
      const general = jsonl(text, true);
      assert.equal(fast.out, general.out);
      assert.deepEqual(fast.diags, general.diags);
    });
  }
});

describe('JSON numbers', () => {
  it('writes numbers as JSON.stringify does', () => {
    const xs = [0, -0, 1, 9, 10, 100, 999999999, 1e9, 1000000001, 8.39, 99.99, 0.01, 0.1 + 0.2, 1e21, 2 ** 53, 2 ** 53 + 2, 123456789012345, -3.5, 1e-7, NaN, Infinity, -Infinity, 12.3456, 0.00005, 1234567.8901, 3600.1, 247.982996, 0.000001, 1125899.906842624];
    for (let k = 0; k <= 10000; k++) xs.push(k / 100, Number((k / 100).toFixed(2)));
    for (let i = 0; i < 3000; i++) {
      xs.push(Math.round(Math.random() * 1e6) / 100, Math.round(Math.random() * 1e8) / 1e4, Math.random() * 1e12, -Math.random(), Math.round(Math.random() * 1e12) / 1e6, Number((Math.random() * 1e4).toFixed(9)));
      xs.push(Math.floor(Math.random() * 2 ** 53), Math.floor(Math.random() * 1e10));
    }
    for (const x of xs) {
      for (const how of ['num', 'percent', 2, 4, 6, 9] as const) {
        const parts: Buffer[] = [];
        const w = new ByteWriter((b) => parts.push(b), 64);
        if (how === 'num') w.num(x);
        else if (how === 'percent') w.percent(x);
        else w.fixed(x, how);
        w.flush();
        assert.equal(Buffer.concat(parts).toString(), JSON.stringify(x), `${how}(${x})`);
      }
    }
  });
});
