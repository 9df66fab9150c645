import type { StreamCounters } from '../counters/streamCounters.ts';
import type { CounterChoice } from '../counters/sessionCounters.ts';
import type { Attach } from '../host/attach.ts';
import type { LiveError } from '../host/errors.ts';
import type { HostRunner } from '../host/host.ts';
import type { Target } from '../host/target.ts';
import type { Interval } from '../perf/interval.ts';
import type { Gap, RevisionEndRecord } from '../recording/format.ts';
import type { PerfRun } from './perfRun.ts';
import type { PerfProbe } from './probe.ts';
import type { RevisionEvent } from './revisionLog.ts';
import type { FollowedProcess } from './routerFollower.ts';

// The options, states and events of a live session (re-exported by session.ts, its public face).

export interface ReconnectPolicy {
  /** First wait before reconnecting; doubles per failed attempt up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** The session ends when the connection is not back after this long. */
  giveUpAfterMs: number;
}

export interface LiveSessionOptions {
  target: Target;
  /** An open host to reuse (e.g. the editor's); it stays open when the session ends. */
  host?: HostRunner;
  /** One stream per process (a service chain is several PIDs)… */
  pids?: number[];
  /** …or per thread. */
  tids?: number[];
  /** Requested events; those the host cannot count are dropped with a notice. Default: the ITC 2021 set. */
  events?: readonly string[];
  intervalMs?: number;
  /** Stop by itself after this long. */
  durationMs?: number;
  /** Append every interval to this new `.vnflens` recording as it arrives. */
  recordTo?: string;
  tags?: Record<string, string>;
  quietMs?: number;
  reconnect?: Partial<ReconnectPolicy>;
  /** How long perf gets to print its last interval when stopped. */
  stopGraceMs?: number;
  /**
   * The router's own packet counters, read at every interval boundary: found from
   * each process (`auto`, the default), off, or one source given for the first stream.
   */
  routerCounters?: CounterChoice;
  /**
   * Follow each router across restarts: when its process exits, wait this long for a
   * process with the same identity (command line, config files, host) and go on with it
   * as a new revision. 0 or absent: a router that exits ends its stream.
   */
  restartTimeoutMs?: number;
  /** The workspace whose git commit each revision records. */
  gitDir?: string;
}

export type SessionState = 'idle' | 'connecting' | 'probing' | 'running' | 'paused' | 'reconnecting' | 'ended';

export interface SessionStatus {
  state: SessionState;
  reason?: string;
  /** While reconnecting: attempt number and the wait before it. */
  attempt?: number;
  delayMs?: number;
}

export type EndKind = 'stopped' | 'duration' | 'router-exited' | 'connection-lost' | 'perf-failed' | 'error';

export interface SessionEnd {
  kind: EndKind;
  reason: string;
  error?: LiveError;
}

export interface StderrLine {
  stream: string;
  line: string;
}

export interface StreamInfo {
  name: string;
  attach: Attach;
  /** Why the stream ended while the session went on (its process exited). */
  ended?: string;
}

export type NoticeLevel = 'info' | 'warning';

export interface LiveSessionEvents {
  interval: [Interval];
  status: [SessionStatus];
  stderr: [StderrLine];
  /** What the user should know; 'info' for good news (counters found, a router back), else a warning. */
  notice: [string, NoticeLevel?];
  /** The argv of each perf started (the first, and again after a reconnect), for the user's log. */
  command: [{ stream: string; argv: readonly string[] }];
  /** What perf can do on the host, once probed (before the first interval). */
  probe: [PerfProbe];
  gap: [Gap];
  /** A followed router's process starts a revision (the first at attach, the next at each restart). */
  revision: [RevisionEvent];
  revisionEnd: [RevisionEndRecord];
  end: [SessionEnd];
}

/** A stream as the session keeps it: its perf run, counters and clock. */
export interface StreamState extends StreamInfo {
  run?: PerfRun;
  counters?: StreamCounters;
  /** Intervals (and their perf lines) waiting for the counter reading, in order. */
  pending?: Promise<void>;
  /** performance.now() when the stream's first perf started: zero of its clock. */
  baseAt?: number;
  lastDataAt?: number;
  /** The router's identity, when the session follows restarts. */
  follow?: FollowedProcess;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, giveUpAfterMs: 10 * 60_000 };
