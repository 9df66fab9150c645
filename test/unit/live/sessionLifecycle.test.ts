import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { isLiveError } from '../../../src/core/host/errors.ts';
import { type LiveSessionOptions, LiveSession } from '../../../src/core/live/session.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import { FAKE_TARGET, FakeHost, type FakeHostOptions } from '../../support/fakeHost.ts';

/**
 * The live session's lifecycle through its public API (as the CLI and the editor use
 * it), on a fake host whose processes and perf runs the test scripts, and a mock clock
 * (setTimeout and Date): restart waits and timeouts pass when the test says so.
 */
const ROUTER = ['/usr/bin/dpdk-testpmd', '--file-prefix', 'lab', '--', '--forward-mode=io'];
const EVENTS = ['task-clock', 'context-switches'];

/** Lets every promise chain the last step started run to its end (setImmediate is not mocked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Moves the mock clock on by `ms`, in steps, letting the session act between them. */
async function advance(ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    mock.timers.tick(Math.min(step, ms - done));
    await settle();
  }
}

interface Seen {
  intervals: Interval[];
  notices: string[];
  states: string[];
}

function watch(s: LiveSession): Seen {
  const seen: Seen = { intervals: [], notices: [], states: [] };
  s.on('interval', (iv) => seen.intervals.push(iv));
  s.on('notice', (n) => seen.notices.push(n));
  s.on('status', (st) => seen.states.push(st.state));
  return seen;
}

function session(host: FakeHost, more: Partial<LiveSessionOptions> = {}): LiveSession {
  return new LiveSession({ target: FAKE_TARGET, host, pids: [4242], events: EVENTS, intervalMs: 1000, routerCounters: 'off', stopGraceMs: 500, ...more });
}

function hostWithRouter(o: FakeHostOptions = {}): FakeHost {
  const host = new FakeHost(o);
  host.procs.set(4242, { argv: ROUTER, alive: true });
  return host;
}

describe('a live session on a fake host and clock', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.UTC(2026, 0, 1) }));
  afterEach(() => mock.timers.reset());

  test('start, intervals, the router restarts and is followed, then is gone: the restart timeout ends the session', async () => {
    const host = hostWithRouter();
    const s = session(host, { restartTimeoutMs: 2000 });
    const seen = watch(s);
    const revisions: [number, number][] = [];
    s.on('revision', (r) => revisions.push([r.n, r.pid]));
    await s.start();
    assert.equal(s.state, 'running');
    assert.deepEqual(seen.states, ['connecting', 'probing', 'running']);
    const first = host.perfFor(4242);
    assert.deepEqual(first.events, EVENTS);
    first.interval(1);
    first.interval(2);
    await settle();
    assert.deepEqual(seen.intervals.map((iv) => iv.t), [1, 2]);
    assert.equal(seen.intervals[0]!.counters['task-clock'], 1000);

    // The router exits; perf ends with it. A process with the same command line comes up half a second later.
    host.procs.get(4242)!.alive = false;
    first.exit(0);
    await settle();
    assert.ok(seen.notices.some((n) => /process 4242 exited: waiting up to 2 s for dpdk-testpmd to start again on root@fake-lab/.test(n)), seen.notices.join(' | '));
    assert.equal(s.state, 'running', 'a followed router that exits does not end the session');
    host.procs.set(4300, { argv: ROUTER, alive: true });
    await advance(600);
    assert.ok(seen.notices.some((n) => /restarted as process 4300; revision 2/.test(n)), seen.notices.join(' | '));
    assert.deepEqual(revisions, [
      [1, 4242],
      [2, 4300],
    ]);
    const second = host.perfFor(4300);
    second.interval(1);
    await settle();
    assert.equal(seen.intervals.length, 3);
    assert.equal(seen.intervals[2]!.revision, 2);
    assert.ok(seen.intervals[2]!.t >= 1, `the stream's clock goes on: t ${seen.intervals[2]!.t}`);

    // Gone for good: no process comes back within the timeout.
    host.procs.get(4300)!.alive = false;
    second.exit(0);
    await settle();
    assert.ok(seen.notices.some((n) => /process 4300 exited: waiting up to 2 s/.test(n)));
    await advance(1500);
    assert.equal(s.state, 'running', 'still waiting before the timeout');
    await advance(700);
    const end = await s.ended;
    assert.equal(end.kind, 'router-exited');
    assert.match(end.reason, /process 4300 exited and did not start again within 2 s/);
    assert.equal(s.state, 'ended');
    assert.equal((await s.stop()).kind, 'router-exited', 'stop after the end says how it ended');
    assert.equal(host.closed, false, 'a host the caller gave stays open');
  });

  test('stop: perf is interrupted, prints its last interval, and the session ends stopped; the duration ends one by itself', async () => {
    const host = hostWithRouter();
    const s = session(host);
    const seen = watch(s);
    await s.start();
    host.perfFor(4242).interval(1);
    const end = await s.stop();
    assert.equal(end.kind, 'stopped');
    assert.deepEqual(host.perfs[0]!.signals, ['SIGINT']);
    assert.deepEqual(seen.intervals.map((iv) => iv.t), [1, 1.5], 'the interval perf printed on SIGINT is delivered');

    const timed = session(hostWithRouter(), { durationMs: 5000 });
    await timed.start();
    await advance(4900, 1000);
    assert.equal(timed.state, 'running');
    await advance(200);
    assert.equal((await timed.ended).kind, 'duration');
  });

  test('stopped while starting: the start fails as cancelled, no perf runs, the session ends stopped', async () => {
    let release!: () => void;
    const host = hostWithRouter({ envGate: new Promise<void>((r) => (release = r)) });
    const s = session(host);
    const starting = s.start();
    await settle();
    assert.equal(s.state, 'probing');
    const stopped = s.stop();
    release();
    await assert.rejects(starting, (e: unknown) => isLiveError(e, 'cancelled'));
    assert.equal((await stopped).kind, 'stopped');
    assert.equal(host.perfs.length, 0, 'no perf was started');
  });

  test('perf stops while the router runs: the session ends as perf-failed and says what perf said', async () => {
    const host = hostWithRouter();
    const s = session(host);
    await s.start();
    const perf = host.perfFor(4242);
    perf.interval(1);
    perf.stderr('perf: failed to read counter task-clock\n');
    perf.exit(1);
    const end = await s.ended;
    assert.equal(end.kind, 'perf-failed');
    assert.match(end.reason, /perf for process 4242 on root@fake-lab stopped unexpectedly \(exit 1\): perf: failed to read counter task-clock/);
  });

  test('a vanished PID: not there at the start is an error naming it; gone later without following ends the session', async () => {
    const host = new FakeHost();
    const s = session(host);
    await assert.rejects(s.start(), (e: unknown) => isLiveError(e, 'no-such-process') && /no process 4242 on root@fake-lab: it is not running/.test(e.message));
    assert.equal((await s.ended).kind, 'error');
    assert.equal(host.perfs.length, 0);

    const later = hostWithRouter();
    const t = session(later);
    await t.start();
    later.procs.get(4242)!.alive = false;
    later.perfFor(4242).exit(0);
    const end = await t.ended;
    assert.equal(end.kind, 'router-exited');
    assert.match(end.reason, /router exited \(process 4242 exited\)/);
  });

  test('perf refused by perf_event_paranoid: the start fails naming the setting and how to lower it', async () => {
    const host = hostWithRouter({ uid: 1000, user: 'lab', paranoid: 3 });
    host.procs.get(4242)!.user = 'lab';
    const s = session(host);
    await assert.rejects(s.start(), (e: unknown) => {
      assert.ok(isLiveError(e, 'perf-refused'), String(e));
      assert.match(e.message, /perf on root@fake-lab was refused .* perf_event_paranoid is 3/);
      assert.match(e.message, /sysctl kernel\.perf_event_paranoid=1/);
      return true;
    });
    assert.equal((await s.ended).kind, 'error');
    assert.equal(host.perfs.length, 0);
  });
});
