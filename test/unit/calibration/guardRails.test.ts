import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { calibrate } from '../../../src/core/calibration/calibrate.ts';
import { parseManifest } from '../../../src/core/calibration/manifest.ts';
import { overlappingRows } from '../../../src/core/calibration/manifestOverlap.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import { modelGaps, withDefaultParts } from '../../../src/core/model/modelGaps.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { tempDir } from '../../support/tempDir.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');
const vpp = path.join(datasets, 'itc21/on-off', 'vpp.csv');

async function manifest(lines: string[]): Promise<string> {
  const dir = await tempDir('vnf-lens-guard-');
  const file = path.join(dir, 'calibration.csv');
  await writeFile(file, ['file,from,to,state,loss,scenario', ...lines].join('\n') + '\n');
  return file;
}

describe('calibration guard rails', () => {
  it('a model from nine processing intervals says what it lacks, and replays keep loss and scenario with the default parts', async () => {
    // Nine intervals, one class: the case that used to become the active model without a word.
    const own = await calibrate(await manifest([`${vpp}#5000-64,20.5,29.5,processing,,`]));
    assert.equal(own.provenance.counts.intervals, 9);
    const gaps = modelGaps(own);
    assert.equal(gaps.worthAsking, true);
    assert.equal(gaps.lacks.length, 4, gaps.lacks.join(' | '));
    assert.match(gaps.lacks.join('\n'), /state detector: every state label is "processing"/);
    assert.match(gaps.lacks.join('\n'), /loss regime: no interval is labelled lossy or clean/);
    assert.match(gaps.lacks.join('\n'), /traffic scenarios: no scenario is labelled/);
    assert.match(gaps.lacks.join('\n'), /9 labelled intervals/);

    const fallback = await loadDefaultModel();
    const { model, borrowed } = withDefaultParts(own, fallback);
    assert.deepEqual(borrowed, ['loss regime', 'scenarios']);
    assert.equal(model.state, own.state, 'the user model keeps its own state part');
    const fps = (await readAllIntervals(vpp)).filter((iv) => iv.run === '5000-64').map((iv) => fingerprint(iv));
    const alone = createInferenceEngine(own);
    const merged = createInferenceEngine(model);
    const a = fps.map((f) => alone.next(f)).at(-1)!;
    const m = fps.map((f) => merged.next(f)).at(-1)!;
    assert.equal(a.loss, 'unknown');
    assert.equal(a.scenario, null);
    assert.notEqual(m.loss, 'unknown', 'the default loss region answers');
    assert.match(m.scenario ?? '', /5000-64/, 'the default scenarios answer');
  });

  it('a complete model is not worth a question, and keeps all its own parts', async () => {
    const runs = ['500-64', '5000-64', '10000-64'];
    const rows = runs.flatMap((r) => [`${vpp}#${r},,15.5,idle,clean,`, `${vpp}#${r},20.5,,processing,${r === '10000-64' ? 'lossy' : 'clean'},${r}`]);
    const own = await calibrate(await manifest(rows));
    assert.deepEqual(modelGaps(own), { lacks: [], worthAsking: false });
    assert.equal(withDefaultParts(own, await loadDefaultModel()).model, own);
  });

  it('finds rows labelling the same intervals: same range, overlapping, open ends; other runs and files do not count', () => {
    const text = ['file,from,to,state,loss,scenario', 'rec.vnflens,10,20,processing,,', 'rec.vnflens,30,,idle,,', 'rec.vnflens#b,10,20,idle,,', 'other.vnflens,10,20,idle,,'].join('\n');
    const entries = parseManifest(text, 'calibration.csv', '/w');
    const at = (from?: number, to?: number, select?: string) =>
      overlappingRows(entries, { path: '/w/rec.vnflens', ...(select ? { select } : {}), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }).map((o) => `${o.entry.line}${o.sameRange ? '=' : '~'}`);
    assert.deepEqual(at(10, 20), ['2=']);
    assert.deepEqual(at(15, 25), ['2~']);
    assert.deepEqual(at(21, 29), []);
    assert.deepEqual(at(40, 50), ['3~'], 'an open end reaches on');
    assert.deepEqual(at(undefined, 5), []);
    assert.deepEqual(at(), ['2~', '3~']);
    assert.deepEqual(at(10, 20, 'b'), ['4=']);
  });
});
