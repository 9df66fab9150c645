import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { perfCounts } from '../../support/pmu.ts';
import { HOSTS, type SshdFixture, startSshd } from '../../support/sshd.ts';
import { type Testpmd, startTestpmd } from '../../support/testpmd.ts';
import { cliArgs } from '../../support/cli.ts';

const missing = missingBinaries('perf', 'dpdk-testpmd', 'sshd', 'ssh', 'ssh-keygen', 'useradd');
const repo = resolve(__dirname, '../../..');

async function cli(args: string[]) {
  const { execa } = await loadExeca();
  return execa(process.execPath, cliArgs([...args]), { cwd: repo, reject: false, stdin: 'ignore', timeout: 60_000 });
}

describe('vnf-lens ps and record against a real router over a real ssh server', { skip: missing }, () => {
  let sshd: SshdFixture;
  let router: Testpmd;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-cli-'));
    sshd = await startSshd();
    router = await startTestpmd();
  });

  after(async () => {
    await router?.stop();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ps --ssh lists the router first with its kind', async () => {
    const r = await cli(['ps', '--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig]);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^\s*PID\s+USER\s+CPU%\s+THR\s+STARTED\s+ROUTER\s+CONFIG\s+COUNTERS\s+COMMAND$/);
    const at = lines.findIndex((l) => l.trimStart().startsWith(`${router.pid} `));
    assert.match(lines[at]!, new RegExp(`^\\s*${router.pid}\\s+root\\s+.*DPDK testpmd\\s+-\\s+dpdk-telemetry:vnflens-\\S+\\s+/usr/bin/dpdk-testpmd -l 0,1`));
    // Routers come first: no plain process is listed before it.
    assert.ok(lines.slice(1, at).every((l) => / DPDK | FastClick | VPP | Open vSwitch | Snabb | BESS | T4P4S /.test(l)), lines.slice(0, at + 1).join('\n'));

    const json = await cli(['ps', '--local', '--routers', '--format', 'json']);
    assert.equal(json.exitCode, 0, json.stderr);
    const list = JSON.parse(json.stdout) as { pid: number; router?: { kind: string } }[];
    assert.ok(list.some((p) => p.pid === router.pid && p.router?.kind === 'dpdk'));
    assert.ok(list.every((p) => p.router !== undefined));
  });

  test('record --ssh writes a recording that replay reads', async () => {
    const out = join(dir, 'cli.vnflens');
    const r = await cli(['record', '--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig, '--pid', String(router.pid), '--interval', '200', '--events', 'task-clock,cycles', '--duration', '1.5', '--tag', 'traffic=null', '--out', out]);
    assert.equal(r.exitCode, 0, r.stderr);
    if (perfCounts('cycles')) assert.match(r.stderr, /counting 2 events every 200 ms on pid-\d+ into /);
    else {
      assert.match(r.stderr, /note: not counting cycles: perf says <not supported> on this host/);
      assert.match(r.stderr, /counting 1 events every 200 ms on pid-\d+ into /);
    }
    assert.match(r.stderr, /\d+ intervals in .*cli\.vnflens; duration of 1\.5 s reached/);
    assert.match(readFileSync(out, 'utf8'), /"tags":\{"traffic":"null"\}/);

    const replay = await cli(['replay', out, '--format', 'jsonl']);
    assert.equal(replay.exitCode, 0, replay.stderr);
    const ivs = replay.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { stream: string; counters: Record<string, number>; dt: number });
    assert.ok(ivs.length >= 6, `${ivs.length} intervals`);
    for (const iv of ivs) {
      assert.equal(iv.stream, `pid-${router.pid}`);
      assert.ok(iv.counters['task-clock']! > 0);
    }
  });

  test('record with a 30-day --duration records until stopped (setTimeout alone would end it at once)', async () => {
    const out = join(dir, 'long.vnflens');
    const { execa } = await loadExeca();
    const rec = execa(process.execPath, cliArgs(['record', '--local', '--pid', String(router.pid), '--interval', '100', '--events', 'task-clock', '--duration', String(30 * 86_400), '--out', out]), { cwd: repo, reject: false, stdin: 'ignore' });
    let err = '';
    rec.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!/counting 1 events/.test(err) && rec.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(rec.exitCode, null, `still recording 1.5 s later; stderr: ${err}`);
    rec.kill('SIGINT');
    const r = await rec;
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /(\d+) intervals in .*long\.vnflens; stopped by the user/);
    assert.ok(Number(/(\d+) intervals in/.exec(r.stderr)![1]) >= 5, r.stderr);
  });

  test('watch --ssh prints an inference per interval as it arrives', async () => {
    const r = await cli(['watch', '--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig, '--pid', String(router.pid), '--interval', '200', '--duration', '1.2', '--format', 'jsonl', '--brief']);
    assert.equal(r.exitCode, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; stream: string; state: string; loss: string });
    assert.ok(rows.length >= 4, `${rows.length} rows`);
    for (const [i, row] of rows.entries()) {
      assert.equal(row.stream, `pid-${router.pid}`);
      assert.ok(['idle', 'processing', 'unknown'].includes(row.state));
      assert.ok(['lossy', 'clean', 'unknown'].includes(row.loss));
      if (i > 0) assert.ok(row.t > rows[i - 1]!.t);
    }
    assert.match(r.stderr, /intervals; duration of 1\.2 s reached/);
  });

  test('bad options are usage errors, and hostile values never run', async () => {
    const marker = join(dir, 'pwned');
    const cases: [string[], RegExp][] = [
      [['record', '--ssh', `${HOSTS.lab};touch ${marker}`, '--pid', '1', '--out', join(dir, 'a.vnflens')], /ssh destination .* must be an ssh config Host/],
      [['record', '--local', '--pid', `1$(touch ${marker})`, '--out', join(dir, 'b.vnflens')], /PID .* is not a process id/],
      [['record', '--local', '--pid', '1', '--events', `task-clock,'\ntouch ${marker}`, '--out', join(dir, 'c.vnflens')], /event .* contains/],
      [['record', '--local', '--pid', '1'], /--out PATH/],
      [['record', '--local', '--ssh', HOSTS.lab, '--pid', '1', '--out', join(dir, 'd.vnflens')], /either --local or --ssh/],
      [['ps'], /--local, or --ssh/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(existsSync(marker), false);
  });

  test('record of a wrong PID over ssh fails with the reason and writes nothing', async () => {
    const out = join(dir, 'none.vnflens');
    const r = await cli(['record', '--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig, '--pid', '4000000', '--out', out]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /vnf-lens: error: no process 4000000 on vnflens-lab/);
    assert.equal(existsSync(out), false);
  });
});
