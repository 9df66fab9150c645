import { setFlagsFromString } from 'node:v8';

/** Command lines are matched on their first 64 KiB: bounds the work per process and poll. */
export const MAX_MATCHED_CHARS = 65_536;

export class PatternError extends Error {}

export type Matcher = (text: string) => boolean;

let linearEngine: boolean | undefined;
/** The linear-engine flag; a variable so linters that do not know it leave it alone. */
const LINEAR = 'l';

/**
 * V8's linear-time regular expression engine (the `l` flag): a pattern can take no
 * longer than the text it reads, so `(a|aa)+$` on a hostile command line cannot hang
 * the exporter. It is behind a V8 flag that is safe to turn on at run time.
 */
function hasLinearEngine(): boolean {
  if (linearEngine === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      linearEngine = new RegExp('a', LINEAR).flags.includes(LINEAR);
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/**
 * A `--match` pattern, compiled so that it runs in time linear in the text: with
 * V8's linear engine where it exists; elsewhere only patterns without nested or
 * ambiguous repetition are accepted. Backreferences and lookarounds are refused.
 */
export function compileRegexMatcher(source: string): Matcher {
  let plain: RegExp;
  try {
    plain = new RegExp(source);
  } catch (e) {
    throw new PatternError(`not a regular expression: ${(e as Error).message}`);
  }
  let re = plain;
  if (hasLinearEngine()) {
    try {
      re = new RegExp(source, LINEAR);
    } catch {
      throw new PatternError(`${JSON.stringify(source)} uses backreferences or lookarounds, which cannot be matched in bounded time; write it without them, or use a glob (--cmdline GLOB)`);
    }
  } else {
    const why = backtrackingRisk(source);
    if (why) throw new PatternError(`${JSON.stringify(source)} ${why}, which can take exponential time on a hostile command line; simplify it, or use a glob (--cmdline GLOB)`);
  }
  return (text) => re.test(text.length > MAX_MATCHED_CHARS ? text.slice(0, MAX_MATCHED_CHARS) : text);
}

/** Why a pattern may backtrack catastrophically: a repeated group that holds a repetition or an alternation, or a backreference. */
export function backtrackingRisk(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'has a backreference';
  if (/\(\?<?[=!]/.test(source)) return 'has a lookaround';
  // Walk the groups: a group that contains a quantifier or '|' and is itself quantified.
  const stack: { risky: boolean }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // Skip a character class.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '(') stack.push({ risky: false });
    else if (c === '|' || c === '*' || c === '+' || c === '?' || c === '{') {
      if (c === '?' && source[i - 1] === '(') continue;
      if (stack.length > 0) stack[stack.length - 1]!.risky = true;
    } else if (c === ')') {
      const g = stack.pop();
      const next = source[i + 1];
      const quantified = next === '*' || next === '+' || next === '{';
      if (g?.risky && quantified) return 'repeats a group that itself repeats or alternates';
      if (g?.risky && stack.length > 0) stack[stack.length - 1]!.risky = true;
    }
  }
  return undefined;
}

/**
 * A glob (`*` any run of characters, `?` one, everything else literal) matched
 * against the whole text, in O(text × pattern) time at worst: no regular expression.
 */
export function compileGlobMatcher(glob: string): Matcher {
  return (full) => {
    const text = full.length > MAX_MATCHED_CHARS ? full.slice(0, MAX_MATCHED_CHARS) : full;
    let t = 0;
    let g = 0;
    let star = -1;
    let mark = 0;
    while (t < text.length) {
      if (g < glob.length && (glob[g] === '?' || (glob[g] !== '*' && glob[g] === text[t]))) {
        t++;
        g++;
      } else if (g < glob.length && glob[g] === '*') {
        star = g++;
        mark = t;
      } else if (star >= 0) {
        g = star + 1;
        t = ++mark;
      } else return false;
    }
    while (g < glob.length && glob[g] === '*') g++;
    return g === glob.length;
  };
}
