import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../support/cli.ts';
import { tempDir } from '../../support/tempDir.ts';

const root = path.resolve(__dirname, '../../..');
const datasets = path.resolve(root, '../shared/datasets');

const cli = runCli;

describe('vnf-lens infer and calibrate', () => {
  it('infer --format jsonl prints one object per interval, per run, with the documented fields', async () => {
    const r = await cli(['infer', '--format', 'jsonl', path.join(datasets, 'itc21/on-off/bess.csv')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 20 * 29);
    const first = lines[0]!;
    const optional = new Set(['stateChange', 'stateBasis', 'stateReason', 'lossReason', 'scenarioReason', 'ppsReason', 'counters', 'agreement']);
    assert.deepEqual(Object.keys(first).filter((k) => !optional.has(k)), ['t', 'run', 'state', 'stateConfidence', 'loss', 'lossScore', 'pca', 'scenario', 'similarity', 'runnerUp', 'runnerUpSimilarity', 'margin', 'pps', 'ppsRange', 'similarities']);
    // Idle: no packets; processing: an estimate whose range holds it.
    assert.equal(first['pps'], 0);
    assert.deepEqual(first['ppsRange'], [0, 0]);
    assert.equal(first['stateBasis'], 'model');
    assert.equal(first['scenarioReason'], 'idle: no traffic to classify');
    assert.equal(Object.keys(first['similarities'] as object).length, 80);
    const busy = lines.filter((l) => l['run'] === '5000-512')[25]!;
    assert.equal(busy['state'], 'processing');
    assert.equal(busy['scenario'], 'bess:5000-512');
    const [lo, hi] = busy['ppsRange'] as [number, number];
    assert.ok(typeof busy['pps'] === 'number' && lo <= (busy['pps'] as number) && (busy['pps'] as number) <= hi, JSON.stringify(busy));
    assert.equal(lines.filter((l) => l['stateChange'] !== undefined).length, 20, 'one idle→processing change per run');
  });

  it('infer rejects a corrupt model with the file and the problem', async () => {
    const dir = await tempDir('vnf-lens-cli-');
    const bad = path.join(dir, 'model.json');
    await writeFile(bad, JSON.stringify({ format: 'vnf-lens-model', version: 1, name: 'x' }));
    const r = await cli(['infer', '--model', bad, '--brief', path.join(datasets, 'itc21/on-off/bess.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`vnf-lens: error: model ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(top level\\) must have required property`));
  });

  it('calibrate writes a model that infer then uses, and rejects bad rows by line', async () => {
    const dir = await tempDir('vnf-lens-cli-');
    const onoff = path.join(datasets, 'itc21/on-off/vpp.csv');
    const good = path.join(dir, 'good.csv');
    await writeFile(good, ['file,from,to,state,loss,scenario', `${onoff}#500-64,20.5,,processing,,500-64`, `${onoff}#5000-1400,20.5,,processing,,5000-1400`, `${onoff}#5000-1400,,15.5,idle,,`].join('\n'));
    const out = path.join(dir, 'model.json');
    const c = await cli(['calibrate', '--manifest', good, '--out', out]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stderr, /calibrate: wrote .*model\.json \(33 intervals, state: fitted/);
    const inf = await cli(['infer', '--model', out, '--format', 'jsonl', '--brief', onoff]);
    const rows = inf.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(!('similarities' in rows[0]!));
    assert.equal(rows.filter((l) => l['run'] === '5000-1400')[27]!['scenario'], '5000-1400');

    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, ['file,from,to,state,loss,scenario', `${onoff}#500-64,x,,idle,,`, `${onoff}#500-64,,,idle,maybe,`].join('\n'));
    const b = await cli(['calibrate', '--manifest', bad, '--out', path.join(dir, 'never.json')]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /2 bad rows:\n.*line 2: "from" must be a number.*\n.*line 3: "loss" must be lossy, clean or empty/);
  });

  it('calibrate --from refuses a recording without router counters, naming it, and needs some input', async () => {
    const dir = await tempDir('vnf-lens-cli-');
    const perf = path.join(datasets, 'itc21/perf-stat-sfc/1-vnf-independent-core-freq-1-all-fastclick.txt');
    const r = await cli(['calibrate', '--from', perf, '--out', path.join(dir, 'm.json')]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(perf) && /packet counters/.test(r.stderr), r.stderr);
    const none = await cli(['calibrate', '--out', path.join(dir, 'm.json')]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /--manifest FILE or --from RECORDING/);
  });
});
