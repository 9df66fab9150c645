// `npm run eval`: before a run's first level change, can anything tell a busy-looking idle from a new router's traffic?
import path from 'node:path';
import { calibrateRows, CLEAN_UP_TO_PPS, onoffRows, onvmRows, ONOFF_ROUTERS } from '../../src/core/calibration/referenceData.ts';
import { addScores, emptyScore, ratio, type StartOrder, type StateScore } from '../../src/core/calibration/stateScore.ts';
import { fingerprint, type Fingerprint } from '../../src/core/fingerprint/fingerprint.ts';
import type { Model } from '../../src/core/model/model.ts';
import { readAllIntervals } from '../../src/core/source/readIntervals.ts';
import { applyShift } from '../../test/support/busyIdle.ts';
import { beforeChangeViews, onoffSessions, scoreWithView, type BeforeChangeView, type KnownRouter, type Session } from '../../test/support/beforeChangeViews.ts';
import { f4 as f, IDLE_ROWS, pct, PROC_ROWS, rel, type Runs, type Say } from './common.ts';
import { busyIdleRouterShift } from './stateBusyIdle.ts';

/** The left-out router moved `share` of the way (0: as recorded), in one start order. */
const GROUPS: { name: string; share: number; order: StartOrder }[] = [
  { name: 'moved halfway, idle-first', share: 0.5, order: 'idle-first' },
  { name: 'moved halfway, traffic-first', share: 0.5, order: 'traffic-first' },
  { name: 'moved all the way, idle-first', share: 1, order: 'idle-first' },
  { name: 'real, idle-first', share: 0, order: 'idle-first' },
  { name: 'real, traffic-first', share: 0, order: 'traffic-first' },
];

/** A view's row in the table: named by what it does (its cut differs per model). */
const rowName = (v: BeforeChangeView | undefined): string => (v === undefined ? 'nothing (as shipped)' : v.name.replace(/ \([^)]*\)$/, ''));

type Rows = Map<string, { tot: StateScore[]; worst: number[] }>;

function add(rows: Rows, v: BeforeChangeView | undefined, col: number, cols: number, s: StateScore): void {
  const row = rows.get(rowName(v)) ?? { tot: Array.from({ length: cols }, emptyScore), worst: Array.from({ length: cols }, () => 1) };
  row.tot[col] = addScores(row.tot[col]!, s);
  row.worst[col] = Math.min(row.worst[col]!, s.answered > 0 ? s.correct / s.answered : 1);
  rows.set(rowName(v), row);
}

const known = (runs: Iterable<Fingerprint[]>): KnownRouter => {
  const fps = [...runs];
  return { idle: fps.flatMap((run) => run.filter((_, i) => IDLE_ROWS(i))), processing: fps.flatMap((run) => run.filter((_, i) => PROC_ROWS(i))) };
};

/**
 * Each candidate view withholds the model rule's "processing" while the run's own levels have
 * not taken over; scored on the left-out router (leave-one-router-out models in `loro`), the
 * view's cuts set on the calibration routers alone; and on OpenNetVM (traffic throughout),
 * calibrated on its other run and the on-off runs.
 */
export async function beforeChangeTable(datasets: string, onoff: Map<string, Runs>, loro: Map<string, Model>, say: Say): Promise<void> {
  say('Before the first change: each view withholds the model\'s "processing" (answers the run\'s own levels have not yet taken over) where it says the interval may be an unknown router\'s idle; its cut is set on the calibration routers alone. Precision / answered over all scored seconds of the four left-out routers (lowest router\'s precision); OpenNetVM: answered (all right) on the run the model was not calibrated on, both ways. The engine runs as shipped, the view only withholds (a model taught on the router answers from its own idle range, not asked here).');
  say();
  const cols = GROUPS.length + 1;
  const rows: Rows = new Map();
  for (const r of ONOFF_ROUTERS) {
    const model = loro.get(r)!;
    const views = [undefined, ...beforeChangeViews(model, ONOFF_ROUTERS.filter((x) => x !== r).map((x) => known(onoff.get(x)!.values())))];
    const sessions = GROUPS.map((g) => {
      const shift = g.share > 0 ? busyIdleRouterShift(onoff, r, g.share) : {};
      return onoffSessions([...onoff.get(r)!.values()].map((fps) => fps.map((fp) => applyShift(fp, shift))), g.order);
    });
    for (const v of views) GROUPS.forEach((_, k) => add(rows, v, k, cols, scoreWithView(model, sessions[k]!, v)));
  }
  const dir = (run: string) => rel(datasets, `opennetvm-bridge/${run}`);
  const fps = async (run: string) => (await readAllIntervals(path.join(dir(run), 'bridge.csv'))).map(fingerprint);
  const lightClean = ONOFF_ROUTERS.flatMap((r) => onoffRows(rel(datasets, `itc21/on-off/${r}.csv`), r, { cleanUpToPps: CLEAN_UP_TO_PPS }));
  for (const [train, judged] of [['exp-2', 'exp-7'], ['exp-7', 'exp-2']] as const) {
    const t = await fps(train);
    const model = await calibrateRows([...lightClean, ...(await onvmRows(dir(train), path.join(dir(train), 'bridge.csv'), t.map((x) => x.t)))], datasets);
    const onvmKnown: KnownRouter = { idle: [], processing: t };
    const views = [undefined, ...beforeChangeViews(model, [...ONOFF_ROUTERS.map((x) => known(onoff.get(x)!.values())), onvmKnown])];
    const session: Session[] = [(await fps(judged)).map((fp) => ({ fp, truth: 'processing' as const }))];
    for (const v of views) add(rows, v, GROUPS.length, cols, scoreWithView(model, session, v));
  }
  say(`| withholds "processing" when | ${GROUPS.map((g) => g.name).join(' | ')} | OpenNetVM, the other run |`);
  say(`|---|${GROUPS.map(() => '---').join('|')}|---|`);
  for (const [name, row] of rows) {
    const cells = row.tot.slice(0, GROUPS.length).map((s, k) => `${f(ratio(s.correct, s.answered))} / ${pct(s.answered / s.total)} (${f(row.worst[k]!)})`);
    const onvm = row.tot[GROUPS.length]!;
    say(`| ${name} | ${cells.join(' | ')} | ${pct(onvm.answered / onvm.total)}${onvm.correct < onvm.answered ? ` (${onvm.answered - onvm.correct} wrong)` : ''} |`);
  }
}
