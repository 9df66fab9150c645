/**
 * Why `sep` cannot be the separator perf was given with `-x`, or undefined when it can.
 * A separator that can occur inside numbers (digits, `.`, `-`, `+`, `e`), event names
 * (letters, `_`, `/`, `=`) or perf's own markers (`<not counted>`, `%`) would make
 * lines ambiguous; so would blanks other than tab, which pad perf's columns.
 */
export function separatorProblem(sep: string): string | undefined {
  if (sep.length === 0) return 'the CSV separator is empty';
  if (sep.length > 8) return `the CSV separator ${JSON.stringify(sep)} is longer than 8 characters`;
  for (const ch of sep) {
    if (ch === '\t') continue;
    if (/[\p{L}\p{N}\s._\-+/=<>%#]/u.test(ch) || ch.charCodeAt(0) < 32) {
      return `the CSV separator cannot contain ${JSON.stringify(ch)}: it occurs in perf's numbers, event names or padding (perf is usually run with -x, or -x';')`;
    }
  }
  return undefined;
}
