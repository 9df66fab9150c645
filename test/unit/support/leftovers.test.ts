import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { reapLeftovers } from '../../support/leftovers.ts';
import { tempDirSync } from '../../support/tempDir.ts';

const support = resolve(__dirname, '../../support');

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

test('what a killed test run left (a process, a folder, a changed setting) is undone by the next run', async () => {
  const dir = tempDirSync('vnflens-leftover-');
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  const setting = join(dir, 'perf_event_paranoid');
  writeFileSync(setting, '2');
  const script = join(dir, 'run.ts');
  writeFileSync(
    script,
    `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { track } from ${JSON.stringify(join(support, 'cleanup.ts'))};
const s = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
s.unref();
writeFileSync(${JSON.stringify(setting)}, '-1');
track('things', () => undefined, [{ kind: 'process', pid: s.pid! }, { kind: 'path', path: ${JSON.stringify(folder)} }, { kind: 'sysctl', path: ${JSON.stringify(setting)}, value: '2' }]);
process.stdout.write(String(s.pid) + '\\n');
setInterval(() => undefined, 1000);
`,
  );
  const run = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const sleeper = await new Promise<number>((r) => run.stdout.once('data', (d: Buffer) => r(Number(d.toString().trim()))));
  assert.ok(alive(sleeper));
  assert.equal(readFileSync(setting, 'utf8'), '-1');
  // A live owner's resources are never touched.
  reapLeftovers();
  assert.ok(alive(sleeper) && existsSync(folder));
  run.kill('SIGKILL');
  await new Promise((r) => run.once('exit', r));
  assert.ok(alive(sleeper), 'kill -9 left the process behind');
  const undone = reapLeftovers();
  assert.ok(undone.includes('things'), undone.join('; '));
  for (let i = 0; i < 50 && alive(sleeper); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(!alive(sleeper), 'the process is ended');
  assert.ok(!existsSync(folder), 'the folder is removed');
  assert.equal(readFileSync(setting, 'utf8'), '2', 'the setting is restored');
});
