/**
 * Plain-words description of a change in one feature, for the verdict:
 * ratios of 2 or more read "3x more", smaller changes read "12% fewer".
 */

interface Phrase {
  /** `{q}` is replaced by the quantity ("12% fewer", "3x more"). */
  text: string;
  /** more/fewer (counts) or higher/lower (levels and ratios). */
  words: [string, string];
}

const COUNT: [string, string] = ['more', 'fewer'];
const LEVEL: [string, string] = ['higher', 'lower'];

const PHRASES: Record<string, Phrase> = {
  instructions: { text: 'executes {q} instructions per second', words: COUNT },
  cycles: { text: 'runs {q} cycles per second', words: COUNT },
  'ref-cycles': { text: 'runs {q} reference cycles per second', words: COUNT },
  'bus-cycles': { text: 'runs {q} bus cycles per second', words: COUNT },
  branches: { text: 'executes {q} branches per second', words: COUNT },
  'branch-misses': { text: 'misses {q} branches per second', words: COUNT },
  'branch-load-misses': { text: 'misses {q} branch loads per second', words: COUNT },
  'cache-misses': { text: 'has {q} cache misses per second', words: COUNT },
  'cache-references': { text: 'makes {q} cache references per second', words: COUNT },
  'context-switches': { text: 'switches context {q} often', words: ['more', 'less'] },
  'cpu-migrations': { text: 'migrates between CPUs {q} often', words: ['more', 'less'] },
  'task-clock': { text: 'uses {q} CPU time', words: ['more', 'less'] },
  'cpu-clock': { text: 'uses {q} CPU time', words: ['more', 'less'] },
  'page-faults': { text: 'takes {q} page faults', words: COUNT },
  'minor-faults': { text: 'takes {q} minor page faults', words: COUNT },
  'major-faults': { text: 'takes {q} major page faults', words: COUNT },
  ipc: { text: 'has {q} IPC', words: LEVEL },
  'branch-miss-ratio': { text: 'mispredicts {q} of its branches', words: COUNT },
  'cache-miss-ratio': { text: 'has a {q} cache-miss ratio', words: LEVEL },
  'cycles-per-packet': { text: 'spends {q} cycles per packet', words: COUNT },
  'instructions-per-packet': { text: 'executes {q} instructions per packet', words: COUNT },
  'cpu-ns-per-packet': { text: 'spends {q} CPU time per packet', words: ['more', 'less'] },
  'packets-per-second': { text: 'receives {q} packets per second', words: COUNT },
  'drop-ratio': { text: 'drops a {q} share of what it is offered', words: LEVEL },
};

/** "3x", "2.5x", "12%", "5.3%". */
export function formatChange(ratio: number): { amount: string; up: boolean } {
  const up = ratio >= 1;
  const factor = up ? ratio : 1 / ratio;
  if (factor >= 2) {
    if (factor >= 100) {
      // Two significant digits: 11627 reads 12000x.
      const unit = 10 ** (Math.floor(Math.log10(factor)) - 1);
      return { amount: `${Math.round(factor / unit) * unit}x`, up };
    }
    const digits = factor < 10 && Math.abs(factor - Math.round(factor)) >= 0.05 ? 1 : 0;
    return { amount: `${factor.toFixed(digits)}x`, up };
  }
  const pct = Math.abs(ratio - 1) * 100;
  return { amount: `${pct < 10 ? pct.toFixed(1).replace(/\.0$/, '') : pct.toFixed(0)}%`, up };
}

/** "executes 12% fewer instructions per second" for ratio 0.88 (B / A). */
export function describeChange(feature: string, ratio: number, derived: boolean): string {
  const p = PHRASES[feature] ?? (derived ? { text: `has a {q} ${feature}`, words: LEVEL } : { text: `has {q} ${feature} per second`, words: COUNT });
  if (ratio === 0) return `counts no ${feature}`;
  if (!Number.isFinite(ratio)) return `counts ${feature} where A counts none`;
  const { amount, up } = formatChange(ratio);
  // "3x fewer" reads as a count; for levels a factor is "3x lower".
  return p.text.replace('{q}', `${amount} ${up ? p.words[0] : p.words[1]}`);
}
