import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../support/cli.ts';
import { tempDir } from '../../support/tempDir.ts';

const root = resolve(__dirname, '../../..');
const onOff = resolve(root, '../shared/datasets/itc21/on-off');

const cli = (...args: string[]) => runCli(['compare', ...args]);

const fc = `${onOff}/fastclick.csv`;
const vpp = `${onOff}/vpp.csv`;

describe('vnf-lens compare', () => {
  it('prints a Markdown report by default', async () => {
    const r = await cli(fc, vpp, '--run-a', '5000-64', '--run-b', '5000-64');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# A\/B comparison: fastclick.csv \[5000-64\] vs vpp.csv \[5000-64\]\n/);
    assert.match(r.stdout, /\*\*Verdict:\*\* Compared with A, B executes \d+% more instructions per second/);
    assert.match(r.stdout, /\n\| \*\*instructions\*\* \| 4.96 G\/s \[/);
    assert.match(r.stdout, /## Warnings\n\n- A changes level/);
  });

  it('gives every number as JSON', async () => {
    const r = await cli(fc, fc, '--run-a', '5000-64', '--run-b', '5000-64', '--a-range', '0:15', '--b-range', '20:', '--format', 'json', '--adjust', 'bh');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.format, 'vnf-lens-compare/1');
    assert.equal(j.a.intervals, 15);
    assert.equal(j.b.intervals, 9);
    assert.equal(j.method.adjustment, 'bh');
    const bm = j.features.find((f: { feature: string }) => f.feature === 'branch-misses');
    for (const k of ['mean', 'sd', 'ciLow', 'ciHigh', 'nEff', 'rho1', 'se', 'df']) assert.equal(typeof bm.a[k], 'number', k);
    for (const k of ['ratio', 'relativeDifference', 'cohensD', 'hedgesG', 't', 'df', 'p', 'pAdjusted']) assert.equal(typeof bm[k], 'number', k);
    assert.ok(bm.different);
    assert.ok(bm.a.ciLow <= bm.a.mean && bm.a.mean <= bm.a.ciHigh);
  });

  it('writes a self-contained HTML report with charts and prints the verdict', async () => {
    const dir = await tempDir('vnf-compare-');
    try {
      const out = join(dir, 'ab.html');
      const r = await cli(fc, vpp, '--run-a', '5000-64', '--run-b', '5000-64', '--format', 'html', '--out', out);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Compared with A, B .*\nreport written to .*ab\.html\n$/);
      const html = await readFile(out, 'utf8');
      assert.match(html, /^<!DOCTYPE html>/);
      assert.equal((html.match(/<svg /g) ?? []).length, 5); // four time series and the bar chart
      assert.match(html, /<polyline /);
      assert.doesNotMatch(html, /https?:|<script|<link|<img|<iframe|url\(|@import/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says when a run and itself do not differ', async () => {
    const r = await cli(vpp, vpp, '--run-a', '2500-128', '--run-b', '2500-128', '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).verdict, /^No significant difference between A and B/);
  });

  it('rejects bad use with one clear line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[fc, vpp], /^vnf-lens: error: A: .*fastclick.csv holds 20 runs or streams \(.*\); choose one with --run-a\n$/],
      [[fc, vpp, '--run-a', '5000-64', '--run-b', '9-9'], /^vnf-lens: error: B: run "9-9" is not in .*vpp.csv; it has 20: /],
      [[fc, vpp, '--run-a', '5000-64', '--run-b', '5000-64', '--b-range', '50:60'], /^vnf-lens: error: B: no intervals of .*vpp.csv \[5000-64\] within 50:60 s; it spans 0.0–29.0 s\n$/],
      [[fc, vpp, '--format', 'pdf'], /^vnf-lens: error: --format must be md, json or html, not "pdf"\n$/],
      [[fc], /^vnf-lens: error: compare takes two inputs, A and B \(got 1\); see vnf-lens compare --help\n$/],
      [[fc, vpp, '--alpha', '2'], /^vnf-lens: error: --alpha must be between 0 and 1, not "2"\n$/],
      [[fc, vpp, '--a-range', '3-9'], /^vnf-lens: error: --a-range: time range "3-9" should be FROM:TO in seconds/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    for (const [i, [args, want]] of cases.entries()) {
      const r = results[i]!;
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.equal(r.stdout, '');
    }
  });

  it('reports a missing file with exit code 1', async () => {
    const r = await cli(`${onOff}/missing.csv`, vpp);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^vnf-lens: error: A: cannot read .*missing.csv: no such file\n$/);
  });

  it('has help', async () => {
    const r = await cli('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^vnf-lens compare A B \[options\]/);
    assert.match(r.stdout, /--a-range FROM:TO/);
  });
});
