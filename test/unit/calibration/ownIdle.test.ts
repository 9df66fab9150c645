// A model built for one router knows how high that router's own idle loop reaches
// in memory traffic, and uses it where the other events only know its idle.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { calibrate } from '../../../src/core/calibration/calibrate.ts';
import { sessionRows } from '../../../src/core/calibration/stateScore.ts';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { memoryLevel } from '../../../src/core/inference/stateDetector.ts';
import { defaultModelPath } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { tempDir } from '../../support/tempDir.ts';

const media = path.dirname(defaultModelPath());

/** The default manifest's rows for the given routers, with absolute paths, plus `extra` lines. */
async function manifestWith(routers: string[], extra: string[]): Promise<string> {
  const lines = (await readFile(path.join(media, 'default-model.manifest.csv'), 'utf8')).trim().split('\n');
  const rows = lines.slice(1).filter((l) => routers.some((r) => l.includes(`on-off/${r}.csv#`)));
  const abs = (l: string) => path.resolve(media, l.slice(0, l.indexOf(','))) + l.slice(l.indexOf(','));
  const dir = await tempDir('vnf-lens-own-');
  const file = path.join(dir, 'router.csv');
  await writeFile(file, [lines[0], ...rows.map(abs), ...extra].join('\n') + '\n');
  return file;
}

async function vppRuns(): Promise<Map<string, Fingerprint[]>> {
  const runs = new Map<string, Fingerprint[]>();
  for (const iv of await readAllIntervals(path.resolve(media, '../../shared/datasets/itc21/on-off/vpp.csv'))) {
    const list = runs.get(iv.run!) ?? [];
    list.push(fingerprint(iv));
    runs.set(iv.run!, list);
  }
  return runs;
}

describe("the router's own idle level", () => {
  it('is fitted on the rows that are not the reference data, and only on them', async () => {
    const vpp = path.resolve(media, '../../shared/datasets/itc21/on-off/vpp.csv');
    // A user's labels for one run of their router (bounds of their own, so not a copy of a reference row).
    const own = [`${vpp}#5000-512,,15.4,idle,,`, `${vpp}#5000-512,20.4,,processing,,`];
    const taught = await calibrate(await manifestWith(['fastclick', 'ovs', 'bess'], own), { name: 'vpp' });
    assert.equal(taught.state.ownIdle?.intervals, 15, 'the 15 idle seconds of the one labelled run');
    const runs = await vppRuns();
    const idleLevels = runs.get('5000-512')!.slice(0, 15).map((fp) => memoryLevel(fp, taught.state));
    assert.ok(Math.abs(taught.state.ownIdle!.level - Math.max(...idleLevels)) < 1e-3, `${taught.state.ownIdle!.level} vs ${Math.max(...idleLevels)}`);
    // The taught range: from its lowest idle level, widened by the between-run movement of the calibration's routers (at least 0.7 decades).
    assert.ok(Math.abs(taught.state.ownIdle!.low! - Math.min(...idleLevels)) < 1e-3, `low ${taught.state.ownIdle!.low} vs ${Math.min(...idleLevels)}`);
    assert.ok(taught.state.ownIdle!.movement! >= 0.7 && taught.state.ownIdle!.movement! < 1.5, `movement ${taught.state.ownIdle!.movement}`);
    // Reference rows copied verbatim are not the router's own.
    const reference = await calibrate(await manifestWith(['fastclick', 'ovs', 'bess', 'vpp'], []), { name: 'reference' });
    assert.equal(reference.state.ownIdle, undefined);
  });

  it('lets a session that starts under light traffic be answered, without a wrong answer', async () => {
    const vpp = path.resolve(media, '../../shared/datasets/itc21/on-off/vpp.csv');
    const own = [`${vpp}#5000-512,,15.4,idle,,`, `${vpp}#5000-512,20.4,,processing,,`];
    const taught = await calibrate(await manifestWith(['fastclick', 'ovs', 'bess'], own), { name: 'vpp' });
    const without: Model = { ...taught, state: { ...taught.state } };
    delete without.state.ownIdle;
    const runs = await vppRuns();
    const score = (m: Model) => {
      let answered = 0;
      let wrong = 0;
      for (const run of ['500-128', '500-512', '500-1400']) {
        const e = createInferenceEngine(m);
        // The light-traffic stretch a session starting under traffic sees first.
        for (const { fp, truth } of sessionRows(runs.get(run)!, 'traffic-first').slice(0, 9)) {
          const s = e.next(fp).state;
          if (s !== 'unknown') answered++;
          if (s !== 'unknown' && s !== truth) wrong++;
        }
      }
      return { answered, wrong };
    };
    const a = score(taught);
    const b = score(without);
    assert.equal(a.wrong, 0);
    assert.ok(a.answered >= 24, `with the own idle level: ${a.answered}/27 answered`);
    assert.ok(b.answered <= 9, `without it the other events (which know this router's idle only) hold it back: ${b.answered}/27`);
  });

  it('a one-interval spike of memory traffic in an idle run is not called processing', async () => {
    const vpp = path.resolve(media, '../../shared/datasets/itc21/on-off/vpp.csv');
    const own = [`${vpp}#5000-512,,15.4,idle,,`, `${vpp}#5000-512,20.4,,processing,,`];
    const taught = await calibrate(await manifestWith(['fastclick', 'ovs', 'bess'], own), { name: 'vpp' });
    const idle = (await vppRuns()).get('2500-64')!.slice(0, 15);
    const spiked = idle.map((fp, i) => {
      if (i !== 8) return fp;
      const rates = { ...fp.rates };
      for (const e in rates) if (/^(LLC-|cache-|node-|L1-dcache-load-misses)/.test(e)) rates[e]! *= 30;
      return { ...fp, rates };
    });
    assert.ok(memoryLevel(spiked[8]!, taught.state) >= taught.state.ownIdle!.level + 1, 'the spike rises well over the own idle level');
    const e = createInferenceEngine(taught);
    const states = spiked.map((fp) => e.next(fp).state);
    assert.equal(states[8], 'unknown', states.join(' '));
    assert.ok(!states.includes('processing'), states.join(' '));
    // The filter takes a second to forget the spike; then the run is idle again.
    assert.deepEqual(states.slice(10), Array(5).fill('idle'));
  });
});
