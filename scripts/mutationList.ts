/**
 * The changes of scripts/mutations.ts: each replaces one unique piece of text in one
 * source file with a version that means something else, and names the unit test
 * files that must then fail (the ones about that meaning, and the module's own).
 */
export interface Mutation {
  name: string;
  file: string;
  find: string;
  replace: string;
  tests: string[];
}

const LOSS = ['test/unit/inference/lossMeaning.test.ts', 'test/unit/inference/engine.test.ts'];
const FIT = ['test/unit/calibration/fitMeaning.test.ts', 'test/unit/calibration/ownIdle.test.ts', 'test/unit/calibration/counterLabels.test.ts'];
const STATE = ['test/unit/inference/stateGates.test.ts', 'test/unit/inference/levelSteps.test.ts', 'test/unit/inference/engine.test.ts'];
const DELTAS = ['test/unit/counters/countGuards.test.ts', 'test/unit/counters/counters.test.ts'];
const CSV = ['test/unit/perf/csvDigitsMeaning.test.ts', 'test/unit/perf/fastPath.test.ts', 'test/unit/perf/fastPathLines.test.ts'];

const LOSS_SCORE = 'src/core/inference/lossDetector.ts';
const ENGINE = 'src/core/inference/engine.ts';
const FIT_STATE = 'src/core/calibration/fitState.ts';
const FIT_LOSS = 'src/core/calibration/fitLoss.ts';
const DETECTOR = 'src/core/inference/stateDetector.ts';
const LEVELS = 'src/core/inference/levelTracker.ts';
const DELTA = 'src/core/counters/deltas.ts';
const FAST_PATH = 'src/core/perf/csvFastPath.ts';
const COUNTED = "const COUNTED = ['rx', 'tx', 'dropped', 'rxBytes', 'txBytes'] as const;";

export const MUTATIONS: Mutation[] = [
  { name: "the loss score's bias dropped", file: LOSS_SCORE, find: 'let s = m.bias;', replace: 'let s = 0;', tests: LOSS },
  { name: 'the loss threshold 0 → 1', file: ENGINE, find: "else out.loss = score > 0 ? 'lossy' : 'clean';", replace: "else out.loss = score > 1 ? 'lossy' : 'clean';", tests: LOSS },
  { name: 'idle allowed to be lossy', file: ENGINE, find: "if (st.state === 'idle') out.loss = 'clean';", replace: "if (st.state === 'idle') out.loss = score > 0 ? 'lossy' : 'clean';", tests: LOSS },
  {
    name: 'no class balancing in the state fit',
    file: FIT_STATE,
    find: "const w = labelled.map((s) => (s.state === 'processing' ? labelled.length / (2 * nProc) : labelled.length / (2 * nIdle)));",
    replace: 'const w = labelled.map(() => 1);',
    tests: FIT,
  },
  {
    name: 'no group weights in the loss fit',
    file: FIT_LOSS,
    find: 'const rowWeights = labelled.map(({ s }) => labelled.length / (sizes.size * sizes.get(groupOf(s))!));',
    replace: 'const rowWeights = labelled.map(() => 1);',
    tests: FIT,
  },
  { name: 'an all-lossy training set accepted', file: FIT_LOSS, find: 'if (nLossy === 0 || nLossy === labelled.length) return null;', replace: 'if (nLossy === 0) return null;', tests: FIT },
  { name: 'MIN_OWN_IDLE 5 → 1', file: FIT_STATE, find: 'const MIN_OWN_IDLE = 5;', replace: 'const MIN_OWN_IDLE = 1;', tests: FIT },
  {
    name: "counter-labelled samples not marked as the router's own",
    file: 'src/core/calibration/counterSamples.ts',
    find: 'state: label.state, own: true };',
    replace: 'state: label.state };',
    tests: FIT,
  },
  { name: 'the coverage gate at 0.1', file: DETECTOR, find: 'if (coverage < 0.5)', replace: 'if (coverage < 0.1)', tests: STATE },
  { name: 'the coverage gate removed', file: DETECTOR, find: 'if (coverage < 0.5)', replace: 'if (coverage < 0)', tests: STATE },
  { name: 'MIN_EVIDENCE 1 → 0', file: DETECTOR, find: 'const MIN_EVIDENCE = 1;', replace: 'const MIN_EVIDENCE = 0;', tests: STATE },
  { name: 'CLOSE 0.6 → 1.2', file: DETECTOR, find: 'const CLOSE = 0.6;', replace: 'const CLOSE = 1.2;', tests: STATE },
  { name: 'the idle band 0.3 → 0.45', file: DETECTOR, find: 'idleBand: 0.3,', replace: 'idleBand: 0.45,', tests: [...STATE, 'test/unit/model/levelDefaults.test.ts'] },
  {
    name: 'the idle floor allowed to move up',
    file: LEVELS,
    find: 'if (!vetoed && (this.floorLevel === undefined || lowerLevel < this.floorLevel))',
    replace: 'if (!vetoed)',
    tests: STATE,
  },
  { name: 'the median window 30 → 3', file: LEVELS, find: 'const KEEP = 30;', replace: 'const KEEP = 3;', tests: STATE },
  { name: 'a restart seen only in tx missed', file: DELTA, find: COUNTED, replace: "const COUNTED = ['rx', 'dropped', 'rxBytes', 'txBytes'] as const;", tests: DELTAS },
  { name: 'a restart seen only in dropped missed', file: DELTA, find: COUNTED, replace: "const COUNTED = ['rx', 'tx', 'rxBytes', 'txBytes'] as const;", tests: DELTAS },
  { name: 'byte deltas going negative', file: DELTA, find: COUNTED, replace: "const COUNTED = ['rx', 'tx', 'dropped'] as const;", tests: DELTAS },
  { name: 'the CSV fast path at 16 significant digits', file: FAST_PATH, find: 'else if (digits > 15)', replace: 'else if (digits > 16)', tests: CSV },
  { name: 'the CSV fast path at 17 significant digits', file: FAST_PATH, find: 'else if (digits > 15)', replace: 'else if (digits > 17)', tests: CSV },
];
