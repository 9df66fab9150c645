import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CostWindow } from '../../../src/core/cost/costSampler.ts';
import { loadExeca } from '../../../src/core/host/exec.ts';
import { missingBinaries } from '../../support/binaries.ts';
import { COST_ROUTER_CONFIG, type CostRouter, TRUE_SHARES, startCostRouter } from '../../support/costRouter.ts';
import { cliArgs } from '../../support/cli.ts';

const repo = resolve(__dirname, '../../..');

async function cli(args: string[]) {
  const { execa } = await loadExeca();
  return execa(process.execPath, cliArgs([...args]), { cwd: repo, reject: false, stdin: 'ignore', timeout: 90_000 });
}

describe('vnf-lens cost: a g++-built router sampled from the command line', { skip: missingBinaries('perf', 'g++') }, () => {
  let router: CostRouter;

  before(async () => {
    router = await startCostRouter();
  });

  after(async () => {
    await router?.stop();
  });

  test('prints each element of the config with its share, the shared class named, and perf\'s own CPU', async () => {
    const r = await cli(['cost', '--local', '--pid', String(router.pid), '--config', COST_ROUTER_CONFIG, '--window', '4', '--frequency', '499']);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^window 1/1: PID ${router.pid} \\(.*click-cost-lab\\), 4 s at 499 Hz: \\d+ samples, [\\d.]+ ms of CPU; perf itself used \\d+ ms$`));
    const share = (element: string) => Number(/ ([\d.]+) %/.exec(lines.find((l) => l.trimStart().startsWith(`${element} `)) ?? '')?.[1] ?? NaN) / 100;
    const lookup = lines.find((l) => /RadixIPLookup/.test(l))!.trim().split(/\s+/)[0]!;
    assert.ok(Math.abs(share(lookup) - TRUE_SHARES.RadixIPLookup!) <= 0.05, `${lookup}: ${share(lookup)}\n${r.stdout}`);
    assert.ok(lines.some((l) => /\(class shared with c2\)/.test(l)), r.stdout);
  });

  test('--format json gives the window as one line; bad options and a gone PID are clear errors', async () => {
    const r = await cli(['cost', '--local', '--pid', String(router.pid), '--window', '2', '--format', 'json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const w = JSON.parse(r.stdout.trim()) as CostWindow;
    assert.equal(w.pid, router.pid);
    // No config: the CPU goes by class (a 2 s window at the default 99 Hz: too few samples to judge 5 points, enough for the first).
    assert.equal(w.report.elements.length, 0);
    assert.equal(w.report.classes[0]?.className, 'RadixIPLookup', JSON.stringify(w.report.classes));

    const noPid = await cli(['cost', '--local']);
    assert.equal(noPid.exitCode, 2);
    assert.match(noPid.stderr, /--pid is required/);
    const gone = await cli(['cost', '--local', '--pid', '4000000', '--window', '1']);
    assert.equal(gone.exitCode, 1);
    assert.match(gone.stderr, /PID 4000000 is not running on local host/);
    const notClick = await cli(['cost', '--local', '--pid', String(router.pid), '--config', resolve(repo, 'package.json')]);
    assert.equal(notClick.exitCode, 1);
    assert.match(notClick.stderr, /declares no elements/);
  });
});
