import { at } from '../sourceText.ts';
import { splitConfigArgs } from './clickArgs.ts';
import type { ConfigText } from './clickConfigString.ts';
import type { Token } from './clickLexer.ts';
import type { Endpoint, ParseContext, RawEndpoint, Scope } from './clickSyntax.ts';
import type { ClickElement } from './clickTypes.ts';

/**
 * Turns parsed chain items into elements and names: declarations (`a :: Class`,
 * `a, b :: Class`), references to declared elements, and anonymous elements
 * (`Class@1`). Without Click's list of classes, a bare word is an element when it was
 * declared before, and a class otherwise.
 */
export class ElementResolver {
  constructor(private readonly cx: ParseContext) {}

  /** The chain items' names, declaring or creating their elements; `standalone`: a statement without an arrow. */
  resolve(scope: Scope, list: RawEndpoint[], standalone: boolean): Endpoint[] {
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
      if (e.config) this.cx.error(e.config.start - 1, e.declEnd, `configuration string ignored on element reference '${id.text}'`, 'warning');
      return id.text;
    }
    if (!/^[A-Z]/.test(id.text) && !e.config) {
      this.cx.error(id.start, id.end, `undeclared element '${id.text}' (read as an element class; declare it before use)`, 'warning');
    }
    return this.create(scope, e, id, id.text, true, e.config, e.declEnd);
  }

  private declare(scope: Scope, e: RawEndpoint, cls: Token, config: ConfigText | undefined, end: number): string {
    const name = e.ident!.text;
    const prev = scope.names.get(name);
    if (prev !== undefined) {
      const where = prev === 'port' ? 'it names the compound port' : `previously declared at ${at(prev.nameRange.start)}`;
      this.cx.error(e.ident!.start, e.ident!.end, `redeclaration of element '${name}' (${where})`);
      return name;
    }
    if (/^[0-9/]+$/.test(name) || name.split('/').some((p) => /^\d+$/.test(p))) {
      this.cx.error(e.ident!.start, e.ident!.end, `element name '${name}' has an all-digit component`);
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
      range: this.cx.range(id.start, end),
      nameRange: this.cx.range(id.start, id.end),
      classRange: this.cx.range(cls.start, cls.end),
    };
    if (config) el.configRange = this.cx.range(config.start, config.end);
    if (scope.compound !== undefined) el.compound = scope.compound;
    scope.created++;
    scope.names.set(finalName, el);
    this.cx.out.elements.push(el);
    return finalName;
  }
}
