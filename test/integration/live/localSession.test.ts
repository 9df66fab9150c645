import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LiveError } from '../../../src/core/host/errors.ts';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { LiveSession } from '../../../src/core/live/session.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { findBinary, missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { perfCounts } from '../../support/pmu.ts';
import { assertIncreasingPerStream, collect, expectNoPerfAttached, sleep, waitFor } from '../../support/live.ts';
import { type Testpmd, startTestpmd } from '../../support/testpmd.ts';

const missing = missingBinaries('perf', 'dpdk-testpmd');
const EVENTS = ['task-clock', 'context-switches', 'page-faults', 'cycles'];

describe('live session on the local host, attached to dpdk-testpmd', { skip: missing }, () => {
  let dir: string;
  let router: Testpmd;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-live-'));
    router = await startTestpmd();
  });

  after(async () => {
    await router?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('intervals arrive with real task-clock values, are recorded as they come, and pause/resume leaves a gap', async () => {
    const out = join(dir, 'local.vnflens');
    const s = new LiveSession({ target: { kind: 'local' }, pids: [router.pid], events: EVENTS, intervalMs: 200, recordTo: out });
    const c = collect(s);
    await s.start();
    assert.equal(s.state, 'running');
    // As this host's perf reports it: without a hardware PMU cycles is dropped with the reason, the software events stay.
    const header = () => JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!.replace(/^#@vnf-lens /, '')) as { meta: { unsupported?: string[] } };
    if (perfCounts('cycles')) {
      assert.deepEqual(s.probe!.events, EVENTS);
      assert.ok(!c.notices.some((n) => n.includes('cycles')), c.notices.join('\n'));
      assert.equal(header().meta.unsupported, undefined);
    } else {
      assert.deepEqual(s.probe!.events, ['task-clock', 'context-switches', 'page-faults']);
      assert.ok(c.notices.some((n) => n.includes('cycles') && n.includes('not supported')), c.notices.join('\n'));
      assert.deepEqual(
        s.probe!.dropped.map((d) => [d.event, d.kind]),
        [['cycles', 'not-supported']],
      );
      // The recording says what perf could not count, so a replay can say it too.
      assert.deepEqual(header().meta.unsupported, ['cycles']);
    }

    await waitFor('3 intervals', () => c.intervals.length >= 3);
    // Each interval is in the file before it is emitted.
    const mid = await readAllIntervals(out);
    assert.ok(mid.length >= c.intervals.length - 1, `recording has ${mid.length}, emitted ${c.intervals.length}`);

    await s.pause();
    assert.equal(s.state, 'paused');
    const atPause = c.intervals.length;
    await sleep(600);
    assert.equal(c.intervals.length, atPause, 'no intervals while paused');
    await s.resume();
    await waitFor('intervals after resume', () => c.intervals.length >= atPause + 3);
    const end = await s.stop();
    assert.equal(end.kind, 'stopped');
    await expectNoPerfAttached(router.pid);

    for (const iv of c.intervals) {
      assert.equal(iv.stream, `pid-${router.pid}`);
      const ms = iv.counters['task-clock'];
      assert.ok(ms !== undefined && ms > 0, `task-clock counted at t=${iv.t}`);
      assert.equal(iv.units['task-clock'], 'msec');
      // One busy-polling worker: at most the interval's length per CPU of the machine.
      assert.ok(ms <= iv.dt * 1000 * 2 * 1.1, `task-clock ${ms} ms in ${iv.dt} s`);
    }
    // The polling worker keeps a core busy: on average well above idle.
    const busy = c.intervals.reduce((a, iv) => a + iv.counters['task-clock']!, 0) / c.intervals.reduce((a, iv) => a + iv.dt * 1000, 0);
    assert.ok(busy > 0.2, `testpmd used ${busy.toFixed(2)} CPUs`);
    assertIncreasingPerStream(c.intervals);
    assert.equal(c.gaps.length, 1);
    assert.equal(c.gaps[0]!.reason, 'paused');

    const recorded = await readAllIntervals(out);
    assert.deepEqual(
      recorded.map((iv) => [iv.stream, iv.t, iv.counters['task-clock']]),
      c.intervals.map((iv) => [iv.stream, iv.t, iv.counters['task-clock']]),
    );
    const text = readFileSync(out, 'utf8');
    assert.match(text, /"gap":\{"stream":"pid-\d+".*"reason":"paused"/);
    assert.match(text, /"end":\{"at":"[^"]+","reason":"stopped"\}/);
    assert.match(text, /"perfCommand":\["[^"]*perf","stat","-x",",","-I","200"/);
  });

  test('several PIDs form one session with a stream each; a process that exits ends only its stream', async () => {
    const { execa } = await loadExeca();
    const other = execa('sleep', ['60'], { reject: false, stdin: 'ignore' });
    const untrack = track(`sleep ${other.pid}`, () => killQuietly(other.pid));
    try {
      const s = new LiveSession({ target: { kind: 'local' }, pids: [router.pid, other.pid!], events: ['task-clock'], intervalMs: 150 });
      const c = collect(s);
      await s.start();
      assert.deepEqual(
        s.streams.map((x) => x.name),
        [`pid-${router.pid}`, `pid-${other.pid}`],
      );
      await waitFor('both streams', () => new Set(c.intervals.map((iv) => iv.stream)).size === 2);
      other.kill('SIGKILL');
      await other;
      await waitFor('the notice that the sleep ended', () => c.notices.some((n) => n.includes(`process ${other.pid} exited`)));
      assert.equal(s.state, 'running');
      const n = c.intervals.filter((iv) => iv.stream === `pid-${router.pid}`).length;
      await waitFor('the router stream to go on', () => c.intervals.filter((iv) => iv.stream === `pid-${router.pid}`).length >= n + 2);
      assert.equal(s.streams.find((x) => x.name === `pid-${other.pid}`)!.ended, `process ${other.pid} exited`);
      const end = await s.stop();
      assert.equal(end.kind, 'stopped');
    } finally {
      killQuietly(other.pid);
      untrack();
    }
  });

  test("perf's stderr is surfaced line by line", async () => {
    // A perf wrapper that talks on stderr, as distribution wrappers and perf warnings do.
    const wrapper = join(dir, 'perf-wrapper');
    writeFileSync(wrapper, `#!/bin/sh\necho "warning: wrapper says hello" >&2\nexec ${findBinary('perf')} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const s = new LiveSession({ target: { kind: 'local', perfPath: wrapper }, pids: [router.pid], events: ['task-clock'], intervalMs: 100 });
    const c = collect(s);
    await s.start();
    await waitFor('stderr line', () => c.stderr.length > 0);
    await s.stop();
    assert.deepEqual(c.stderr[0], { stream: `pid-${router.pid}`, line: 'warning: wrapper says hello' });
  });

  test('a wrong PID, missing perf and unknown events are clear errors, and nothing is recorded', async () => {
    const out = join(dir, 'never.vnflens');
    const noPid = new LiveSession({ target: { kind: 'local' }, pids: [4_000_000], events: ['task-clock'], recordTo: out });
    const ended = collect(noPid);
    await assert.rejects(noPid.start(), (e: LiveError) => e.code === 'no-such-process' && /no process 4000000 on local host/.test(e.message));
    assert.equal(noPid.state, 'ended');
    assert.equal(ended.statuses.at(-1)!.state, 'ended');
    assert.equal(existsSync(out), false);

    const noPerf = new LiveSession({ target: { kind: 'local', perfPath: join(dir, 'no-such-dir/perf') }, pids: [router.pid], events: ['task-clock'] });
    await assert.rejects(noPerf.start(), (e: LiveError) => e.code === 'perf-missing' && /perf is not available on local host/.test(e.message) && /apt install linux-perf/.test(e.message));

    const unknown = new LiveSession({ target: { kind: 'local' }, pids: [router.pid], events: ['no-such-event-xyz'] });
    await assert.rejects(unknown.start(), (e: LiveError) => e.code === 'no-events' && /no-such-event-xyz: perf on local host does not know this event/.test(e.message));
  });

  test('hostile PIDs, events and perf paths are refused before anything runs', async () => {
    const marker = join(dir, 'pwned');
    const cases: { opts: ConstructorParameters<typeof LiveSession>[0]; code: string }[] = [
      { opts: { target: { kind: 'local' }, pids: [router.pid], events: [`task-clock;touch ${marker}`] }, code: 'invalid-spec' },
      { opts: { target: { kind: 'local' }, pids: [router.pid], events: [`$(touch ${marker})`] }, code: 'invalid-spec' },
      { opts: { target: { kind: 'local' }, pids: [router.pid], events: ["task-clock'\n touch " + marker] }, code: 'invalid-spec' },
      { opts: { target: { kind: 'local', perfPath: `perf;touch ${marker}` }, pids: [router.pid], events: ['task-clock'] }, code: 'invalid-target' },
      { opts: { target: { kind: 'local' }, pids: [Number.NaN], events: ['task-clock'] }, code: 'invalid-spec' },
    ];
    for (const { opts, code } of cases) {
      const s = new LiveSession(opts);
      const c = collect(s);
      await assert.rejects(s.start(), (e: LiveError) => e.code === code);
      assert.ok(!c.statuses.some((x) => x.state === 'connecting'), 'refused before connecting');
    }
    assert.equal(existsSync(marker), false);
  });

  test('the router exiting ends the session with that reason', async () => {
    const own = await startTestpmd();
    try {
      const out = join(dir, 'exit.vnflens');
      const s = new LiveSession({ target: { kind: 'local' }, pids: [own.pid], events: ['task-clock'], intervalMs: 100, recordTo: out });
      const c = collect(s);
      await s.start();
      await waitFor('2 intervals', () => c.intervals.length >= 2);
      await own.stop();
      const end = await s.ended;
      assert.equal(end.kind, 'router-exited');
      assert.equal(end.reason, `router exited (process ${own.pid} exited)`);
      assert.equal(s.state, 'ended');
      const recorded = await readAllIntervals(out);
      assert.equal(recorded.length, c.intervals.length);
      assert.match(readFileSync(out, 'utf8'), /"end":\{"at":"[^"]+","reason":"router exited \(process \d+ exited\)"\}/);
      await expectNoPerfAttached(own.pid);
    } finally {
      await own.stop();
    }
  });
});
