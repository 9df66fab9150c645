import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEVEL_DEFAULTS } from '../../../src/core/inference/stateDetector.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';

// The built model copies the level parameters when it is built: a change to the defaults must be rebuilt into it.
test('the built default model carries the level parameters the source defines (rebuild it with scripts/build-default-model.ts when they change)', async () => {
  const model = await loadDefaultModel();
  // Only the source's defaults are copied; levels learnt from the data (busyTop) are the model's own.
  const copied = Object.fromEntries(Object.keys(LEVEL_DEFAULTS).map((k) => [k, (model.state.levels as unknown as Record<string, unknown>)[k]]));
  assert.deepEqual(copied, LEVEL_DEFAULTS);
});
