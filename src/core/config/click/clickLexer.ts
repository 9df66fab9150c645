import type { ConfigDiagnostic } from '../sourceText.ts';
import { LineIndex, at } from '../sourceText.ts';
import { readConfigString, type ConfigText } from './clickConfigString.ts';
import { isWordChar, lineEnd } from './clickText.ts';

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

/**
 * Cuts the text into tokens on demand (`peek`, `next`). Configuration strings are read
 * raw (clickConfigString.ts); an unclosed `{` gets a virtual `}` where its body most
 * likely ends (`recoverUnclosedBraces`).
 */
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
   * matching `)`, which is left for the caller (see readConfigString).
   */
  readConfig(open: Token): ConfigText {
    if (this.peeked) throw new Error('readConfig after peek');
    const cfg = readConfigString(this.text, this.pos, open.start, open.end, this.lines, (start, end, message) => this.error(start, end, message));
    this.pos = cfg.end;
    return cfg;
  }

  private skipTrivia(): void {
    const s = this.text;
    for (;;) {
      while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++;
      if (s.startsWith('//', this.pos)) this.pos = lineEnd(s, this.pos);
      else if (s.startsWith('/*', this.pos)) {
        const close = s.indexOf('*/', this.pos + 2);
        if (close < 0) {
          this.error(this.pos, this.pos + 2, `unterminated comment: '/*' at ${at(this.lines.position(this.pos))} is never closed`);
          this.pos = s.length;
        } else this.pos = close + 2;
      } else if (s[this.pos] === '#' && (this.pos === 0 || s[this.pos - 1] === '\n' || s[this.pos - 1] === '\r')) {
        this.pos = lineEnd(s, this.pos);
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
    const e = lineEnd(this.text, i);
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
