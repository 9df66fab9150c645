import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths.ts';
import { runCaptured, type Captured } from '../../support/runCaptured.ts';

// The built CLI loads each command from its own bundle (dist/cli/NAME.js), each with its
// own copy of the error classes: what a command throws must still reach the user as it
// does from sources.
const cli = path.join(repoRoot, 'dist', 'cli.js');

function vnfLens(args: string[]): Promise<Captured> {
  return runCaptured(process.execPath, [cli, ...args]);
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
