import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { LocalHost } from '../../../src/core/host/localHost.ts';
import { PerfRun } from '../../../src/core/live/perfRun.ts';

// perf's exact CSV lines (perf 6.1, -x, -I): two events per interval.
const IV1 = '     0.100112233,99.52,msec,task-clock,99520000,100.00,0.995,CPUs utilized\\n     0.100112233,3,,context-switches,99520000,100.00,30.145,/sec\\n';
const IV2 = '     0.200224466,100.01,msec,task-clock,100010000,100.00,1.000,CPUs utilized\\n     0.200224466,1,,context-switches,100010000,100.00,9.999,/sec\\n';

interface Seen {
  at: number;
  iv: Interval;
}

async function runScript(script: string, o: { linesPerInterval: number; offsetS?: number; quietMs?: number }) {
  const host = new LocalHost({ kind: 'local' });
  await host.connect();
  const t0 = performance.now();
  const seen: Seen[] = [];
  const text: string[] = [];
  const stderr: string[] = [];
  const diags: string[] = [];
  const run = new PerfRun({
    host,
    argv: ['sh', '-c', script],
    stream: 'pid-1',
    offsetS: o.offsetS ?? 0,
    linesPerInterval: o.linesPerInterval,
    quietMs: o.quietMs ?? 20,
    onLines: (t) => text.push(t),
    onInterval: (iv) => seen.push({ at: performance.now() - t0, iv }),
    onStderr: (l) => stderr.push(l),
    onDiagnostic: (m) => diags.push(m),
  });
  const exit = await run.exited;
  return { seen, text: text.join(''), stderr, diags, exit };
}

test('an interval is emitted as soon as all its lines are in, not when the next one starts', async () => {
  const r = await runScript(`printf '${IV1}'; sleep 0.6; printf '${IV2}'`, { linesPerInterval: 2, quietMs: 1000 });
  assert.equal(r.seen.length, 2);
  assert.ok(r.seen[0]!.at < 400, `first interval after ${r.seen[0]!.at.toFixed(0)} ms, the second came at ~600 ms`);
  assert.deepEqual(r.seen[0]!.iv.counters, { 'task-clock': 99.52, 'context-switches': 3 });
  assert.equal(r.seen[0]!.iv.stream, 'pid-1');
  assert.equal(r.exit.exitCode, 0);
});

test('an interval that looks incomplete is emitted after the quiet period', async () => {
  const r = await runScript(`printf '${IV1}'; sleep 0.6; printf '${IV2}'`, { linesPerInterval: 3, quietMs: 50 });
  assert.equal(r.seen.length, 2);
  assert.ok(r.seen[0]!.at < 450, `first interval after ${r.seen[0]!.at.toFixed(0)} ms`);
});

test('a restarted perf continues the stream clock: times are shifted in the intervals and the recorded text', async () => {
  const r = await runScript(`printf '${IV1}${IV2}'`, { linesPerInterval: 2, offsetS: 12.5 });
  assert.deepEqual(
    r.seen.map((s) => s.iv.t),
    [12.600112233, 12.700224466],
  );
  // dt is perf's own interval length, not the time since the session started.
  assert.ok(Math.abs(r.seen[1]!.iv.dt - 0.100112233) < 1e-9);
  assert.match(r.text, /^ {4}12\.600112233,99\.52,msec,task-clock,/);
  assert.equal(r.text.split('\n').length, 5);
});

test("perf's stderr comes line by line, and a line cut off by its death is dropped with a diagnostic", async () => {
  const r = await runScript(`printf '${IV1}'; echo 'Warning: something' >&2; printf '     0.2002,100'; kill -9 $$`, { linesPerInterval: 2 });
  assert.deepEqual(r.stderr, ['Warning: something']);
  assert.equal(r.seen.length, 1);
  assert.ok(!r.text.includes('0.2002'));
  assert.ok(r.diags.some((d) => d.includes('ended inside a line')));
  assert.equal(r.exit.signal, 'SIGKILL');
});
