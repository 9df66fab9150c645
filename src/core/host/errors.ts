/** Why a live operation failed, so callers (CLI, editor) can react without parsing messages. */
export type LiveErrorCode =
  | 'invalid-target'
  | 'invalid-spec'
  | 'unknown-host'
  | 'host-key'
  | 'auth'
  | 'connect'
  | 'ssh'
  | 'perf-missing'
  | 'perf-refused'
  | 'no-such-process'
  | 'no-events'
  | 'perf-failed'
  | 'command-failed'
  | 'recording'
  | 'cancelled';

/** An error of a live session: the message says what failed, where, and what to do. */
export class LiveError extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

export function isLiveError(e: unknown, code?: LiveErrorCode): e is LiveError {
  return e instanceof LiveError && (code === undefined || e.code === code);
}
