import { similarityRecord } from '../../../src/core/inference/scenarioMatcher.ts';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { calibrate } from '../../../src/core/calibration/calibrate.ts';
import { fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { tempDir } from '../../support/tempDir.ts';

const onoff = (r: string) => path.resolve(__dirname, '../../../../shared/datasets/itc21/on-off', `${r}.csv`);

test('scenario labels that are object keys (__proto__, constructor) survive calibration and inference', async () => {
  const dir = await tempDir('vnf-lens-cal-');
  const manifest = path.join(dir, 'manifest.csv');
  const rows = [`${onoff('vpp')}#500-64,20.5,,,,__proto__`, `${onoff('vpp')}#5000-64,20.5,,,,constructor`, `${onoff('vpp')}#10000-64,20.5,,,,toString`];
  await writeFile(manifest, ['file,from,to,state,loss,scenario', ...rows].join('\n') + '\n');
  const model = await calibrate(manifest);
  assert.deepEqual(model.scenarios!.labels.map((l) => l.label).sort(), ['__proto__', 'constructor', 'toString']);
  const engine = createInferenceEngine(model);
  const ivs = (await readAllIntervals(onoff('vpp'))).filter((iv) => iv.run === '500-64').slice(22, 26);
  let last;
  for (const iv of ivs) last = engine.next(fingerprint(iv));
  assert.ok(last);
  const sims = similarityRecord(last.similarities);
  assert.deepEqual(Object.keys(sims).sort(), ['__proto__', 'constructor', 'toString']);
  for (const v of Object.values(sims)) assert.ok(Number.isFinite(v));
  assert.ok(JSON.stringify(sims).includes('"__proto__":'));
});
