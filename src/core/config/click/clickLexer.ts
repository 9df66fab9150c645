import type { ConfigDiagnostic } from '../sourceText.ts';
import { LineIndex, at } from '../sourceText.ts';

/**
 * Tokens of the Click configuration language, as Click's own lexer cuts them:
 * words may hold letters, digits, `_`, `@` and inner `/` (compound paths such as
 * `rt/lookup`); `$name` is a variable; `->`, `=>`, `~>` connect; `::` declares;
 * `//` and `/* *\/` are comments, and a `#` at the start of a line is a
 * preprocessor line directive (skipped).
 */
export type TokenKind =
  | 'ident'
  | 'variable'
  | '->'
  | '=>'
  | '~>'
  | '::'
  | '||'
  | '...'
  | '('
  | ')'
  | '['
  | ']'
  | '{'
  | '}'
  | ','
  | ';'
  | '|'
  | '-'
  | 'other'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/** The raw configuration string between an element's parentheses. */
export interface ConfigText {
  text: string;
  start: number;
  end: number;
  /** False when the closing parenthesis was missing and the string was cut short. */
  closed: boolean;
}

const SINGLE: Record<string, TokenKind> = {
  '(': '(',
  ')': ')',
  '[': '[',
  ']': ']',
  '{': '{',
  '}': '}',
  ',': ',',
  ';': ';',
  '|': '|',
  '-': '-',
};

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_@]/.test(c);
}

export class ClickLexer {
  private pos = 0;
  private peeked: Token | undefined;
  readonly lines: LineIndex;

  constructor(
    readonly text: string,
    private readonly diagnostics: ConfigDiagnostic[],
  ) {
    this.lines = new LineIndex(text);
  }

  error(start: number, end: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ severity, message, range: this.lines.range(start, end) });
  }

  /** Lexer state, for the parser's rare look-ahead past one token. */
  mark(): { pos: number; peeked: Token | undefined; diagnostics: number } {
    return { pos: this.pos, peeked: this.peeked, diagnostics: this.diagnostics.length };
  }

  reset(m: { pos: number; peeked: Token | undefined; diagnostics: number }): void {
    this.pos = m.pos;
    this.peeked = m.peeked;
    this.diagnostics.length = m.diagnostics;
  }

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Consumes the next token if it has this kind. */
  accept(kind: TokenKind): Token | undefined {
    return this.peek().kind === kind ? this.next() : undefined;
  }

  /**
   * Reads a configuration string after its `(` (already consumed), up to the
   * matching `)`, which is left for the caller. Parentheses nest; quotes and
   * comments may hold parentheses. When the `)` is missing, reports it at the
   * `(` and cuts the string where the next statement seems to start, so the
   * rest of the file is still parsed.
   */
  readConfig(open: Token): ConfigText {
    if (this.peeked) throw new Error('readConfig after peek');
    const s = this.text;
    const start = this.pos;
    let depth = 1;
    let i = start;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) {
          this.pos = i;
          return { text: s.slice(start, i), start, end: i, closed: true };
        }
      } else if (c === '/' && s[i + 1] === '/') {
        i = this.lineEnd(i);
        continue;
      } else if (c === '/' && s[i + 1] === '*') {
        const close = s.indexOf('*/', i + 2);
        i = close < 0 ? s.length : close + 2;
        continue;
      } else if (c === '"' || c === "'") {
        i = this.skipQuote(i);
        continue;
      }
      i++;
    }
    const cut = this.recoveryPoint(start);
    const where = this.lines.position(open.start);
    this.error(open.start, open.end, `unbalanced parentheses: '(' at ${at(where)} is never closed; the configuration string is read up to ${at(this.lines.position(cut))}`);
    this.pos = cut;
    return { text: s.slice(start, cut), start, end: cut, closed: false };
  }

  /** Where an unclosed configuration string most likely ends: before the next `;`, connector or declaration. */
  private recoveryPoint(start: number): number {
    const s = this.text;
    const lineEnd = this.lineEnd(start);
    for (let i = start; i < s.length; i++) {
      const c = s[i]!;
      if (c === '"' || c === "'") {
        // Skip well-formed strings only: an unterminated one is more likely a missing quote.
        const close = this.quoteEnd(i);
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
        return j > lineEnd ? lineEnd : j;
      }
    }
    return lineEnd;
  }

  private lineEnd(i: number): number {
    const s = this.text;
    while (i < s.length && s[i] !== '\n' && s[i] !== '\r') i++;
    return i;
  }

  /** Index just past a string closed on its own line, or -1. */
  private quoteEnd(i: number): number {
    const s = this.text;
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
  private skipQuote(i: number): number {
    const s = this.text;
    const q = s[i]!;
    for (let j = i + 1; j < s.length; j++) {
      const c = s[j]!;
      if (c === '\\' && q === '"') {
        j++;
        continue;
      }
      if (c === q) return j + 1;
      if (c === '\n' || c === '\r') {
        this.error(i, j, `unterminated string: ${q} at ${at(this.lines.position(i))} is not closed on its line`);
        return j;
      }
    }
    this.error(i, s.length, `unterminated string: ${q} at ${at(this.lines.position(i))} is never closed`);
    return s.length;
  }

  private skipTrivia(): void {
    const s = this.text;
    for (;;) {
      while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++;
      if (s.startsWith('//', this.pos)) this.pos = this.lineEnd(this.pos);
      else if (s.startsWith('/*', this.pos)) {
        const close = s.indexOf('*/', this.pos + 2);
        if (close < 0) {
          this.error(this.pos, this.pos + 2, `unterminated comment: '/*' at ${at(this.lines.position(this.pos))} is never closed`);
          this.pos = s.length;
        } else this.pos = close + 2;
      } else if (s[this.pos] === '#' && (this.pos === 0 || s[this.pos - 1] === '\n' || s[this.pos - 1] === '\r')) {
        this.pos = this.lineEnd(this.pos);
      } else return;
    }
  }

  /**
   * Where an unclosed `{` most likely ends: its body is indented, so the first
   * later line that starts in column 1 begins the next top-level statement.
   * The lexer then yields an empty `}` there, and the parser reports the brace.
   */
  recoverUnclosedBraces(): void {
    const probe = new ClickLexer(this.text, []);
    const open: Token[] = [];
    for (let t = probe.next(); t.kind !== 'eof'; t = probe.next()) {
      if (t.kind === '{') open.push(t);
      else if (t.kind === '}') open.pop();
      else if (t.kind === '(') {
        probe.readConfig(t);
        probe.accept(')');
      }
    }
    for (const brace of open) {
      const openLine = this.lines.position(brace.start).line;
      const first = this.firstTokenAfterLine(brace.end, openLine);
      if (first === undefined || this.lines.position(first).column === 1) continue;
      for (let p = first; p < this.text.length; ) {
        const q = this.nextLineStart(p);
        if (q >= this.text.length) break;
        const c = this.text[q]!;
        if (!/\s/.test(c) && !this.text.startsWith('//', q) && !this.text.startsWith('/*', q) && c !== '#' && c !== '}') {
          this.virtualCloses.add(q);
          break;
        }
        p = q;
      }
    }
  }

  private readonly virtualCloses = new Set<number>();

  private nextLineStart(i: number): number {
    const e = this.lineEnd(i);
    if (this.text[e] === '\r' && this.text[e + 1] === '\n') return e + 2;
    return e + 1;
  }

  private firstTokenAfterLine(from: number, line: number): number | undefined {
    const probe = new ClickLexer(this.text, []);
    probe.pos = from;
    for (let t = probe.next(); t.kind !== 'eof'; t = probe.next()) if (this.lines.position(t.start).line > line) return t.start;
    return undefined;
  }

  private scan(): Token {
    this.skipTrivia();
    const s = this.text;
    const start = this.pos;
    if (this.virtualCloses.delete(start)) return { kind: '}', text: '', start, end: start };
    if (start >= s.length) return { kind: 'eof', text: '', start, end: start };
    const c = s[start]!;
    const tok = (kind: TokenKind, len: number): Token => {
      this.pos = start + len;
      return { kind, text: s.slice(start, start + len), start, end: start + len };
    };
    if (isWordChar(c)) {
      let i = start + 1;
      for (;;) {
        while (isWordChar(s[i])) i++;
        if (s[i] === '/' && isWordChar(s[i + 1])) {
          i++;
          continue;
        }
        break;
      }
      return tok('ident', i - start);
    }
    if (c === '$') {
      let i = start + 1;
      if (s[i] === '{') {
        const close = s.indexOf('}', i);
        if (close > 0) return tok('variable', close + 1 - start);
      }
      while (i < s.length && /[A-Za-z0-9_]/.test(s[i]!)) i++;
      if (i > start + 1) return tok('variable', i - start);
    }
    const two = s.slice(start, start + 2);
    if (two === '->' || two === '=>' || two === '::' || two === '||') return tok(two, 2);
    if (s.startsWith('...', start)) return tok('...', 3);
    if (c === '~') {
      // FastClick's context arrow: `~>` or `~name>`.
      let i = start + 1;
      while (i < s.length && /[A-Za-z0-9/]/.test(s[i]!)) i++;
      if (s[i] === '>') return tok('~>', i + 1 - start);
    }
    const single = SINGLE[c];
    return tok(single ?? 'other', 1);
  }
}
