import type { Target } from './target.ts';

/** What a finished command gave. `exitCode` is undefined when it was killed or could not start. */
export interface RunResult {
  exitCode: number | undefined;
  signal?: string;
  stdout: string;
  stderr: string;
  /** The program itself was not found (local targets). */
  notFound?: boolean;
}

export interface ExitInfo {
  exitCode: number | undefined;
  signal?: string;
  /** Why it could not be started at all (e.g. `ENOENT`). */
  spawnError?: string;
}

/** A long-running command (perf) whose output is read as it comes. */
export interface StreamedProcess {
  /** Its process id on the target, once known (over ssh the remote shell reports it first). */
  readonly targetPid: Promise<number | undefined>;
  onStdout(cb: (text: string) => void): void;
  onStderr(cb: (text: string) => void): void;
  readonly done: Promise<ExitInfo>;
  /** Kills the local end (the process itself, or the ssh client carrying it). */
  kill(signal?: NodeJS.Signals): void;
  /** Writes to its standard input (spawned with `{ stdin: true }` only); false once that is closed. */
  write(text: string): boolean;
}

export interface SpawnOptions {
  /** Keep a pipe to its standard input (for request/response helpers); closed stdin otherwise. */
  stdin?: boolean;
}

export type Signal = 'INT' | 'TERM' | 'KILL';

/**
 * A machine commands run on. Commands are argv arrays: locally they are executed
 * directly, over ssh every argument is quoted for the remote shell. One host keeps
 * one connection (ssh ControlMaster) that every command reuses.
 */
export interface HostRunner {
  readonly target: Target;
  /** For messages: `local host`, `root@lab1`. */
  readonly label: string;
  readonly remote: boolean;
  connect(): Promise<void>;
  /** Connected now (always true locally). */
  readonly connected: boolean;
  /** Called when an established connection drops; returns an unsubscribe function. */
  onDisconnect(cb: (reason: string) => void): () => void;
  run(argv: readonly string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
  spawn(argv: readonly string[], opts?: SpawnOptions): StreamedProcess;
  /** Sends a signal to a process on the target; false when it was not delivered. */
  signal(pid: number, sig: Signal): Promise<boolean>;
  /** Drops the connection (and what runs through it); `connect()` may be called again. */
  disconnect(): Promise<void>;
  /** Ends the connection and every process started through it. */
  close(): Promise<void>;
}
