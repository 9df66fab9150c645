import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { ParseDiagnostic } from '../../../src/core/perf/reading.ts';
import { parsePerfText } from '../../../src/core/source/readIntervals.ts';

// perf on this machine: software events count, hardware events are <not supported>
// on hosts without a PMU (and counted where there is one).


function capture(args: string[]): string {
  const r = execFileSync('sh', ['-c', 'exec perf stat "$@" -- sleep 0.45 2>&1 >/dev/null', 'perf', ...args], { encoding: 'utf8' });
  return r;
}

const EVENTS = 'task-clock,context-switches,page-faults,instructions';

describe('perf on this machine', () => {
  for (const [name, args] of [
    ['CSV', ['-x,', '-I', '100', '-e', EVENTS]],
    ['CSV with another separator', ['-x;', '-I', '100', '-e', EVENTS]],
    ['JSON', ['-j', '-I', '100', '-e', EVENTS]],
    ['human-readable', ['-I', '100', '-e', EVENTS]],
  ] as const) {
    it(`reads its ${name} interval output`, () => {
      const text = capture([...args]);
      const diags: ParseDiagnostic[] = [];
      const ivs = parsePerfText(text, { onDiagnostic: (d) => diags.push(d) });
      assert.deepEqual(diags, [], text);
      assert.ok(ivs.length >= 3, `expected at least 3 intervals in:\n${text}`);
      const first = ivs[0]!;
      // task-clock is a software event: counted everywhere.
      assert.ok('task-clock' in first.counters, JSON.stringify(first));
      assert.equal(first.units['task-clock'], 'msec');
      const seen = new Set([...Object.keys(first.counters), ...first.notCounted, ...first.unsupported]);
      for (const e of EVENTS.split(',')) assert.ok(seen.has(e), `${e} accounted for in ${JSON.stringify(first)}`);
      for (let i = 1; i < ivs.length; i++) assert.ok(ivs[i]!.t > ivs[i - 1]!.t);
    });
  }

  it('reads per-CPU output (-A -a)', () => {
    const text = capture(['-x,', '-I', '100', '-a', '-A', '-e', 'task-clock']);
    const ivs = parsePerfText(text);
    const cpus = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
    assert.equal(Object.keys(ivs[0]!.breakdown!).length, cpus);
    const sum = Object.values(ivs[0]!.breakdown!).reduce((s, b) => s + b.counters['task-clock']!, 0);
    assert.ok(Math.abs(sum - ivs[0]!.counters['task-clock']!) < 1e-6);
  });
});
