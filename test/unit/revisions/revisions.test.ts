import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { openHost } from '../../../src/core/host/openHost.ts';
import { RevisionLog } from '../../../src/core/live/revisionLog.ts';
import { elfBuildId } from '../../../src/core/revisions/elfBuildId.ts';
import { gitCommit, identifyRevision } from '../../../src/core/revisions/identify.ts';
import { findBinary } from '../../support/binaries.ts';
import { killQuietly, track } from '../../support/cleanup.ts';
import { repoRoot } from '../../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'vnflens-rev-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function buildIdOf(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    return elfBuildId((offset, length) => {
      const b = Buffer.alloc(length);
      return b.subarray(0, readSync(fd, b, 0, length, offset));
    });
  } finally {
    closeSync(fd);
  }
}

describe('revisions: what identifies a router process', () => {
  it('reads the GNU build-id from the ELF notes as readelf -n prints it', async (t) => {
    const readelf = findBinary('readelf');
    if (!readelf) return t.skip('needs readelf (binutils) to check against');
    const { execa } = await loadExeca();
    const bins = ['dpdk-testpmd', 'perf', 'sh', 'ls'].map((b) => findBinary(b)).filter((b): b is string => b !== undefined);
    assert.ok(bins.length >= 2, bins.join(', '));
    for (const bin of [...bins, process.execPath]) {
      const r: { stdout: unknown } = await execa(readelf, ['-n', bin], { reject: false });
      const expected: string | undefined = /Build ID:\s*([0-9a-f]+)/.exec(String(r.stdout))?.[1];
      assert.equal(buildIdOf(bin), expected, bin);
    }
    const text = join(dir, 'not-elf');
    writeFileSync(text, '#!/bin/sh\necho hi\n'.repeat(20));
    assert.equal(buildIdOf(text), undefined);
  });

  it('hashes the config files as the process sees them (relative to its working folder), and names the binary and the git commit', async () => {
    writeFileSync(join(dir, 'router.click'), 'FromDPDKDevice(0) -> ToDPDKDevice(1);\n');
    const { execa } = await loadExeca();
    const p = execa('sleep', ['30'], { cwd: dir, reject: false, stdin: 'ignore' });
    const untrack = track(`sleep ${p.pid}`, () => killQuietly(p.pid));
    const host = await openHost({ kind: 'local' });
    try {
      const { identity, configTexts } = await identifyRevision(host, p.pid!, ['sleep', '30'], ['router.click', 'missing.click'], repoRoot);
      const text = readFileSync(join(dir, 'router.click'), 'utf8');
      assert.deepEqual(identity.configs![0], { path: 'router.click', sha256: createHash('sha256').update(text).digest('hex'), bytes: text.length });
      assert.equal(identity.configs![1]!.path, 'missing.click');
      assert.match(identity.configs![1]!.error ?? '', /cannot read missing\.click on local/);
      assert.equal(configTexts.get('router.click'), text);
      const sleep = findBinary('sleep')!;
      assert.equal(identity.binary?.path, (await execa('readlink', ['-f', sleep])).stdout);
      assert.equal(identity.binary?.buildId ?? identity.binary?.sha256, buildIdOf(identity.binary!.path) ?? createHash('sha256').update(readFileSync(identity.binary!.path)).digest('hex'));
      const head = String((await execa('git', ['-C', repoRoot, 'rev-parse', 'HEAD'])).stdout).trim();
      assert.equal(identity.git?.commit, head);
      assert.equal(await gitCommit(dir), undefined, 'outside a work tree there is no commit');
    } finally {
      await host.close();
      p.kill('SIGKILL');
      await p;
      untrack();
    }
  });

  it('numbers the revisions of each stream and gives every PID a start and an end', () => {
    const log = new RevisionLog();
    const p = (configs: string) => ({ identity: { host: 'l', argv: ['r'], exe: 'r', configFiles: [] }, revision: { identity: { cmdline: 'r', configs: [{ path: 'c', sha256: configs }] }, configTexts: new Map([['c', configs]]) } });
    const r1 = log.begin('pid-1', 1, 0, p('a'));
    log.saw('pid-1', 4.5);
    const r1b = log.begin('pid-7', 7, 0, p('x'));
    const e1 = log.end('pid-1', 'process 1 exited');
    const r2 = log.begin('pid-1', 9, 5.25, p('b'));
    log.saw('pid-1', 9);
    const e2 = log.end('pid-1', 'stopped');
    assert.deepEqual([r1.n, r1b.n, r2.n], [1, 1, 2]);
    assert.deepEqual(r2.configTexts, { c: 'b' });
    assert.deepEqual([e1!.pid, e1!.n, e1!.t, e2!.pid, e2!.n, e2!.t], [1, 1, 4.5, 9, 2, 9]);
    assert.equal(log.end('pid-1', 'again'), undefined, 'an ended revision does not end twice');
    assert.deepEqual(
      log.all.map((r) => [r.stream, r.n, r.pid, r.t, r.end?.reason]),
      [
        ['pid-1', 1, 1, 0, 'process 1 exited'],
        ['pid-7', 1, 7, 0, undefined],
        ['pid-1', 2, 9, 5.25, 'stopped'],
      ],
    );
  });
});
