import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LiveError } from '../../../src/core/host/errors.ts';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { openHost } from '../../../src/core/host/openHost.ts';
import { probePerf } from '../../../src/core/live/probe.ts';
import { listProcesses } from '../../../src/core/host/processes.ts';
import { LiveSession } from '../../../src/core/live/session.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { assertIncreasingPerStream, collect, expectNoPerfAttached, sleep, waitFor } from '../../support/live.ts';
import { HOST_CHANGES_SKIP, hostChangesAllowed } from '../../support/hostChanges.ts';
import { withParanoid } from '../../support/paranoid.ts';
import { HOSTS, type SshdFixture, TEST_USER, startSshd, userIds } from '../../support/sshd.ts';
import { type Testpmd, startTestpmd } from '../../support/testpmd.ts';

const missing = missingBinaries('perf', 'dpdk-testpmd', 'sshd', 'ssh', 'ssh-keygen', 'useradd');

describe('live sessions over ssh (real sshd on 127.0.0.1, real perf, real dpdk-testpmd)', { skip: missing }, () => {
  let sshd: SshdFixture;
  let router: Testpmd;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-ssh-'));
    sshd = await startSshd();
    router = await startTestpmd();
  });

  after(async () => {
    await router?.stop();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ps over ssh lists the router first and recognises it', async () => {
    const list = await listProcesses(sshd.target(HOSTS.lab));
    const at = list.findIndex((p) => p.pid === router.pid);
    const firstOther = list.findIndex((p) => p.router === undefined);
    assert.ok(at >= 0 && at < firstOther, `testpmd at ${at}, first non-router at ${firstOther}`);
    assert.ok(list.slice(0, firstOther).every((p) => p.router !== undefined));
    const first = list[at]!;
    assert.equal(first.pid, router.pid);
    assert.equal(first.router?.kind, 'dpdk');
    assert.equal(first.router?.name, 'DPDK testpmd');
    assert.equal(first.user, 'root');
    assert.ok(first.threads >= 2, `testpmd has ${first.threads} threads`);
    assert.equal(first.argv[0], '/usr/bin/dpdk-testpmd');
    assert.ok(first.argv.includes('--forward-mode=io'));
    assert.ok(list.some((p) => p.commandLine.includes('sshd')), 'other processes are listed too');
  });

  test('attach over ssh: intervals with real task-clock, recorded as they arrive, one connection for every command', async () => {
    const out = join(dir, 'ssh.vnflens');
    const s = new LiveSession({ target: sshd.target(HOSTS.lab), pids: [router.pid], events: ['task-clock', 'context-switches'], intervalMs: 200, recordTo: out });
    const c = collect(s);
    const logStart = sshd.log().length;
    await s.start();
    assert.deepEqual(
      c.statuses.map((x) => x.state),
      ['connecting', 'probing', 'running'],
    );
    assert.match(s.probe!.perfVersion, /^\d+\.\d+/);
    await waitFor('4 intervals', () => c.intervals.length >= 4);
    const end = await s.stop();
    assert.equal(end.kind, 'stopped');
    for (const iv of c.intervals) assert.ok(iv.counters['task-clock']! > 0, `task-clock at ${iv.t}`);
    // The last interval is the part perf counted until it was stopped.
    for (const iv of c.intervals.slice(0, -1)) assert.ok(iv.dt > 0.15 && iv.dt < 0.3, `dt ${iv.dt}`);
    assert.ok(c.intervals.at(-1)!.dt <= 0.3);
    const recorded = await readAllIntervals(out);
    assert.deepEqual(
      recorded.map((iv) => [iv.t, iv.counters['task-clock']]),
      c.intervals.map((iv) => [iv.t, iv.counters['task-clock']]),
    );
    assert.match(readFileSync(out, 'utf8'), /"host":"vnflens-lab"/);
    // ControlMaster: the probe, perf and the liveness checks all went over one login.
    const logins = sshd.log().slice(logStart).match(/Accepted publickey/g) ?? [];
    assert.equal(logins.length, 1, sshd.log().slice(logStart));
    await expectNoPerfAttached(router.pid);
  });

  test('sshd killed mid-session: the session reconnects with backoff, marks the gap and loses nothing it received', async () => {
    const out = join(dir, 'reconnect.vnflens');
    const s = new LiveSession({ target: sshd.target(HOSTS.lab), pids: [router.pid], events: ['task-clock'], intervalMs: 200, recordTo: out, reconnect: { initialDelayMs: 200, maxDelayMs: 1000 } });
    const c = collect(s);
    await s.start();
    await waitFor('3 intervals', () => c.intervals.length >= 3);
    sshd.crash();
    await waitFor('reconnecting', () => s.state === 'reconnecting');
    const before = c.intervals.length;
    await sleep(800);
    assert.ok(c.statuses.filter((x) => x.state === 'reconnecting' && x.attempt !== undefined).length >= 2, 'retried while sshd was down');
    await sshd.restart();
    await waitFor('running again', () => s.state === 'running', 20_000);
    await waitFor('intervals after the reconnect', () => c.intervals.length >= before + 3);
    const end = await s.stop();
    assert.equal(end.kind, 'stopped');

    assert.equal(c.gaps.length, 1);
    assert.equal(c.gaps[0]!.stream, `pid-${router.pid}`);
    assert.match(c.gaps[0]!.reason, /connection to vnflens-lab lost.*reconnected/);
    assert.ok(Date.parse(c.gaps[0]!.to) > Date.parse(c.gaps[0]!.from));
    assertIncreasingPerStream(c.intervals);
    // Every interval received before and after the drop is in the recording, in order.
    const recorded = await readAllIntervals(out);
    assert.deepEqual(
      recorded.map((iv) => [iv.t, iv.counters['task-clock']]),
      c.intervals.map((iv) => [iv.t, iv.counters['task-clock']]),
    );
    const text = readFileSync(out, 'utf8');
    const gapAt = text.indexOf('"gap":');
    assert.ok(gapAt > 0 && gapAt < text.indexOf('"end":'));
    await expectNoPerfAttached(router.pid);
  });

  test('the router exiting ends an ssh session cleanly', async () => {
    const own = await startTestpmd();
    try {
      const s = new LiveSession({ target: sshd.target(HOSTS.lab), pids: [own.pid], events: ['task-clock'], intervalMs: 100 });
      const c = collect(s);
      await s.start();
      await waitFor('2 intervals', () => c.intervals.length >= 2);
      await own.stop();
      const end = await s.ended;
      assert.equal(end.kind, 'router-exited');
      assert.equal(end.reason, `router exited (process ${own.pid} exited)`);
    } finally {
      await own.stop();
    }
  });

  test('unknown host, unknown host key, refused key and a wrong PID are clear errors', async () => {
    const start = (target: ReturnType<SshdFixture['target']>, pid = router.pid) => new LiveSession({ target, pids: [pid], events: ['task-clock'] }).start();
    await assert.rejects(start(sshd.target('no-such-host.invalid')), (e: LiveError) => e.code === 'unknown-host' && /cannot resolve host no-such-host\.invalid: it is not a Host in .*ssh_config/.test(e.message));
    await assert.rejects(start(sshd.target(HOSTS.unknownKey)), (e: LiveError) => e.code === 'host-key' && /not in known_hosts; connect once with 'ssh vnflens-unknownkey'/.test(e.message));
    await assert.rejects(start(sshd.target(HOSTS.stranger)), (e: LiveError) => e.code === 'auth' && /refused the login/.test(e.message) && /never asks for or stores passwords/.test(e.message) && /ssh-copy-id vnflens-stranger/.test(e.message));
    await assert.rejects(start(sshd.target(HOSTS.lab), 4_000_000), (e: LiveError) => e.code === 'no-such-process' && /no process 4000000 on vnflens-lab/.test(e.message));
  });

  test('perf missing from the remote PATH is a clear error', { skip: hostChangesAllowed() ? false : HOST_CHANGES_SKIP }, async () => {
    const s = new LiveSession({ target: sshd.target(HOSTS.noPerf), pids: [router.pid], events: ['task-clock'] });
    await assert.rejects(s.start(), (e: LiveError) => e.code === 'perf-missing' && /perf is not available on vnflens-noperf \(no perf in PATH=.*bin-without-perf\)/.test(e.message) && /--perf PATH/.test(e.message));
  });

  test('perf refused by perf_event_paranoid, and by process ownership, for an unprivileged user', { skip: hostChangesAllowed() ? false : HOST_CHANGES_SKIP }, async () => {
    const { execa } = await loadExeca();
    const { uid, gid } = await userIds(TEST_USER);
    // A process of the test user, so only the paranoid setting stands in the way.
    const own = execa('sleep', ['60'], { uid, gid, reject: false, stdin: 'ignore' });
    const untrack = track(`sleep ${own.pid}`, () => killQuietly(own.pid));
    try {
      const target = sshd.target(HOSTS.user);
      await withParanoid(2, async () => {
        // Kernel-mode counting is what level 2 forbids to unprivileged users.
        const refused = new LiveSession({ target, pids: [own.pid!], events: ['task-clock:k'] });
        await assert.rejects(refused.start(), (e: LiveError) => e.code === 'perf-refused' && /perf_event_paranoid is 2/.test(e.message) && /sysctl kernel\.perf_event_paranoid=1/.test(e.message));

        // With an allowed event beside it, the refused one is dropped with the reason and counting goes on.
        const partly = new LiveSession({ target, pids: [own.pid!], events: ['task-clock', 'task-clock:k'], intervalMs: 100 });
        const c = collect(partly);
        await partly.start();
        assert.deepEqual(partly.probe!.events, ['task-clock']);
        assert.ok(c.notices.some((n) => n.startsWith('not counting task-clock:k') && n.includes('perf_event_paranoid is 2')), c.notices.join('\n'));
        assert.ok(c.notices.some((n) => n.includes('task-clock count user space only')), c.notices.join('\n'));
        await waitFor('intervals', () => c.intervals.length >= 2);
        await partly.stop();

        // Another user's process (testpmd runs as root) is refused whatever the events.
        const other = new LiveSession({ target, pids: [router.pid], events: ['task-clock'] });
        await assert.rejects(other.start(), (e: LiveError) => e.code === 'perf-refused' && /belongs to root and perf runs as vnflens-it/.test(e.message));
      });
      // The same request passes once the setting allows kernel counting: the refusal was the setting's.
      await withParanoid(1, async () => {
        const probe = await probePerf(target, ['task-clock:k'], { attach: [{ pid: own.pid! }] });
        assert.deepEqual(probe.events, ['task-clock:k']);
        assert.equal(probe.paranoid, 1);
        assert.equal(probe.user, TEST_USER);
      });
    } finally {
      own.kill('SIGKILL');
      await own;
      untrack();
    }
  });

  test('hostile strings reach the remote program as plain arguments and never execute', async () => {
    const marker = join(sshd.dir, 'pwned');
    const hostile = [
      `; touch ${marker}`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `' ; touch ${marker} ; '`,
      `" ; touch ${marker} ; "`,
      `x\ntouch ${marker}\n`,
      `| touch ${marker} &`,
      '$HOME ~ * ? [a] {b,c} \\ %C %h',
      '-n',
      '',
    ];
    const host = await openHost(sshd.target(HOSTS.lab));
    try {
      const r = await host.run(['printf', '[%s]\\n', ...hostile]);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, hostile.map((h) => `[${h}]\n`).join(''));
    } finally {
      await host.close();
    }
    // Through the session's own checks: refused before any connection is made.
    for (const bad of [{ pids: [Number('1;2')] }, { events: [`task-clock;touch ${marker}`] }, { events: [`$(touch ${marker})`] }]) {
      const s = new LiveSession({ target: sshd.target(HOSTS.lab), pids: [router.pid], events: ['task-clock'], ...bad });
      await assert.rejects(s.start(), (e: LiveError) => e.code === 'invalid-spec');
    }
    await assert.rejects(new LiveSession({ target: sshd.target(`vnflens-lab;touch ${marker}`), pids: [router.pid] }).start(), (e: LiveError) => e.code === 'invalid-target');
    await assert.rejects(new LiveSession({ target: sshd.target('-oProxyCommand=touch'), pids: [router.pid] }).start(), (e: LiveError) => e.code === 'invalid-target');
    assert.equal(existsSync(marker), false);
  });
});
