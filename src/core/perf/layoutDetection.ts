import { readCsvLine } from './csvLine.ts';
import { readHumanLine } from './humanLine.ts';
import { readJsonLine } from './jsonLine.ts';
import type { LineResult } from './reading.ts';
import { separatorProblem } from './separator.ts';

export type PerfLayout = 'csv' | 'json' | 'human';

const TIME_PREFIX = /^\s*\d+\.\d+/;

/** What one line of perf's output is, read by the general readers of its layout. */
export type AnyLine =
  | { kind: 'blank' }
  /** A comment; `startedOn` is the text after `# started on` in perf's header. */
  | { kind: 'comment'; startedOn?: string }
  /** `separator` is set when this line revealed perf's `-x` separator. */
  | { kind: 'data'; layout: PerfLayout; result: LineResult; separator?: string };

/**
 * Reads a line in whichever layout it is: `-j` JSON (starts with `{`), CSV with
 * `separator` (or the separator this line shows, when none is known yet), else the
 * human-readable text.
 */
export function readAnyLine(line: string, separator: string | undefined): AnyLine {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (i === line.length) return { kind: 'blank' };
  const c = line.charCodeAt(i);
  if (c === 35 /* # */) {
    const m = /^#\s*started on\s+(.*)$/.exec(line.slice(i));
    return m ? { kind: 'comment', startedOn: m[1]!.trim() } : { kind: 'comment' };
  }
  if (c === 123 /* { */) return { kind: 'data', layout: 'json', result: readJsonLine(line) };
  if (separator !== undefined) return { kind: 'data', layout: 'csv', result: readCsvLine(line, separator) };
  const found = detectSeparator(line);
  if (found !== undefined) return { kind: 'data', layout: 'csv', result: readCsvLine(line, found), separator: found };
  return { kind: 'data', layout: 'human', result: readHumanLine(line) };
}

/** The character right after the leading interval time is the separator, unless it is blank or cannot be one. */
export function detectSeparator(line: string): string | undefined {
  const m = TIME_PREFIX.exec(line);
  if (!m) return undefined;
  const ch = line.charAt(m[0].length);
  if (ch === '' || ch === ' ' || ch === '\t' || separatorProblem(ch) !== undefined) return undefined;
  return ch;
}
