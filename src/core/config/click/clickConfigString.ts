import { at, type LineIndex } from '../sourceText.ts';
import { isWordChar, lineEnd } from './clickText.ts';

/** The raw configuration string between an element's parentheses. */
export interface ConfigText {
  text: string;
  start: number;
  end: number;
  /** False when the closing parenthesis was missing and the string was cut short. */
  closed: boolean;
}

type Report = (start: number, end: number, message: string) => void;

/**
 * Reads a configuration string from `start` (just after its `(`, at `openStart`..`openEnd`)
 * up to the matching `)`, which is not part of it: its `end` is where the `)` is.
 * Parentheses nest; quotes and comments may hold parentheses. When the `)` is missing,
 * reports it at the `(` and cuts the string where the next statement seems to start,
 * so the rest of the file is still parsed.
 */
export function readConfigString(s: string, start: number, openStart: number, openEnd: number, lines: LineIndex, report: Report): ConfigText {
  let depth = 1;
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return { text: s.slice(start, i), start, end: i, closed: true };
    } else if (c === '/' && s[i + 1] === '/') {
      i = lineEnd(s, i);
      continue;
    } else if (c === '/' && s[i + 1] === '*') {
      const close = s.indexOf('*/', i + 2);
      i = close < 0 ? s.length : close + 2;
      continue;
    } else if (c === '"' || c === "'") {
      i = skipQuote(s, i, lines, report);
      continue;
    }
    i++;
  }
  const cut = recoveryPoint(s, start);
  const where = lines.position(openStart);
  report(openStart, openEnd, `unbalanced parentheses: '(' at ${at(where)} is never closed; the configuration string is read up to ${at(lines.position(cut))}`);
  return { text: s.slice(start, cut), start, end: cut, closed: false };
}

/** Where an unclosed configuration string most likely ends: before the next `;`, connector or declaration. */
function recoveryPoint(s: string, start: number): number {
  const end = lineEnd(s, start);
  for (let i = start; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'") {
      // Skip well-formed strings only: an unterminated one is more likely a missing quote.
      const close = quoteEnd(s, i);
      if (close > 0) i = close - 1;
      continue;
    }
    if (c === ';' || c === '}') return i;
    const two = s.slice(i, i + 2);
    if (two === '->' || two === '=>' || two === '::') {
      // Keep the element name before `::` out of the string.
      let j = i;
      if (two === '::') {
        while (j > start && /\s/.test(s[j - 1]!)) j--;
        while (j > start && isWordChar(s[j - 1])) j--;
      }
      return j > end ? end : j;
    }
  }
  return end;
}

/** Index just past a string closed on its own line, or -1. */
function quoteEnd(s: string, i: number): number {
  const q = s[i]!;
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\' && q === '"') j++;
    else if (c === q) return j + 1;
    else if (c === '\n' || c === '\r') return -1;
  }
  return -1;
}

/** Index just past a quoted string starting at `i`; an unterminated one ends at its line's end. */
function skipQuote(s: string, i: number, lines: LineIndex, report: Report): number {
  const q = s[i]!;
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\' && q === '"') {
      j++;
      continue;
    }
    if (c === q) return j + 1;
    if (c === '\n' || c === '\r') {
      report(i, j, `unterminated string: ${q} at ${at(lines.position(i))} is not closed on its line`);
      return j;
    }
  }
  report(i, s.length, `unterminated string: ${q} at ${at(lines.position(i))} is never closed`);
  return s.length;
}
