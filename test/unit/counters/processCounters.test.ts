import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { listProcessesWithCounters } from '../../../src/core/counters/processCounters.ts';
import { listProcesses } from '../../../src/core/host/processes.ts';

test('routers are labelled with the counters their command line offers; the host floor alone labels none', async (t) => {
  const router = spawn('sh', ['-c', 'sleep 30; exit 0', 'x', '-p', '7777', 'bridge.click'], { argv0: 'click', stdio: 'ignore' });
  const other = spawn('sh', ['-c', 'sleep 30; exit 0', 'x', '-p', '7777'], { stdio: 'ignore' });
  t.after(() => {
    router.kill('SIGKILL');
    other.kill('SIGKILL');
  });
  await new Promise((r) => setTimeout(r, 100));
  const labelled = await listProcessesWithCounters({ kind: 'local' });
  const r = labelled.find((p) => p.pid === router.pid);
  assert.equal(r?.router?.kind, 'fastclick');
  assert.equal(r?.counters, 'click:tcp:127.0.0.1:7777');
  assert.equal(labelled.find((p) => p.pid === other.pid)?.counters, undefined, 'a process that is no router has no counters');
  const plain = await listProcesses({ kind: 'local' });
  assert.equal(plain.find((p) => p.pid === router.pid)?.counters, undefined);
});
