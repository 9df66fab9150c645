/**
 * Click configuration strings: comma-separated arguments, each either a plain
 * value or `KEYWORD value` (keywords are upper case, as Click's Args expects).
 * Commas inside quotes, parentheses, brackets or braces do not split, and
 * comments are dropped from the text but kept out of the ranges.
 */
export interface ConfigArg {
  /** The argument without comments, trimmed. */
  text: string;
  keyword?: string;
  /** The value: the whole text, or what follows the keyword. */
  value: string;
  /** Offsets in the file of the argument (trimmed) and of its value. */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

const KEYWORD = /^([A-Z][A-Z0-9_]*)\s+/;

export function splitConfigArgs(config: string, base: number): ConfigArg[] {
  const pieces: { start: number; end: number }[] = [];
  // Characters that belong to comments, so text can skip them.
  const comment = new Uint8Array(config.length);
  let depth = 0;
  let pieceStart = 0;
  for (let i = 0; i < config.length; i++) {
    const c = config[i]!;
    if (c === '/' && config[i + 1] === '/') {
      let j = i;
      while (j < config.length && config[j] !== '\n' && config[j] !== '\r') comment[j++] = 1;
      i = j - 1;
    } else if (c === '/' && config[i + 1] === '*') {
      const close = config.indexOf('*/', i + 2);
      const j = close < 0 ? config.length : close + 2;
      comment.fill(1, i, j);
      i = j - 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < config.length && config[j] !== c) j += config[j] === '\\' && c === '"' ? 2 : 1;
      i = j;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      pieces.push({ start: pieceStart, end: i });
      pieceStart = i + 1;
    }
  }
  pieces.push({ start: pieceStart, end: config.length });

  const args: ConfigArg[] = [];
  for (const p of pieces) {
    let s = p.start;
    let e = p.end;
    while (s < e && (comment[s] || /\s/.test(config[s]!))) s++;
    while (e > s && (comment[e - 1] || /\s/.test(config[e - 1]!))) e--;
    let text = '';
    for (let i = s; i < e; i++) if (!comment[i]) text += config[i];
    text = text.replace(/\s+/g, ' ');
    if (text === '' && pieces.length === 1) break; // `Foo()` has no arguments
    const arg: ConfigArg = { text, value: text, start: base + s, end: base + e, valueStart: base + s, valueEnd: base + e };
    const m = KEYWORD.exec(text);
    if (m) {
      arg.keyword = m[1]!;
      arg.value = text.slice(m[0].length);
      // The value starts at the first non-space, non-comment character after the keyword.
      let v = s + m[1]!.length;
      while (v < e && (comment[v] || /\s/.test(config[v]!))) v++;
      arg.valueStart = base + v;
    }
    args.push(arg);
  }
  return args;
}

/**
 * Replaces `$NAME` and `${NAME}` from `vars`; undefined when one of them is not
 * defined (a compound's formal parameter, or a variable given on the command line).
 */
export function substituteVariables(text: string, vars: ReadonlyMap<string, string>): string | undefined {
  let missing = false;
  const out = text.replace(/\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g, (_m, braced: string | undefined, plain: string | undefined) => {
    const v = vars.get((braced ?? plain)!);
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

/** Removes one level of double or single quotes, as Click does for string arguments. */
export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}
