// Character classes and line ends shared by the Click lexer and the configuration-string reader.

/** A character of a Click word: letters, digits, `_` and `@` (inner `/` is handled by the lexer). */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_@]/.test(c);
}

/** Index of the line end (`\n`, `\r` or the end of text) at or after `i`. */
export function lineEnd(s: string, i: number): number {
  while (i < s.length && s[i] !== '\n' && s[i] !== '\r') i++;
  return i;
}
