import type { ConfigDiagnostic } from '../sourceText.ts';
import { LineIndex, at } from '../sourceText.ts';

/**
 * VPP's configuration and CLI text is words separated by white space, braces
 * that group words, and `#` comments to the end of the line (a `#` starting a
 * word). Each word remembers its line, so entries can be grouped by line.
 */
export interface VppWord {
  kind: 'word' | '{' | '}';
  text: string;
  start: number;
  end: number;
  line: number;
}

export function vppWords(text: string, lines: LineIndex): VppWord[] {
  const out: VppWord[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '{' || c === '}') {
      out.push({ kind: c, text: c, start: i, end: i + 1, line: lines.position(i).line });
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      // A quoted word may hold spaces and '#' (`cli-prompt "vpp# "`); it ends at its line's end if unclosed.
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i++;
      if (text[i] === '"') i++;
    }
    while (i < text.length && !/[\s{}]/.test(text[i]!)) i++;
    out.push({ kind: 'word', text: text.slice(start, i), start, end: i, line: lines.position(start).line });
  }
  return out;
}

/** Reports braces that do not pair up; returns, per `{`, the index of its `}` (or -1). */
export function matchBraces(words: VppWord[], lines: LineIndex, diagnostics: ConfigDiagnostic[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  words.forEach((w, i) => {
    if (w.kind === '{') stack.push(i);
    else if (w.kind === '}') {
      const open = stack.pop();
      if (open === undefined) {
        diagnostics.push({ severity: 'error', message: "unbalanced braces: '}' has no matching '{'", range: lines.range(w.start, w.end) });
      } else pairs.set(open, i);
    }
  });
  for (const open of stack) {
    const w = words[open]!;
    pairs.set(open, -1);
    diagnostics.push({ severity: 'error', message: `unbalanced braces: '{' at ${at(lines.position(w.start))} is never closed`, range: lines.range(w.start, w.end) });
  }
  return pairs;
}
