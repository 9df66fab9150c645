import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { defaultModelPath, loadDefaultModel, loadModel, ModelError, parseModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { tempDir } from '../../support/tempDir.ts';

const clone = (m: Model): Record<string, unknown> => JSON.parse(JSON.stringify(m)) as Record<string, unknown>;

describe('model loading', () => {
  it('finds and loads the shipped default model', async () => {
    const p = defaultModelPath();
    assert.equal(path.basename(p), 'default-model.json');
    assert.equal(path.basename(path.dirname(p)), 'media');
    const m = await loadDefaultModel();
    assert.equal(m.format, 'vnf-lens-model');
    assert.ok(m.loss && m.scenarios, 'the default model has a lossy region and scenarios');
    assert.ok(m.provenance.recordings.length >= 6);
    assert.ok(m.provenance.recordings.every((r) => /^[0-9a-f]{64}$/.test(r.sha256)));
    assert.ok(m.loss.points.length > 0 && m.loss.region2d.length >= 3, 'the PCA panel has points and a lossy outline');
  });

  it('names the file and the JSON path of a schema violation', async () => {
    const m = clone(await loadDefaultModel());
    ((m['loss'] as { basis: unknown[] }).basis as unknown[])[3] = 'oops';
    assert.throws(() => parseModel(m, 'broken.json'), (e: Error) => e instanceof ModelError && /^model broken\.json: \/loss\/basis\/3 must be array/.test(e.message));
  });

  it('rejects a model of another version or another kind with a clear reason', async () => {
    const m = clone(await loadDefaultModel());
    assert.throws(() => parseModel({ ...m, version: 99 }, 'new.json'), /model new\.json: version 99 is newer than this VNF Lens reads \(version 1\); update VNF Lens/);
    assert.throws(() => parseModel({ ...m, version: 0 }, 'old.json'), /"version" is 0, not a model format version/);
    const { version: _v, ...noVersion } = m;
    assert.throws(() => parseModel(noVersion, 'nov.json'), (e: Error) => /model nov\.json: it has no "version"/.test(e.message) && !/undefined/.test(e.message));
    assert.throws(() => parseModel({ ...m, format: 'other' }, 'x.json'), /not a VNF Lens model/);
    assert.throws(() => parseModel([], 'arr.json'), /must be a JSON object/);
    const { state: _state, ...noState } = m;
    assert.throws(() => parseModel(noState, 'nostate.json'), /model nostate\.json: \(top level\) must have required property 'state'/);
  });

  it('rejects arrays whose lengths disagree with the event list', async () => {
    const m = clone(await loadDefaultModel());
    const features = m['features'] as { mean: number[] };
    features.mean = features.mean.slice(1);
    assert.throws(() => parseModel(m, 'short.json'), /\/features\/mean has 30 values for 31 events/);
  });

  it('reports unreadable and non-JSON files with their path', async () => {
    const dir = await tempDir('vnf-lens-model-');
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"format": ');
    await assert.rejects(loadModel(bad), (e: Error) => e.message.startsWith(`model ${bad}: not valid JSON`));
    await assert.rejects(loadModel(path.join(dir, 'none.json')), /no such file/);
  });

  it('refuses numbers that are not finite (1e999 reads as Infinity), naming where', async () => {
    const dir = await tempDir('vnflens-model-');
    const text = JSON.stringify(await loadDefaultModel());
    for (const [field, at] of [
      ['"bias":', /\/state\/bias is not a finite number/],
      ['"mean":[', /\/features\/mean\/0 is not a finite number/],
    ] as const) {
      const i = text.indexOf(field) + field.length;
      const j = i + /^-?[\d.e+-]+/.exec(text.slice(i))![0].length;
      const file = path.join(dir, 'inf.json');
      await writeFile(file, text.slice(0, i) + '1e999' + text.slice(j));
      await assert.rejects(loadModel(file), (e: Error) => e instanceof ModelError && at.test(e.message) && /1e999/.test(e.message));
      await writeFile(file, text.slice(0, i) + '-1e999' + text.slice(j));
      await assert.rejects(loadModel(file), at);
    }
  });

  it('reads a model with a UTF-8 byte order mark, as manifests are read', async () => {
    const dir = await tempDir('vnflens-model-');
    const file = path.join(dir, 'bom.json');
    await writeFile(file, '\ufeff' + JSON.stringify(await loadDefaultModel()));
    assert.equal((await loadModel(file)).format, 'vnf-lens-model');
  });
});
