import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../../support/paths.ts';

// The built CLI loads each command from its own bundle (dist/cli/NAME.js), each with its
// own copy of the error classes: what a command throws must still reach the user as it
// does from sources.
const cli = path.join(repoRoot, 'dist', 'cli.js');
const run = promisify(execFile);

async function vnfLens(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the built CLI', () => {
  it('runs every command it lists from that command’s bundle', async () => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    const usage = await vnfLens(['--help']);
    assert.equal(usage.code, 0, usage.stderr);
    const commands = [...usage.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]!);
    assert.ok(commands.length >= 8 && commands.includes('infer') && commands.includes('serve'), usage.stdout);
    for (const name of commands) {
      const help = await vnfLens([name, '--help']);
      assert.equal(help.code, 0, `${name}: ${help.stderr}`);
      assert.ok(help.stdout.startsWith(`vnf-lens ${name} `), `${name}: ${help.stdout}`);
    }
  });

  it('gives a command’s usage and file errors their exit codes and messages', async () => {
    const usage = await vnfLens(['infer']);
    assert.equal(usage.code, 2);
    assert.equal(usage.stderr, 'vnf-lens: error: infer takes exactly one FILE (or - for standard input); see vnf-lens infer --help\n');
    const missing = await vnfLens(['replay', path.join(repoRoot, 'no-such-file.csv')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^vnf-lens: error: cannot read .*no-such-file\.csv: no such file\n$/);
    const option = await vnfLens(['serve', '--no-such-option']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown option '--no-such-option'/);
  });
});
