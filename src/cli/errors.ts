/**
 * Marks a CliError where `instanceof` cannot tell: each command is bundled apart from
 * the code that runs it, each with its own copy of this class.
 */
const CLI_ERROR = Symbol.for('vnf-lens.CliError');

/** An error meant for the user: printed as one line, exit code 2 for usage, 1 otherwise. */
export class CliError extends Error {
  readonly [CLI_ERROR] = true;

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The exit code of a CliError, from whichever bundle it comes; undefined for other errors. */
export function cliErrorExitCode(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && (e as { [CLI_ERROR]?: unknown })[CLI_ERROR] === true ? (e as CliError).exitCode : undefined;
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Runs a check whose errors are meant for the user (bad paths, refused files) as a CliError. */
export function asCliError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  }
}
