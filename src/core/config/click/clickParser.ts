import type { ConfigDiagnostic, SourceRange } from '../sourceText.ts';
import { at } from '../sourceText.ts';
import { findDevices } from './clickDevices.ts';
import { readDirective } from './clickDirectives.ts';
import { ElementResolver } from './clickElements.ts';
import type { Token } from './clickLexer.ts';
import { ClickLexer } from './clickLexer.ts';
import { readPorts } from './clickPorts.ts';
import { describeToken, type Arrow, type Endpoint, type ParseContext, type RawEndpoint, type Scope } from './clickSyntax.ts';
import type { ClickConfig, ClickConnection } from './clickTypes.ts';

/**
 * Parses a Click / FastClick configuration the way Click's lexer reads it:
 * declarations (`name :: Class(config)`, `a, b :: Class`), connection chains
 * with anonymous elements and ports (`a[1] -> [0]b`, port lists `[0,1]` and
 * ranges `[0-3]`), `elementclass` compounds (formals, `input`/`output`,
 * implicit `[0] ->` ports, overloads with `||`), `require`, `provide`,
 * `define`. Statements, compounds and connection chains are read here; turning
 * chain items into elements is clickElements.ts, ports clickPorts.ts, directives
 * clickDirectives.ts. Click decides "element or class?" for a bare word by looking up
 * the classes it knows; without that list, a bare word is an element when it
 * was declared before, and a class otherwise.
 *
 * Never throws: syntax errors (unbalanced parentheses/braces/brackets, stray
 * tokens, unterminated strings and comments) become diagnostics, and parsing
 * resumes at the next statement.
 */
export function parseClickConfig(text: string): ClickConfig {
  return new ClickParser(text).parse();
}

const ARROWS = new Set(['->', '=>', '~>']);

class ClickParser implements ParseContext {
  private readonly diagnostics: ConfigDiagnostic[] = [];
  readonly lx: ClickLexer;
  readonly out: ClickConfig;
  private readonly elements = new ElementResolver(this);
  private anonymousCompounds = 0;

  constructor(text: string) {
    this.lx = new ClickLexer(text, this.diagnostics);
    this.out = { elements: [], connections: [], elementClasses: [], directives: [], defines: [], devices: [], diagnostics: this.diagnostics };
  }

  parse(): ClickConfig {
    this.lx.recoverUnclosedBraces();
    const top: Scope = { isCompound: false, names: new Map(), created: 0 };
    this.statements(top, 'eof');
    this.out.devices = findDevices(this.out, this.lx.lines);
    this.diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
    return this.out;
  }

  range(start: number, end: number): SourceRange {
    return this.lx.lines.range(start, end);
  }

  error(start: number, end: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.lx.error(start, end, message, severity);
  }

  /** Statements up to the closing token of the block (not consumed), or end of file. */
  private statements(scope: Scope, until: '}' | ')' | 'eof'): void {
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === 'eof') return;
      if (t.kind === until) return;
      if (until === '}' && t.kind === '||') return;
      this.statement(scope);
    }
  }

  private statement(scope: Scope): void {
    const t = this.lx.peek();
    if (t.kind === ';') {
      this.lx.next();
      return;
    }
    if (t.kind === 'ident') {
      if (t.text === 'elementclass') return this.elementclass(scope);
      if (t.text === 'require' || t.text === 'provide' || t.text === 'define') return readDirective(this);
    }
    if (t.kind === 'ident' || t.kind === '[' || t.kind === '{' || t.kind === '(') {
      const before = t.start;
      this.connection(scope);
      // A statement that consumed nothing would loop forever: skip the token.
      if (this.lx.peek().start === before) this.skip(this.lx.next());
      return;
    }
    this.skip(this.lx.next());
  }

  private skip(t: Token): void {
    if (t.kind === ')' || t.kind === '}' || t.kind === ']') {
      const open = t.kind === ')' ? '(' : t.kind === '}' ? '{' : '[';
      this.error(t.start, t.end, `unbalanced ${t.kind === ')' ? 'parentheses' : t.kind === '}' ? 'braces' : 'brackets'}: '${t.text}' has no matching '${open}'`);
    } else this.error(t.start, t.end, `syntax error near ${describeToken(t)}`);
  }

  private elementclass(scope: Scope): void {
    const kw = this.lx.next();
    const name = this.lx.peek();
    if (name.kind !== 'ident') {
      this.error(kw.start, name.end, `'elementclass' needs a class name, found ${describeToken(name)}`);
      return;
    }
    this.lx.next();
    const cls = { name: name.text, formals: [] as string[], range: this.range(kw.start, name.end), nameRange: this.range(name.start, name.end) };
    this.out.elementClasses.push(cls);
    const t = this.lx.peek();
    if (t.kind === 'ident') {
      this.lx.next();
      Object.assign(cls, { synonymOf: t.text, range: this.range(kw.start, t.end) });
      return;
    }
    if (t.kind !== '{') {
      this.error(name.start, t.end, `elementclass ${name.text} needs a body in braces or a class name, found ${describeToken(t)}`);
      return;
    }
    const end = this.compoundBody(name.text, cls.formals, scope);
    cls.range = this.range(kw.start, end);
  }

  /** Parses `{ [formals |] statements [|| ...] }` and returns the offset after `}`. */
  private compoundBody(name: string, formals: string[], _parent: Scope): number {
    const open = this.lx.next();
    for (;;) {
      const inner: Scope = { compound: name, isCompound: true, names: new Map([['input', 'port'], ['output', 'port']]), created: 0 };
      this.lx.accept('...');
      this.formals(formals);
      this.statements(inner, '}');
      const t = this.lx.peek();
      if (t.kind === '||') {
        this.lx.next();
        continue;
      }
      const where = this.lx.lines.position(open.start);
      const what = `'{' of ${name.startsWith('@') ? 'a compound element' : name} at ${at(where)}`;
      if (t.kind === '}') {
        const close = this.lx.next();
        if (close.text === '') {
          const prev = this.lx.lines.position(close.start).line - 1;
          this.error(open.start, open.end, `unbalanced braces: ${what} is never closed; its body is taken to end at line ${prev}`);
          return close.start;
        }
        return close.end;
      }
      this.error(open.start, open.end, `unbalanced braces: ${what} is never closed`);
      return t.start;
    }
  }

  /** `$a, $b, KEYWORD $c |` at the start of a compound body. */
  private formals(into: string[]): void {
    const m = this.lx.mark();
    const found: string[] = [];
    for (;;) {
      const t = this.lx.next();
      if (t.kind === 'ident' && this.lx.peek().kind === 'variable') continue;
      if (t.kind === 'variable') {
        found.push(t.text.replace(/^\$\{?|\}$/g, ''));
        const sep = this.lx.next();
        if (sep.kind === ',') continue;
        if (sep.kind === '|') {
          into.push(...found.filter((f) => !into.includes(f)));
          return;
        }
      }
      this.lx.reset(m);
      return;
    }
  }

  private connection(scope: Scope): void {
    let left = this.endpointList(scope, true);
    if (left.length === 0) return;
    let leftEps: Endpoint[] | undefined;
    for (;;) {
      const arrow = this.lx.peek();
      if (!ARROWS.has(arrow.kind)) break;
      this.lx.next();
      leftEps ??= this.elements.resolve(scope, left, false);
      const right = this.endpointList(scope, false);
      if (right.length === 0) {
        this.error(arrow.start, arrow.end, `connection '${arrow.text}' has no element after it (found ${describeToken(this.lx.peek())})`);
        return;
      }
      const rightEps = this.elements.resolve(scope, right, false);
      for (const l of leftEps) for (const r of rightEps) this.connect(scope, l, r, (arrow.kind === '~>' ? '~>' : arrow.kind) as Arrow);
      left = right;
      leftEps = rightEps;
    }
    if (!leftEps) this.elements.resolve(scope, left, true);
  }

  private connect(scope: Scope, l: Endpoint, r: Endpoint, arrow: Arrow): void {
    if (l.name === undefined || r.name === undefined) return;
    const outs = l.raw.outPorts ?? [0];
    const ins = r.raw.inPorts ?? [0];
    const pairs: [number, number][] = [];
    if (outs.length === ins.length) outs.forEach((o, i) => pairs.push([o, ins[i]!]));
    else for (const o of outs) for (const i of ins) pairs.push([o, i]);
    for (const [fromPort, toPort] of pairs) {
      const c: ClickConnection = { from: l.name, fromPort, to: r.name, toPort, arrow, range: this.range(l.raw.start, r.raw.end) };
      if (scope.compound !== undefined) c.compound = scope.compound;
      this.out.connections.push(c);
    }
  }

  private endpointList(scope: Scope, chainStart: boolean): RawEndpoint[] {
    const list: RawEndpoint[] = [];
    for (;;) {
      const e = this.endpoint(scope, chainStart && list.length === 0 ? 'start' : chainStart ? 'list' : 'after-arrow');
      if (!e) break;
      list.push(e);
      if (!this.lx.accept(',')) break;
    }
    return list;
  }

  private endpoint(scope: Scope, position: 'start' | 'list' | 'after-arrow'): RawEndpoint | undefined {
    const first = this.lx.peek();
    const inRead = first.kind === '[' ? readPorts(this) : undefined;
    const inPorts = inRead?.ports;
    const t = this.lx.peek();
    let raw: RawEndpoint;
    if (t.kind === 'ident') {
      this.lx.next();
      raw = { kind: 'ident', start: first.start, end: t.end, ident: t, declEnd: t.end };
      if (this.lx.peek().kind === '::') {
        const colons = this.lx.next();
        const cls = this.lx.peek();
        if (cls.kind === 'ident') {
          this.lx.next();
          raw.declClass = cls;
          raw.end = raw.declEnd = cls.end;
        } else if (cls.kind === '{') {
          const name = `@compound${++this.anonymousCompounds}`;
          raw.declEnd = raw.end = this.compoundBody(name, [], scope);
          raw.declClass = { kind: 'ident', text: name, start: cls.start, end: raw.end };
        } else this.error(colons.start, colons.end, `missing element class after '::' (found ${describeToken(cls)})`);
      }
      this.configString(raw);
    } else if (t.kind === '{') {
      const name = `@compound${++this.anonymousCompounds}`;
      const end = this.compoundBody(name, [], scope);
      raw = { kind: 'compound', start: first.start, end, declEnd: end, compoundName: name, ident: { kind: 'ident', text: name, start: t.start, end } };
      this.configString(raw);
    } else if (t.kind === '(' && inPorts === undefined) {
      this.lx.next();
      this.statements(scope, ')');
      const close = this.lx.accept(')');
      if (!close) this.error(t.start, t.end, `unbalanced parentheses: group '(' at ${at(this.lx.lines.position(t.start))} is never closed`);
      raw = { kind: 'group', start: t.start, end: close ? close.end : this.lx.peek().start, declEnd: 0 };
    } else if (inRead !== undefined && scope.isCompound) {
      // `[0] -> x` / `x -> [1]` in a compound: the compound's own input/output ports.
      raw = { kind: 'implicit', start: first.start, end: first.start, declEnd: 0 };
      if (position === 'after-arrow') raw.inPorts = inRead.ports;
      else raw.outPorts = inRead.ports;
      raw.ident = { kind: 'ident', text: position === 'after-arrow' ? 'output' : 'input', start: first.start, end: first.start };
      raw.end = inRead.end;
      return raw;
    } else {
      if (inPorts !== undefined) this.error(first.start, first.end, `port ${describeToken(first)} is not followed by an element`);
      return undefined;
    }
    if (inPorts !== undefined && raw.kind !== 'implicit') raw.inPorts = inPorts;
    if (this.lx.peek().kind === '[') {
      const out = readPorts(this);
      raw.outPorts = out.ports;
      raw.end = out.end;
    }
    return raw;
  }

  private configString(raw: RawEndpoint): void {
    const open = this.lx.peek();
    if (open.kind !== '(') return;
    this.lx.next();
    const cfg = this.lx.readConfig(open);
    raw.config = cfg;
    const close = this.lx.accept(')');
    raw.end = raw.declEnd = close ? close.end : cfg.end;
  }
}
