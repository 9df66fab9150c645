import type { ConfigDiagnostic } from '../sourceText.ts';
import { at } from '../sourceText.ts';
import { splitConfigArgs } from './clickArgs.ts';
import type { ConfigText, Token } from './clickLexer.ts';
import { ClickLexer } from './clickLexer.ts';
import type { ClickConfig, ClickConnection, ClickElement } from './clickTypes.ts';
import { findDevices } from './clickDevices.ts';

/**
 * Parses a Click / FastClick configuration the way Click's lexer reads it:
 * declarations (`name :: Class(config)`, `a, b :: Class`), connection chains
 * with anonymous elements and ports (`a[1] -> [0]b`, port lists `[0,1]` and
 * ranges `[0-3]`), `elementclass` compounds (formals, `input`/`output`,
 * implicit `[0] ->` ports, overloads with `||`), `require`, `provide`,
 * `define`. Click decides "element or class?" for a bare word by looking up
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

interface Scope {
  compound?: string;
  isCompound: boolean;
  names: Map<string, ClickElement | 'port'>;
  created: number;
}

type Arrow = '->' | '=>' | '~>';

/** One item of a connection chain before it is turned into an element. */
interface RawEndpoint {
  kind: 'ident' | 'implicit' | 'group' | 'compound';
  start: number;
  end: number;
  inPorts?: number[];
  outPorts?: number[];
  ident?: Token;
  declClass?: Token;
  config?: ConfigText;
  /** Offset just past the closing parenthesis (or the class/name when there is no config). */
  declEnd: number;
  compoundName?: string;
}

interface Endpoint {
  name: string | undefined;
  raw: RawEndpoint;
}

const ARROWS = new Set(['->', '=>', '~>']);

class ClickParser {
  private readonly diagnostics: ConfigDiagnostic[] = [];
  private readonly lx: ClickLexer;
  private readonly out: ClickConfig;
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

  private range(start: number, end: number) {
    return this.lx.lines.range(start, end);
  }

  private error(start: number, end: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.lx.error(start, end, message, severity);
  }

  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of file' : `'${t.text}'`;
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
      if (t.text === 'require' || t.text === 'provide' || t.text === 'define') return this.directive();
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
    } else this.error(t.start, t.end, `syntax error near ${this.describe(t)}`);
  }

  private elementclass(scope: Scope): void {
    const kw = this.lx.next();
    const name = this.lx.peek();
    if (name.kind !== 'ident') {
      this.error(kw.start, name.end, `'elementclass' needs a class name, found ${this.describe(name)}`);
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
      this.error(name.start, t.end, `elementclass ${name.text} needs a body in braces or a class name, found ${this.describe(t)}`);
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

  private directive(): void {
    const kw = this.lx.next();
    const open = this.lx.peek();
    if (open.kind !== '(') {
      this.error(kw.start, kw.end, `'${kw.text}' needs its arguments in parentheses`);
      return;
    }
    this.lx.next();
    const cfg = this.lx.readConfig(open);
    const close = this.lx.accept(')');
    const end = close ? close.end : cfg.end;
    const args = splitConfigArgs(cfg.text, cfg.start);
    if (kw.text === 'define') {
      for (const a of args) {
        const m = /^\$\{?([A-Za-z0-9_]+)\}?\s+(.*)$/s.exec(a.text) ?? /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(a.text);
        if (!m) {
          this.error(a.start, a.end, `define: expected '$NAME value', found ${JSON.stringify(a.text)}`);
          continue;
        }
        const value = m[2] ?? '';
        const valueStart = value === '' ? a.end : a.end - value.length;
        this.out.defines.push({ name: m[1]!, value, range: this.range(a.start, a.end), valueRange: this.range(valueStart, a.end) });
      }
    } else this.out.directives.push({ kind: kw.text as 'require' | 'provide', args, range: this.range(kw.start, end) });
  }

  private connection(scope: Scope): void {
    let left = this.endpointList(scope, true);
    if (left.length === 0) return;
    let leftEps: Endpoint[] | undefined;
    for (;;) {
      const arrow = this.lx.peek();
      if (!ARROWS.has(arrow.kind)) break;
      this.lx.next();
      leftEps ??= this.resolve(scope, left, false);
      const right = this.endpointList(scope, false);
      if (right.length === 0) {
        this.error(arrow.start, arrow.end, `connection '${arrow.text}' has no element after it (found ${this.describe(this.lx.peek())})`);
        return;
      }
      const rightEps = this.resolve(scope, right, false);
      for (const l of leftEps) for (const r of rightEps) this.connect(scope, l, r, (arrow.kind === '~>' ? '~>' : arrow.kind) as Arrow);
      left = right;
      leftEps = rightEps;
    }
    if (!leftEps) this.resolve(scope, left, true);
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
    const inPorts = first.kind === '[' ? this.ports() : undefined;
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
        } else this.error(colons.start, colons.end, `missing element class after '::' (found ${this.describe(cls)})`);
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
    } else if (inPorts !== undefined && scope.isCompound) {
      // `[0] -> x` / `x -> [1]` in a compound: the compound's own input/output ports.
      raw = { kind: 'implicit', start: first.start, end: first.start, declEnd: 0 };
      if (position === 'after-arrow') raw.inPorts = inPorts;
      else raw.outPorts = inPorts;
      raw.ident = { kind: 'ident', text: position === 'after-arrow' ? 'output' : 'input', start: first.start, end: first.start };
      raw.end = this.lx.peek().start;
      return this.trimEnd(raw);
    } else {
      if (inPorts !== undefined) this.error(first.start, first.end, `port ${this.describe(first)} is not followed by an element`);
      return undefined;
    }
    if (inPorts !== undefined && raw.kind !== 'implicit') raw.inPorts = inPorts;
    if (this.lx.peek().kind === '[') {
      const p = this.lx.peek();
      raw.outPorts = this.ports();
      raw.end = this.lastEnd ?? p.end;
    }
    return raw;
  }

  /** The end offset of the last token consumed by ports(). */
  private lastEnd: number | undefined;

  private trimEnd(raw: RawEndpoint): RawEndpoint {
    raw.end = this.lastEnd ?? raw.end;
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

  /** `[0]`, `[0, 1]`, `[0-3]`, `[]`; sets lastEnd to just past the `]`. */
  private ports(): number[] {
    const open = this.lx.next();
    const ports: number[] = [];
    let dash = false;
    this.lastEnd = open.end;
    for (;;) {
      const t = this.lx.peek();
      if (t.kind === ']') {
        this.lastEnd = this.lx.next().end;
        break;
      }
      if (t.kind === 'ident' && /^\d+$/.test(t.text)) {
        this.lx.next();
        this.lastEnd = t.end;
        const p = Number(t.text);
        const last = ports[ports.length - 1];
        if (dash && last !== undefined) for (let q = last + 1; q <= p; q++) ports.push(q);
        else ports.push(p);
        dash = false;
        const sep = this.lx.peek();
        if (sep.kind === ',' || sep.kind === '-') {
          this.lx.next();
          this.lastEnd = sep.end;
          dash = sep.kind === '-';
        }
        continue;
      }
      const where = at(this.lx.lines.position(open.start));
      if (t.kind === 'ident') {
        this.lx.next();
        this.lastEnd = t.end;
        this.error(t.start, t.end, `port number should be an integer, found '${t.text}'`);
        continue;
      }
      this.error(open.start, open.end, `unbalanced brackets: '[' at ${where} is not closed by ']' (found ${this.describe(t)})`);
      break;
    }
    return ports.length > 0 ? ports : [0];
  }

  /** Turns parsed chain items into elements (declaring or creating them) and names. */
  private resolve(scope: Scope, list: RawEndpoint[], standalone: boolean): Endpoint[] {
    // `a, b :: Queue(10);` declares both with the last one's class and configuration.
    const last = list[list.length - 1]!;
    if (standalone && list.length > 1 && last.declClass && list.every((e) => e.kind === 'ident' && !e.inPorts && !e.outPorts && (e === last || (!e.declClass && !e.config)))) {
      return list.map((e) => ({ name: this.declare(scope, e, last.declClass!, last.config, e === last ? e.declEnd : last.declEnd), raw: e }));
    }
    return list.map((e) => ({ name: this.nameOf(scope, e), raw: e }));
  }

  private nameOf(scope: Scope, e: RawEndpoint): string | undefined {
    if (e.kind === 'group') return undefined;
    if (e.kind === 'implicit') return e.ident!.text;
    const id = e.ident!;
    if (e.declClass) return this.declare(scope, e, e.declClass, e.config, e.declEnd);
    if (e.kind === 'compound') return this.create(scope, e, id, id.text, true, undefined, e.declEnd);
    const known = scope.names.get(id.text);
    if (known !== undefined) {
      if (e.config) this.error(e.config.start - 1, e.declEnd, `configuration string ignored on element reference '${id.text}'`, 'warning');
      return id.text;
    }
    if (!/^[A-Z]/.test(id.text) && !e.config) {
      this.error(id.start, id.end, `undeclared element '${id.text}' (read as an element class; declare it before use)`, 'warning');
    }
    return this.create(scope, e, id, id.text, true, e.config, e.declEnd);
  }

  private declare(scope: Scope, e: RawEndpoint, cls: Token, config: ConfigText | undefined, end: number): string {
    const name = e.ident!.text;
    const prev = scope.names.get(name);
    if (prev !== undefined) {
      const where = prev === 'port' ? 'it names the compound port' : `previously declared at ${at(prev.nameRange.start)}`;
      this.error(e.ident!.start, e.ident!.end, `redeclaration of element '${name}' (${where})`);
      return name;
    }
    if (/^[0-9/]+$/.test(name) || name.split('/').some((p) => /^\d+$/.test(p))) {
      this.error(e.ident!.start, e.ident!.end, `element name '${name}' has an all-digit component`);
    }
    return this.create(scope, e, cls, name, false, config, end);
  }

  private create(scope: Scope, e: RawEndpoint, cls: Token, name: string, anonymous: boolean, config: ConfigText | undefined, end: number): string {
    let finalName = name;
    if (anonymous) {
      let n = scope.created + 1;
      while (scope.names.has(`${cls.text}@${n}`)) n++;
      finalName = `${cls.text}@${n}`;
    }
    const id = e.ident!;
    const el: ClickElement = {
      name: finalName,
      className: cls.text,
      anonymous,
      config: config?.text ?? '',
      args: config ? splitConfigArgs(config.text, config.start) : [],
      range: this.range(id.start, end),
      nameRange: this.range(id.start, id.end),
      classRange: this.range(cls.start, cls.end),
    };
    if (config) el.configRange = this.range(config.start, config.end);
    if (scope.compound !== undefined) el.compound = scope.compound;
    scope.created++;
    scope.names.set(finalName, el);
    this.out.elements.push(el);
    return finalName;
  }
}
