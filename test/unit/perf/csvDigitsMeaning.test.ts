import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO, ScratchReading, readCsvBytes } from '../../../src/core/perf/csvFastPath.ts';

/** Seeded: the same numbers on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 16 and 17 significant digits are past what a double holds as an integer (2^53 has 16):
// the digits must not be summed in doubles, or the last digit drifts from what Number() reads.
test('the CSV fast path reads counts and times of 15, 16 and 17 significant digits exactly as Number() does', () => {
  const r = rng(17);
  const digits = (n: number) => String(1 + Math.floor(r() * 9)) + Array.from({ length: n - 1 }, () => Math.floor(r() * 10)).join('');
  let checked = 0;
  for (let i = 0; i < 2000; i++) {
    const n = 15 + (i % 3);
    const d = digits(n);
    const point = i % 2 === 0 ? n : 1 + Math.floor(r() * (n - 1));
    const value = point === n ? d : `${d.slice(0, point)}.${d.slice(point)}`;
    const line = `     1.000000000,${value},,instructions,1000,100.00,,`;
    const b = Buffer.from(line);
    const got = new ScratchReading();
    if (readCsvBytes(b, 0, b.length, 44, got, undefined) === NO) continue;
    assert.equal(got.value, Number(value), `${value} (${n} digits)`);
    checked++;
  }
  assert.ok(checked > 1900, `${checked} lines taken by the fast path`);
});
