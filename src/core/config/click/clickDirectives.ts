import { splitConfigArgs } from './clickArgs.ts';
import type { ParseContext } from './clickSyntax.ts';

/** `require(...)`, `provide(...)` and `define($NAME value, ...)`, at the keyword the lexer is on. */
export function readDirective(cx: ParseContext): void {
  const lx = cx.lx;
  const kw = lx.next();
  const open = lx.peek();
  if (open.kind !== '(') {
    cx.error(kw.start, kw.end, `'${kw.text}' needs its arguments in parentheses`);
    return;
  }
  lx.next();
  const cfg = lx.readConfig(open);
  const close = lx.accept(')');
  const end = close ? close.end : cfg.end;
  const args = splitConfigArgs(cfg.text, cfg.start);
  if (kw.text === 'define') {
    for (const a of args) {
      const m = /^\$\{?([A-Za-z0-9_]+)\}?\s+(.*)$/s.exec(a.text) ?? /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(a.text);
      if (!m) {
        cx.error(a.start, a.end, `define: expected '$NAME value', found ${JSON.stringify(a.text)}`);
        continue;
      }
      const value = m[2] ?? '';
      const valueStart = value === '' ? a.end : a.end - value.length;
      cx.out.defines.push({ name: m[1]!, value, range: cx.range(a.start, a.end), valueRange: cx.range(valueStart, a.end) });
    }
  } else cx.out.directives.push({ kind: kw.text as 'require' | 'provide', args, range: cx.range(kw.start, end) });
}
