import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RevisionEvent } from '../../../src/core/live/revisionLog.ts';
import { openHost } from '../../../src/core/host/openHost.ts';
import { LiveSession } from '../../../src/core/live/session.ts';
import type { Target } from '../../../src/core/host/target.ts';
import type { Interval } from '../../../src/core/perf/interval.ts';
import type { RevisionEndRecord, RevisionRecord } from '../../../src/core/recording/format.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { repoRoot } from '../../support/paths.ts';
import { runCaptured } from '../../support/runCaptured.ts';
import { collect, sleep, waitFor } from '../../support/live.ts';
import { HOSTS, type SshdFixture, startSshd } from '../../support/sshd.ts';
import { type TapRouter, sendPaced, startTapTestpmd, tapLabMissing, tapStats } from '../../support/tapLab.ts';
import { cliArgs } from '../../support/cli.ts';

const missing = tapLabMissing() ?? missingBinaries('perf', 'sshd', 'ssh', 'ssh-keygen');
const INTERVAL_MS = 500;

/** Seconds since boot at which a process started (field 22 of /proc/PID/stat, in clock ticks). */
function startedSinceBoot(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[19]) / 100;
}

/** Seconds one trivial command takes on the target (median of three). */
async function commandRoundTrip(target: Target): Promise<number> {
  const host = await openHost(target);
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await host.run(['true']);
      times.push((performance.now() - t) / 1000);
    }
    return times.sort((a, b) => a - b)[1]!;
  } finally {
    await host.close();
  }
}

function uptime(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

/** What the kernel delivered into both of testpmd's taps (each is a port testpmd receives on). */
function delivered(r: TapRouter): number {
  return tapStats(r.ifaceIn).txPackets + tapStats(r.ifaceOut).txPackets;
}

const rxOf = (ivs: readonly Interval[], rev: number) => ivs.filter((iv) => iv.revision === rev).reduce((a, iv) => a + (iv.packets?.rx ?? 0), 0);

describe('a live session follows dpdk-testpmd (tap lab) across a restart: a new revision, and every packet counted once', { skip: missing }, () => {
  let sshd: SshdFixture;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-restart-'));
    sshd = await startSshd();
  });

  after(async () => {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function restartUnderSession(where: 'local' | 'ssh'): Promise<void> {
    const tag = `${process.pid % 100000}${where === 'local' ? 'l' : 's'}`;
    const same = { prefix: `vnflens-restart-${process.pid}-${where}`, ifaces: [`vrs${tag}a`, `vrs${tag}b`] as [string, string] };
    let router: TapRouter | undefined = await startTapTestpmd(same);
    const target: Target = where === 'local' ? { kind: 'local' } : sshd.target(HOSTS.lab);
    const out = join(dir, `${where}.vnflens`);
    const s = new LiveSession({ target, pids: [router.pid], events: ['task-clock', 'context-switches'], intervalMs: INTERVAL_MS, restartTimeoutMs: 20_000, recordTo: out, gitDir: process.cwd() });
    const c = collect(s);
    const revisions: RevisionEvent[] = [];
    const ends: RevisionEndRecord[] = [];
    const revisionAt: number[] = [];
    s.on('revision', (r) => {
      revisions.push(r);
      revisionAt.push(uptime());
    });
    s.on('revisionEnd', (r) => ends.push(r));
    let lookingSince: number | undefined;
    s.on('notice', (n) => {
      if (n.includes('waiting up to')) lookingSince = uptime();
    });
    try {
      await s.start();
      const k0 = delivered(router);
      await waitFor('first intervals', () => c.intervals.length >= 2);
      await sendPaced(router.ifaceIn, '20000:4');
      await sleep(3 * INTERVAL_MS);
      const k1 = delivered(router);
      const firstPid = router.pid;
      await router.stop();
      router = undefined;
      router = await startTapTestpmd(same);
      const secondPid = router.pid;
      const startedAt = startedSinceBoot(secondPid);
      const explain = (e: Error) => {
        throw new Error(`${e.message}\nnotices:\n${c.notices.join('\n')}\nperf stderr:\n${c.stderr.map((l) => l.line).join('\n')}\nstatuses: ${JSON.stringify(c.statuses)}`);
      };
      await waitFor('revision 2', () => revisions.length === 2, 30_000).catch(explain);
      // From when the new process exists and the session knows the old one is gone (over ssh, learning that takes commands too).
      const attachDelay = revisionAt[1]! - Math.max(startedAt, lookingSince ?? startedAt);
      await waitFor('intervals of revision 2', () => c.intervals.filter((iv) => iv.revision === 2).length >= 2, 20_000).catch(explain);
      await sendPaced(router.ifaceIn, '20000:4');
      await sleep(3 * INTERVAL_MS);
      const k2 = delivered(router);
      const end = await s.stop();
      // A restart is the tuning loop itself: nothing of it is worded as a warning (the router closing its telemetry socket as it exits was one).
      assert.deepEqual(c.warnings, [], `every notice of a clean restart is news, not a warning:\n${c.notices.join('\n')}`);
      assert.equal(end.kind, 'stopped');

      assert.deepEqual(
        revisions.map((r) => [r.n, r.pid]),
        [
          [1, firstPid],
          [2, secondPid],
        ],
      );
      // The router is looked for every half interval; finding it is one command on the host, identifying
      // it one more beside git's; on a loaded host (or over ssh, where each opens a channel) they take their time.
      const rtt = await commandRoundTrip(target);
      const bound = (2 * INTERVAL_MS) / 1000 + 3 * rtt;
      assert.ok(attachDelay <= bound, `revision 2 opened ${attachDelay.toFixed(2)} s after the new process started (bound: two intervals + three commands of ${rtt.toFixed(2)} s)`);
      for (const r of revisions) {
        assert.ok(r.binary?.buildId ?? r.binary?.sha256, `revision ${r.n} identifies its binary: ${JSON.stringify(r.binary)}`);
        assert.match(r.binary?.path ?? '', /\/dpdk-testpmd$/);
        assert.match(r.git?.commit ?? '', /^[0-9a-f]{40}$/);
      }
      assert.equal(revisions[0]!.binary?.buildId, revisions[1]!.binary?.buildId, 'the same binary both times');
      assert.deepEqual(ends.map((e) => [e.n, e.pid]), [
        [1, firstPid],
        [2, secondPid],
      ]);
      assert.ok(c.gaps.some((g) => /router restarted: process \d+ exited, process \d+ started/.test(g.reason)), JSON.stringify(c.gaps));
      const rev1 = rxOf(c.intervals, 1);
      const rev2 = rxOf(c.intervals, 2);
      const delivered1 = k1 - k0;
      // The new taps were created by the new process: everything they ever delivered went to revision 2.
      const delivered2 = k2;
      assert.ok(delivered1 > 10_000 && delivered2 > 10_000, `delivered ${delivered1} and ${delivered2}`);
      assert.equal(rev1, delivered1, 'revision 1 counted what the kernel delivered into its tap');
      assert.equal(rev2, delivered2, 'revision 2 counted what the kernel delivered into the new tap, from its start');
      assert.ok(c.intervals.every((iv) => (iv.packets?.rx ?? 0) >= 0 && (iv.packets?.dropped ?? 0) >= 0), 'no negative counts at the reset');

      // One file: both PIDs with start and end, the gap, and the intervals tagged with their revision.
      const recRevs: RevisionRecord[] = [];
      const recEnds: RevisionEndRecord[] = [];
      const ivs = await readAllIntervals(out, { onRevision: (r) => recRevs.push(r), onRevisionEnd: (r) => recEnds.push(r) });
      assert.deepEqual(recRevs.map((r) => r.pid), [firstPid, secondPid]);
      assert.deepEqual(recEnds.map((r) => r.pid), [firstPid, secondPid]);
      assert.equal(rxOf(ivs, 1), delivered1);
      assert.equal(rxOf(ivs, 2), delivered2);
      for (let i = 1; i < ivs.length; i++) assert.ok(ivs[i]!.t > ivs[i - 1]!.t, 'the stream clock goes on across the restart');
      if (where === 'local') {
        // The same A/B from the command line, on the recording: a verdict on cost per packet.
        const r = await runCaptured(process.execPath, cliArgs(['compare', out, '--rev-a', '1', '--rev-b', '2']), { cwd: repoRoot });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^# Revision 2 against revision 1 \(local\.vnflens \[pid-\d+\]\)\n\n\*\*Revision 2 (is (faster|slower) per packet than|does not differ from) revision 1 .*(CPU-ns|cycles) per packet\)\.\*\*/);
        assert.match(r.stdout, /\| Throughput \(received\) \| [\d.]+ k pkt\/s \[/);
        process.stdout.write(`# ${r.stdout.split('\n')[2]}\n# ${r.stdout.split('\n').find((l) => l.startsWith('Intervals used')) ?? ''}\n`);
      }
      process.stdout.write(`# ${where}: revision 2 attached ${attachDelay.toFixed(2)} s after the new process started (one command ${rtt.toFixed(2)} s); rx ${rev1} + ${rev2} = delivered ${delivered1} + ${delivered2}\n`);
    } finally {
      await s.stop();
      await router?.stop();
    }
  }

  test('locally', () => restartUnderSession('local'));
  test('over ssh (real sshd on 127.0.0.1)', () => restartUnderSession('ssh'));

  test('a router that does not come back within the timeout ends the session with a notice that says so', async () => {
    const router = await startTapTestpmd();
    const s = new LiveSession({ target: { kind: 'local' }, pids: [router.pid], events: ['task-clock'], intervalMs: 200, restartTimeoutMs: 1500, routerCounters: 'off' });
    const c = collect(s);
    try {
      await s.start();
      await waitFor('intervals', () => c.intervals.length >= 2);
      const t0 = Date.now();
      await router.stop();
      const end = await s.ended;
      const waited = Date.now() - t0;
      assert.equal(end.kind, 'router-exited');
      assert.match(end.reason, new RegExp(`process ${router.pid} exited and did not start again within 1.5 s`));
      assert.ok(c.notices.some((n) => n.includes('waiting up to 1.5 s')), c.notices.join('\n'));
      assert.ok(waited >= 1400 && waited < 6000, `ended ${waited} ms after the exit`);
    } finally {
      await s.stop();
      await router.stop();
    }
  });
});
