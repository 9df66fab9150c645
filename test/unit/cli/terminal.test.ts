import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { processTable } from '../../../src/cli/commands/ps.ts';
import { terminalSafe } from '../../../src/cli/output.ts';
import type { ProcessEntry } from '../../../src/core/host/processes.ts';
import { runCli } from '../../support/cli.ts';
import { tempDirSync } from '../../support/tempDir.ts';

const ESC_SEQUENCES = ['\x1b]0;pwned\x07', '\x1b[2J', '\x9b31m', '\x08\x08', '\r'];

const cli = runCli;

function assertNoControls(text: string): void {
  // eslint-disable-next-line no-control-regex -- looking for control characters
  assert.doesNotMatch(text.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/, JSON.stringify(text));
}

test('control characters are shown escaped, never sent raw', () => {
  assert.equal(terminalSafe('a\x1b[31mb\x07\tc\n'), 'a\\x1b[31mb\\x07\\tc\\n');
  assert.equal(terminalSafe('line1\nline2\x9b', { keepNewlines: true }), 'line1\nline2\\x9b');
  assert.equal(terminalSafe('FastClick /srv/bridge.click — ünïcode'), 'FastClick /srv/bridge.click — ünïcode');
});

test("ps's table escapes what a process put in its command line (CONFIG and COMMAND)", () => {
  const argv = ['click', `/srv/${ESC_SEQUENCES.join('')}.click`];
  const p: ProcessEntry = { pid: 7, user: 'root', cpuPercent: 1, threads: 1, startedAt: new Date().toISOString(), commandLine: argv.join(' '), argv, kernelThread: false, router: { kind: 'fastclick', name: 'FastClick', configFiles: [argv[1]!] } };
  const lines = processTable([p]);
  for (const l of lines) assertNoControls(l);
  assert.match(lines[1]!, /\\x1b\]0;pwned\\x07/);
});

test('stream names and unsupported event names in replay and infer tables, warnings and errors reach the terminal escaped', async () => {
  const dir = tempDirSync('vnflens-term-');
  const file = join(dir, 'evil.vnflens');
  const meta = { format: 'vnf-lens-recording', version: 1, meta: { host: 'h', processes: [], events: ['task-clock'], intervalMs: 1000, startedAt: '2026-01-01T00:00:00Z', separator: ',' } };
  const lines = [`#@vnf-lens ${JSON.stringify(meta)}`, `#@vnf-lens ${JSON.stringify({ stream: `s${ESC_SEQUENCES.join('')}` })}`];
  for (let i = 1; i <= 3; i++) lines.push(`${i}.000,${1000 * i},msec,task-clock,1000000,100.00,,`, `${i}.000,<not supported>,,evil\x1b[2Jevent,0,100.00,,`);
  lines.push('garbage \x1b]0;title\x07 line');
  writeFileSync(file, lines.join('\n') + '\n');
  for (const cmd of ['replay', 'infer']) {
    const r = await cli([cmd, file]);
    assert.equal(r.code, 0, r.stderr);
    assertNoControls(r.stdout);
    assertNoControls(r.stderr);
    assert.match(r.stdout, /s\\x1b\]0;pwned/);
  }
  const missing = await cli(['replay', join(dir, 'no\x1b[2Jsuch')]);
  assert.notEqual(missing.code, 0);
  assertNoControls(missing.stderr);
  assert.match(missing.stderr, /no\\x1b\[2Jsuch/);
});
