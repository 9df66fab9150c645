import assert from 'node:assert/strict';
import { copyFileSync, existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../support/cli.ts';
import { tempDirSync } from '../../support/tempDir.ts';

const root = resolve(__dirname, '../../..');
const onOff = resolve(root, '../shared/datasets/itc21/on-off');

const cli = runCli;

function workDir(): string {
  const dir = tempDirSync('vnflens-out-');
  copyFileSync(join(onOff, 'fastclick.csv'), join(dir, 'a.csv'));
  copyFileSync(join(onOff, 'vpp.csv'), join(dir, 'b.csv'));
  return dir;
}

test('compare --out never overwrites an input, and replaces an existing file only with --force', async () => {
  const dir = workDir();
  const a = join(dir, 'a.csv');
  const b = join(dir, 'b.csv');
  const before = readFileSync(a, 'utf8');
  const runs = ['--run-a', '5000-64', '--run-b', '5000-64'];
  for (const out of [a, join(dir, '.', 'a.csv')]) {
    const r = await cli(['compare', a, b, ...runs, '--out', out, '--force']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /report .*a\.csv is also an input/);
  }
  linkSync(b, join(dir, 'hardlink.csv'));
  const viaLink = await cli(['compare', a, b, ...runs, '--out', join(dir, 'hardlink.csv'), '--force']);
  assert.match(viaLink.stderr, /is also an input/, 'the same file under another name');
  assert.equal(readFileSync(a, 'utf8'), before);

  const report = join(dir, 'report.md');
  writeFileSync(report, 'keep me');
  const refused = await cli(['compare', a, b, ...runs, '--out', report]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /report\.md already exists; add --force to replace it/);
  assert.equal(readFileSync(report, 'utf8'), 'keep me');
  const forced = await cli(['compare', a, b, ...runs, '--out', report, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(report, 'utf8'), /^# A\/B comparison/);

  const noFolder = await cli(['compare', a, b, ...runs, '--out', join(dir, 'missing', 'r.md')]);
  assert.match(noFolder.stderr, /cannot write the report .*: the folder does not exist/);
});

test('calibrate --out never overwrites its manifest or a recording it names, and asks for --force', async () => {
  const dir = workDir();
  const manifest = join(dir, 'manifest.csv');
  const text = 'file,from,to,state,loss,scenario\na.csv#500-64,20.5,,,,a\nb.csv#5000-64,20.5,,,,b\n';
  writeFileSync(manifest, text);
  const a = readFileSync(join(dir, 'a.csv'), 'utf8');
  for (const out of [manifest, join(dir, 'a.csv')]) {
    const r = await cli(['calibrate', '--manifest', manifest, '--out', out, '--force']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /model .* is also an input/);
  }
  assert.equal(readFileSync(manifest, 'utf8'), text);
  assert.equal(readFileSync(join(dir, 'a.csv'), 'utf8'), a);
  const model = join(dir, 'model.json');
  writeFileSync(model, '{}');
  const refused = await cli(['calibrate', '--manifest', manifest, '--out', model]);
  assert.match(refused.stderr, /model\.json already exists; add --force/);
  assert.equal(readFileSync(model, 'utf8'), '{}');
});

test('record names a missing or read-only folder before it looks for perf or the router', async () => {
  for (const out of ['/nonexistent-folder/x.vnflens', '/proc/x.vnflens']) {
    const r = await cli(['record', '--local', '--pid', String(process.pid), '--perf', '/nonexistent/perf', '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write the recording \/.*x\.vnflens: the folder/, r.stderr);
    assert.doesNotMatch(r.stderr, /perf/);
    assert.equal(existsSync(out), false);
  }
});
