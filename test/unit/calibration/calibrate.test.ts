import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { calibrate } from '../../../src/core/calibration/calibrate.ts';
import { fitLogistic, logit } from '../../../src/core/calibration/logistic.ts';
import { readMoonGenLoss } from '../../../src/core/calibration/moongenLoss.ts';
import { naiveBranchMissThreshold } from '../../../src/core/calibration/paperBaselines.ts';
import { tempDir } from '../../support/tempDir.ts';

const root = path.resolve(__dirname, '../../..');
const datasets = path.resolve(root, '../shared/datasets');
const onoff = (r: string) => path.join(datasets, 'itc21/on-off', `${r}.csv`);

async function manifest(lines: string[]): Promise<string> {
  const dir = await tempDir('vnf-lens-cal-');
  const file = path.join(dir, 'manifest.csv');
  await writeFile(file, ['file,from,to,state,loss,scenario', ...lines].join('\n') + '\n');
  return file;
}

describe('calibrate', () => {
  it('builds a valid model from labelled wide-CSV runs, with progress', async () => {
    const runs = ['500-64', '5000-64', '10000-64', '5000-1400'];
    const rows = runs.flatMap((r) => [
      `${onoff('fastclick')}#${r},,15.5,idle,clean,`,
      `${onoff('fastclick')}#${r},20.5,,processing,${r === '10000-64' ? 'lossy' : 'clean'},${r}`,
    ]);
    const phases: string[] = [];
    const model = await calibrate(await manifest(rows), { onProgress: (p) => phases.push(`${p.phase}:${p.detail}`) });
    assert.deepEqual(model.scenarios!.labels.map((l) => l.label), ['500-64', '5000-64', '10000-64', '5000-1400']);
    assert.deepEqual(model.scenarios!.labels[1], { label: '5000-64', rate: 5000, size: '64' });
    assert.equal(model.provenance.counts.intervals, runs.length * 24);
    assert.deepEqual(model.provenance.counts.state, { idle: 60, processing: 36 });
    assert.deepEqual(model.provenance.counts.loss, { clean: 87, lossy: 9 });
    assert.equal(model.features.events.length, 31);
    assert.ok(model.loss!.components >= 2 && model.loss!.basis.length >= 2);
    assert.ok(phases.includes('fit:done') && phases.some((p) => p.startsWith('read:')));
  });

  it('keeps the default state detector when the manifest labels no states', async () => {
    const model = await calibrate(await manifest([`${onoff('vpp')}#500-64,20.5,,,,a`, `${onoff('vpp')}#5000-64,20.5,,,,b`]));
    assert.ok(model.state.fittedOn.length >= 4, 'borrowed from the default model, fitted on the four routers');
    assert.equal(model.loss, null, 'no loss labels: no lossy region');
  });

  it('names the manifest line of a row that selects nothing or contradicts another', async () => {
    await assert.rejects(calibrate(await manifest([`${onoff('vpp')}#500-64,,,idle,,`, `${onoff('vpp')}#123-4,,,idle,,`])), /line 3: no run or stream "123-4" in .*vpp\.csv \(it has /);
    await assert.rejects(calibrate(await manifest([`${onoff('vpp')}#500-64,100,200,idle,,`])), /line 2: no interval of .* ends between 100 and 200 s/);
    await assert.rejects(
      calibrate(await manifest([`${onoff('vpp')}#500-64,,15.5,idle,,`, `${onoff('vpp')}#500-64,10,20,processing,,`])),
      /line 3: interval t=10\.\d+ of run 500-64 is labelled state "processing" here and "idle" on line 2/,
    );
    await assert.rejects(calibrate(await manifest(['missing.csv,,,idle,,'])), /line 2: cannot read .*missing\.csv: no such file/);
  });
});

describe('calibration helpers', () => {
  it('logistic regression separates linearly separable data', () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.2, max: 3, noNaN: true }), (cut, gap) => {
        const x: number[][] = [];
        const y: number[] = [];
        for (let i = 0; i < 40; i++) {
          const v = cut + (i % 2 === 0 ? -1 : 1) * (gap / 2 + (i % 7) * 0.1);
          x.push([v, (i * 37) % 5]);
          y.push(v > cut ? 1 : 0);
        }
        const fit = fitLogistic(x, y, { l2: 0.01 });
        x.forEach((row, i) => assert.equal(logit(fit, row) > 0 ? 1 : 0, y[i]));
      }),
      { numRuns: 25 },
    );
  });

  it('reads MoonGen counters into per-second loss', async () => {
    const loss = await readMoonGenLoss(path.join(datasets, 'opennetvm-bridge/exp-2/tx_stats.csv'), path.join(datasets, 'opennetvm-bridge/exp-2/rx_stats.csv'));
    assert.equal(loss[1]!.offered, 1307498 - 613639);
    assert.equal(loss[1]!.received, 565282);
    assert.ok(Math.abs(loss[1]!.lossRatio - (693859 - 565282) / 693859) < 1e-12);
    assert.ok(loss.filter((s) => s.lossRatio > 0.01).length > loss.length / 2, 'exp-2 loses over 1 % in more than half of its seconds');
  });

  it("reproduces the paper's naive threshold rule (min + 0.3 std)", () => {
    assert.equal(naiveBranchMissThreshold([1, 2, 3, 4]), 1 + 0.3 * Math.sqrt(1.25));
  });
});
