import { at } from '../sourceText.ts';
import { describeToken, type ParseContext } from './clickSyntax.ts';

/**
 * Reads `[0]`, `[0, 1]`, `[0-3]`, `[]` at the `[` the lexer is on. Returns the ports
 * (`[0]` when none is listed) and the offset just past the last token read (the `]`
 * when it is there).
 */
export function readPorts(cx: ParseContext): { ports: number[]; end: number } {
  const lx = cx.lx;
  const open = lx.next();
  const ports: number[] = [];
  let dash = false;
  let end = open.end;
  for (;;) {
    const t = lx.peek();
    if (t.kind === ']') {
      end = lx.next().end;
      break;
    }
    if (t.kind === 'ident' && /^\d+$/.test(t.text)) {
      lx.next();
      end = t.end;
      const p = Number(t.text);
      const last = ports[ports.length - 1];
      if (dash && last !== undefined) for (let q = last + 1; q <= p; q++) ports.push(q);
      else ports.push(p);
      dash = false;
      const sep = lx.peek();
      if (sep.kind === ',' || sep.kind === '-') {
        lx.next();
        end = sep.end;
        dash = sep.kind === '-';
      }
      continue;
    }
    const where = at(lx.lines.position(open.start));
    if (t.kind === 'ident') {
      lx.next();
      end = t.end;
      cx.error(t.start, t.end, `port number should be an integer, found '${t.text}'`);
      continue;
    }
    cx.error(open.start, open.end, `unbalanced brackets: '[' at ${where} is not closed by ']' (found ${describeToken(t)})`);
    break;
  }
  return { ports: ports.length > 0 ? ports : [0], end };
}
