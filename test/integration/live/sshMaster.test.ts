import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { sleep, waitFor } from '../../support/live.ts';
import { HOSTS, type SshdFixture, startSshd } from '../../support/sshd.ts';
import { cliArgs } from '../../support/cli.ts';

const missing = missingBinaries('perf', 'sshd', 'ssh', 'ssh-keygen', 'useradd');
const repo = resolve(__dirname, '../../..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** Processes whose parent is `ppid`, with their argv. */
function children(ppid: number): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== ppid) continue;
      out.push({ pid: Number(name), argv: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone
    }
  }
  return out;
}

describe('the ssh master connection never outlives vnf-lens', { skip: missing }, () => {
  let sshd: SshdFixture;
  let dir: string;
  let target: ReturnType<typeof spawn>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vnflens-master-'));
    sshd = await startSshd();
    target = spawn('sleep', ['600'], { stdio: 'ignore' });
    track('sleep target', () => killQuietly(target.pid));
  });

  after(async () => {
    killQuietly(target?.pid);
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `record --ssh` and waits until it counts; returns it with its ssh master and the master's control folder. */
  async function recordOverSsh(out: string) {
    const { execa } = await loadExeca();
    const rec = execa(process.execPath, cliArgs(['record', '--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig, '--pid', String(target.pid), '--interval', '200', '--events', 'task-clock', '--duration', '600', '--out', out]), { cwd: repo, reject: false, stdin: 'ignore' });
    track('record', () => killQuietly(rec.pid));
    let err = '';
    rec.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor('record counting', () => /counting 1 events/.test(err), 60_000);
    const master = children(rec.pid!).find((c) => c.argv.includes('ControlMaster=yes'));
    assert.ok(master, `an ssh master under record (stderr: ${err})`);
    const controlPath = master.argv.find((a) => a.startsWith('ControlPath='))!.slice('ControlPath='.length);
    return { rec, master: master.pid, controlDir: dirname(controlPath), controlPath };
  }

  test('kill -9 of record --ssh: the watchdog ends the master and removes its socket', async () => {
    const { rec, master, controlDir, controlPath } = await recordOverSsh(join(dir, 'killed.vnflens'));
    assert.ok(existsSync(controlPath));
    rec.kill('SIGKILL');
    await rec;
    await waitFor('master gone', () => !alive(master), 10_000);
    await waitFor('control folder removed', () => !existsSync(controlDir), 10_000);
    assert.ok(readFileSync(join(dir, 'killed.vnflens'), 'utf8').includes('task-clock'), 'what was recorded stays');
  });

  test('a master left by a crash of both vnf-lens and its watchdog is ended at the next start', async () => {
    const { rec, master, controlDir } = await recordOverSsh(join(dir, 'crash.vnflens'));
    // The watchdog: a detached shell whose arguments name this master's folder.
    const dogs = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .filter((n) => {
        try {
          return readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0').includes(controlDir);
        } catch {
          return false;
        }
      });
    assert.ok(dogs.length >= 1, 'a watchdog runs');
    for (const d of dogs) killQuietly(Number(d));
    rec.kill('SIGKILL');
    await rec;
    await sleep(1500);
    assert.ok(alive(master), 'without its watchdog the master is left running');
    assert.ok(existsSync(controlDir));
    const ps = await (await loadExeca()).execa(process.execPath, cliArgs(['ps', '--ssh', HOSTS.lab, '--ssh-config', sshd.clientConfig, '--routers']), { cwd: repo, reject: false, stdin: 'ignore' });
    assert.equal(ps.exitCode, 0, ps.stderr);
    await waitFor('stale master ended', () => !alive(master), 10_000);
    assert.ok(!existsSync(controlDir), 'its folder and socket are removed');
  });
});
