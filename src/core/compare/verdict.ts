import { DERIVED_METRICS } from '../fingerprint/derivedMetrics.ts';
import type { FeatureComparison } from './featureComparison.ts';
import { HEADLINE, importance } from './ranking.ts';
import { describeChange } from './wording.ts';

/** Events that say the same thing; the verdict names one of each group. */
const SAME_STORY: readonly (readonly string[])[] = [
  ['task-clock', 'cpu-clock'],
  ['cycles-per-packet', 'cpu-ns-per-packet'],
  ['branch-misses', 'branch-load-misses'],
  ['cycles', 'ref-cycles', 'bus-cycles'],
  ['page-faults', 'minor-faults'],
  ['L1-dcache-stores', 'dTLB-stores'],
];

const MAX_NAMED = 3;
/** Of the named differences, how many may come from the headline features before the largest others. */
const MAX_HEADLINE = 2;

export function buildVerdict(
  features: readonly FeatureComparison[],
  opts: { alpha: number; adjust: 'holm' | 'bh'; minRelativeDifference: number },
): { verdict: string; highlights: string[] } {
  const tested = features.filter((f) => !Number.isNaN(f.p));
  const different = tested.filter((f) => f.different).sort((x, y) => importance(y) - importance(x));
  const how = `${opts.adjust === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}-adjusted p < ${opts.alpha}`;
  const minPct = `${+(opts.minRelativeDifference * 100).toFixed(2)}%`;
  if (different.length === 0) {
    const small = tested.filter((f) => f.significant && !f.material).length;
    const note = small > 0 ? `; ${small} differ${small === 1 ? 's' : ''} by less than ${minPct}` : '';
    return {
      verdict: `No significant difference between A and B: none of the ${tested.length} features compared differs by ${minPct} or more with ${how}${note}.`,
      highlights: [],
    };
  }
  const named: FeatureComparison[] = [];
  const pick = (candidates: FeatureComparison[], limit: number) => {
    for (const f of candidates) {
      if (named.length >= limit) return;
      if (!named.includes(f) && !repeats(f, named, different)) named.push(f);
    }
  };
  // What an engineer reads first (instructions, IPC, branch misses, …, in that order), then the largest other changes.
  pick(
    HEADLINE.map((h) => different.find((f) => f.feature === h)).filter((f): f is FeatureComparison => f !== undefined),
    MAX_HEADLINE,
  );
  pick(different, MAX_NAMED);
  const phrases = named.map((f) => describeChange(f.feature, f.ratio, f.kind === 'derived'));
  const list = phrases.length === 1 ? phrases[0]! : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]!}`;
  return {
    verdict: `Compared with A, B ${list} (${different.length} of ${tested.length} features differ significantly).`,
    highlights: named.map((f) => f.feature),
  };
}

/**
 * True when `f` would tell the same story as a feature already named: a
 * synonym event, or a ratio and its numerator when the denominator did not
 * change (IPC and instructions at a constant cycle rate).
 */
function repeats(f: FeatureComparison, named: readonly FeatureComparison[], different: readonly FeatureComparison[]): boolean {
  const group = SAME_STORY.find((g) => g.includes(f.feature));
  if (group && named.some((n) => group.includes(n.feature))) return true;
  const changed = (name: string) => different.some((d) => d.feature === name);
  for (const n of named) {
    const pair = DERIVED_METRICS.find((m) => (m.name === f.feature && m.numerator === n.feature) || (m.name === n.feature && m.numerator === f.feature));
    if (pair && !changed(pair.denominator)) return true;
  }
  return false;
}
