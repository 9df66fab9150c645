/**
 * The C++ class a demangled function belongs to: `IPLookup::push` → `IPLookup`,
 * `click::Counter::simple_action(Packet*)` → `Counter`, `void Foo<int>::run(Task*)` →
 * `Foo`, `Classifier::push(int, Packet*) const` → `Classifier`. Plain C functions
 * (`memcpy`, `rte_eth_rx_burst`) and lambdas' anonymous types have none.
 */
export function classOfSymbol(symbol: string): string | undefined {
  const qualified = qualifiedName(symbol);
  const parts = splitTopLevel(qualified);
  if (parts.length < 2) return undefined;
  const cls = stripTemplate(parts[parts.length - 2]!);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(cls)) return undefined;
  return cls;
}

/** The name without its parameter list and without a leading return type. */
function qualifiedName(symbol: string): string {
  let depth = 0;
  let end = symbol.length;
  for (let i = 0; i < symbol.length; i++) {
    const c = symbol[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === '(' && depth === 0 && i > 0) {
      end = i;
      break;
    }
  }
  const head = symbol.slice(0, end).trim();
  // A return type is separated from the name by a space outside template brackets.
  depth = 0;
  let start = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ' ' && depth === 0 && head.slice(i + 1, i + 9) !== 'operator') start = i + 1;
  }
  return head.slice(start);
}

function splitTopLevel(name: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    else if (c === ':' && name[i + 1] === ':' && depth === 0) {
      out.push(name.slice(from, i));
      from = i + 2;
      i++;
    }
  }
  out.push(name.slice(from));
  return out;
}

function stripTemplate(part: string): string {
  const lt = part.indexOf('<');
  return (lt < 0 ? part : part.slice(0, lt)).trim();
}
