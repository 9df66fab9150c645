import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reapStaleControlDirs } from '../../../src/core/host/controlDir.ts';
import { tempDirSync } from '../../support/tempDir.ts';

test('control folders of owners that are gone are removed; those of a live owner stay', () => {
  const base = tempDirSync('vnflens-reap-');
  const dead = spawnSync('true').pid;
  const stale = join(base, 'vnf-lens-ssh-stale');
  const noOwner = join(base, 'vnf-lens-ssh-noowner');
  const live = join(base, 'vnf-lens-ssh-live');
  const reused = join(base, 'vnf-lens-ssh-reused');
  const other = join(base, 'not-ours');
  for (const d of [stale, noOwner, live, reused, other]) mkdirSync(d);
  writeFileSync(join(stale, 'owner'), String(dead));
  writeFileSync(join(stale, 'cm'), '');
  // A master PID that is not an ssh master of this folder is never signalled.
  writeFileSync(join(stale, 'master'), String(process.pid));
  const stat = spawnSync('cat', [`/proc/${process.pid}/stat`], { encoding: 'utf8' }).stdout;
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  writeFileSync(join(live, 'owner'), `${process.pid} ${start}`);
  // Our PID with another start time: the PID was reused, the owner is gone.
  writeFileSync(join(reused, 'owner'), `${process.pid} 1`);
  writeFileSync(join(other, 'owner'), String(dead));
  const removed = reapStaleControlDirs(base).sort();
  assert.deepEqual(removed, [noOwner, reused, stale].sort());
  assert.ok(existsSync(live) && existsSync(other));
});
