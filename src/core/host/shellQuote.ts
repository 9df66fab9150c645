/**
 * ssh hands the remote command to the login shell as one string, so every argument
 * is single-quoted: inside '…' a POSIX shell expands nothing ($, `, \, newlines and
 * globs are literal); a quote itself is closed, escaped and reopened ('\'').
 */
export function shQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('a command argument cannot contain a NUL byte');
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The remote command line for an argv: each argument quoted, nothing else. */
export function remoteCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(shQuote).join(' ');
}
