import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dataset, repoRoot } from '../../support/paths.ts';
import { runCaptured, type Captured } from '../../support/runCaptured.ts';
import { tempDir } from '../../support/tempDir.ts';

// The bundle skips the checks of the one model file the build checked (by its SHA-256):
// any other bytes, even one number changed, must still be checked in full.
const cli = path.join(repoRoot, 'dist', 'cli.js');

function infer(model: string, file: string): Promise<Captured> {
  return runCaptured(process.execPath, [cli, 'infer', '--model', model, '--format', 'jsonl', file]);
}

describe('the default model in the built CLI', () => {
  it('is used as it is, and a modified copy of it is checked in full with a clear error', async () => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first');
    const dir = await tempDir('vnf-lens-built-model-');
    const shipped = path.join(repoRoot, 'media', 'default-model.json');
    const text = await readFile(shipped, 'utf8');
    const file = dataset('itc21', 'on-off', 'vpp.csv');

    const same = path.join(dir, 'same.json');
    await writeFile(same, text);
    const good = await infer(same, file);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout, (await infer(shipped, file)).stdout);
    assert.ok(good.stdout.split('\n').length > 100);

    const broken: [string, (t: string) => string, RegExp][] = [
      ['one number made infinite', (t) => t.replace(/"bias":-?[\d.e+-]+/, '"bias":1e999'), /\/state\/bias is not a finite number/],
      ['a schema violation', (t) => t.replace(/"maxEvidence":[\d.e+-]+/, '"maxEvidence":-1'), /\/state\/maxEvidence must be > 0/],
      ['lengths that disagree', (t) => t.replace(/"mean":\[-?[\d.e+-]+,/, '"mean":['), /\/features\/mean has 30 values for 31 events/],
    ];
    for (const [what, change, error] of broken) {
      const bad = path.join(dir, 'bad.json');
      const changed = change(text);
      assert.notEqual(changed, text, what);
      await writeFile(bad, changed);
      const r = await infer(bad, file);
      assert.equal(r.code, 1, what);
      assert.equal(r.stdout, '', what);
      assert.match(r.stderr, new RegExp(`^vnf-lens: error: model ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), what);
      assert.match(r.stderr, error, what);
    }

    // Other bytes of a valid model: checked, then used.
    await writeFile(same, text + '\n');
    assert.equal((await infer(same, file)).stdout, good.stdout);
  });
});
