// A router whose idle looks like the other routers' processing in every event
// (test/support/busyIdle.ts, the proxy of `npm run eval`): once the run shows its first
// level change its own levels win, and one labelled run of it teaches its idle range.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { calibrateRows, CLEAN_UP_TO_PPS, onoffRows, onvmRows, ONOFF_ROUTERS } from '../../../src/core/calibration/referenceData.ts';
import { addScores, emptyScore, ratio, scoreState, START_ORDERS, type StateScore } from '../../../src/core/calibration/stateScore.ts';
import { fingerprint, type Fingerprint } from '../../../src/core/fingerprint/fingerprint.ts';
import { createInferenceEngine } from '../../../src/core/inference/engine.ts';
import { loadDefaultModel } from '../../../src/core/model/load.ts';
import type { Model } from '../../../src/core/model/model.ts';
import { readAllIntervals } from '../../../src/core/source/readIntervals.ts';
import { beforeChangeViews, onoffSessions, scoreWithView } from '../../support/beforeChangeViews.ts';
import { applyShift, busyIdleShift, calibrateShiftedOwn } from '../../support/busyIdle.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');
const TEACH_RUN = '5000-512';
const SHARE = 0.5;
const onoff = new Map<string, Map<string, Fingerprint[]>>();
/** Per left-out router: its moved runs, the leave-one-router-out model, and that model plus one labelled moved run. */
const cases = new Map<string, { runs: Map<string, Fingerprint[]>; loro: Model; withOne: Model }>();

before(async () => {
  const def = await loadDefaultModel();
  for (const r of ONOFF_ROUTERS) {
    const m = new Map<string, Fingerprint[]>();
    for (const iv of await readAllIntervals(path.join(datasets, 'itc21/on-off', `${r}.csv`))) m.set(iv.run!, [...(m.get(iv.run!) ?? []), fingerprint(iv)]);
    onoff.set(r, m);
  }
  for (const r of ONOFF_ROUTERS) {
    const idle = [...onoff.get(r)!.values()].flatMap((fps) => fps.filter((_, i) => i <= 14));
    const busy = ONOFF_ROUTERS.filter((x) => x !== r).flatMap((x) => [...onoff.get(x)!.values()].flatMap((fps) => fps.filter((_, i) => i >= 20)));
    const shift = busyIdleShift(idle, busy, SHARE);
    const runs = new Map([...onoff.get(r)!].map(([run, fps]) => [run, fps.map((fp) => applyShift(fp, shift))]));
    const rows = ONOFF_ROUTERS.filter((x) => x !== r).flatMap((x) => onoffRows(path.join(datasets, `itc21/on-off/${x}.csv`), x));
    const own = onoffRows(path.join(datasets, `itc21/on-off/${r}.csv`), r).filter((row) => row.file.endsWith(`#${TEACH_RUN}`)).map((row) => ({ ...row, own: true }));
    cases.set(r, { runs, loro: await calibrateRows(rows, datasets, def.state), withOne: await calibrateShiftedOwn([...rows, ...own], datasets, shift, def.state) });
  }
});

describe('a router whose idle lies halfway to the other routers\' processing in every event', () => {
  it('from the second interval after the first change, the run\'s own levels are right (both start orders)', () => {
    let both: StateScore = emptyScore();
    for (const order of START_ORDERS) {
      let all: StateScore = emptyScore();
      for (const [r, c] of cases) {
        const s = scoreState(c.loro, c.runs.values(), order);
        all = addScores(all, s);
        assert.ok(ratio(s.afterCorrect, s.afterAnswered) >= 0.99, `${r} ${order}: precision after the change ${ratio(s.afterCorrect, s.afterAnswered)}`);
        if (order === 'idle-first') assert.ok(s.settledCorrect / s.settledTotal >= 0.99, `${r} ${order}: accuracy from the 2nd interval after the change ${s.settledCorrect / s.settledTotal}`);
        if (order === 'traffic-first') assert.ok(ratio(s.correct, s.answered) >= 0.99, `${r} traffic-first: precision ${ratio(s.correct, s.answered)}`);
      }
      // Traffic first, the drop may be a step of the input rate (OpenNetVM's are, see below): where it
      // cannot tell, the idle after it stays unknown, never wrong (0.46 before the run's own levels won here).
      assert.ok(all.settledCorrect / all.settledTotal >= (order === 'idle-first' ? 0.99 : 0.7), `${order}: accuracy from the 2nd interval after the change ${all.settledCorrect / all.settledTotal}`);
      both = addScores(both, all);
    }
    assert.ok(both.settledCorrect / both.settledTotal >= 0.8, `both orders: accuracy from the 2nd interval after the change ${both.settledCorrect / both.settledTotal}`);
  });

  it('one labelled on-off run of it teaches its idle range: its other runs are right and answered', () => {
    for (const order of START_ORDERS) {
      let all: StateScore = emptyScore();
      for (const [r, c] of cases) {
        assert.ok(c.withOne.state.ownIdle?.low !== undefined && (c.withOne.state.ownIdle.movement ?? 0) > 0, `${r}: a taught idle range`);
        const s = scoreState(c.withOne, [...c.runs].filter(([run]) => run !== TEACH_RUN).map(([, fps]) => fps), order);
        all = addScores(all, s);
        assert.ok(ratio(s.correct, s.answered) >= 0.99, `${r} ${order}: precision ${ratio(s.correct, s.answered)}`);
      }
      assert.ok(all.correct / all.total >= 0.99, `${order}: accuracy ${all.correct / all.total}`);
      assert.ok(all.answered / all.total >= 0.98, `${order}: answered ${all.answered / all.total}`);
    }
  });
});

// The README's "not met": before a run's first level change nothing in one interval tells this
// idle from a new router's light traffic. If a view ever separates them, this fails and the
// README's claim (and the detector) must change.
describe('before the first change, the moved idle is as much like known traffic as a new router\'s traffic', () => {
  it('no view withholds most of the moved idle without withholding the real routers\' traffic too', () => {
    const tot = new Map<string, { moved: StateScore; real: StateScore }>();
    for (const [r, c] of cases) {
      const known = ONOFF_ROUTERS.filter((x) => x !== r).map((x) => {
        const runs = [...onoff.get(x)!.values()];
        return { idle: runs.flatMap((fps) => fps.filter((_, i) => i <= 14)), processing: runs.flatMap((fps) => fps.filter((_, i) => i >= 20)) };
      });
      const moved = onoffSessions(c.runs.values(), 'idle-first');
      const real = onoffSessions(onoff.get(r)!.values(), 'traffic-first');
      for (const v of [undefined, ...beforeChangeViews(c.loro, known)]) {
        const key = v?.name.replace(/ \([^)]*\)$/, '') ?? 'shipped';
        const t = tot.get(key) ?? { moved: emptyScore(), real: emptyScore() };
        tot.set(key, { moved: addScores(t.moved, scoreWithView(c.loro, moved, v)), real: addScores(t.real, scoreWithView(c.loro, real, v)) });
      }
    }
    const shipped = tot.get('shipped')!;
    assert.ok(ratio(shipped.moved.correct, shipped.moved.answered) < 0.5, `shipped: the moved idle before the change is called processing (precision ${ratio(shipped.moved.correct, shipped.moved.answered)})`);
    assert.ok(tot.size >= 5, `views measured: ${[...tot.keys()].join('; ')}`);
    for (const [name, t] of tot) {
      const precision = ratio(t.moved.correct, t.moved.answered);
      const answered = t.moved.answered / t.moved.total;
      const lost = (shipped.real.answered - t.real.answered) / t.real.total;
      assert.equal(t.real.correct, t.real.answered, `${name}: the real routers' answers stay right`);
      assert.ok(!(precision >= 0.99 && answered >= 0.6), `${name}: meets the target on the moved idle (${precision}, ${answered}): update the README and the detector`);
      // Lifting the moved idle's precision costs the real routers' traffic-first answers: at least a point for each 0.2 gained.
      const gained = precision - ratio(shipped.moved.correct, shipped.moved.answered);
      if (gained > 0.2) assert.ok(lost >= 0.01 * Math.floor(gained / 0.2), `${name}: gained ${gained.toFixed(3)} precision for ${(lost * 100).toFixed(1)} points of the real routers' answers`);
      // Novelty in absolute terms: the moved idle is nearer known busy seconds than a new router's traffic usually is.
      if (name.startsWith('novelty')) assert.ok(gained < 0.02, `novelty withholds the moved idle (gained ${gained})`);
    }
  });
});

describe('a step of the input rate down is not the end of traffic', () => {
  it('calibrated on one OpenNetVM run (and the on-off runs), the other run, traffic throughout, is never called idle', async () => {
    const dir = (run: string) => path.join(datasets, 'opennetvm-bridge', run);
    const fps = async (run: string) => (await readAllIntervals(path.join(dir(run), 'bridge.csv'))).map(fingerprint);
    const lightClean = ONOFF_ROUTERS.flatMap((r) => onoffRows(path.join(datasets, `itc21/on-off/${r}.csv`), r, { cleanUpToPps: CLEAN_UP_TO_PPS }));
    for (const [train, judged] of [['exp-7', 'exp-2'], ['exp-2', 'exp-7']] as const) {
      const t = await fps(train);
      const model = await calibrateRows([...lightClean, ...(await onvmRows(dir(train), path.join(dir(train), 'bridge.csv'), t.map((f) => f.t)))], datasets);
      const e = createInferenceEngine(model);
      const idle = (await fps(judged)).filter((fp) => e.next(fp).state === 'idle').length;
      assert.equal(idle, 0, `calibrated on ${train}: ${judged} seconds called idle: ${idle}`);
    }
  });
});
