import type { Attach } from '../host/attach.ts';
import type { Env } from './probeEnv.ts';
import type { LiveError } from '../host/errors.ts';
import type { HostRunner } from '../host/host.ts';

// What a perf probe finds, and the working state its steps share (probe.ts, probeEnv.ts, perfFailure.ts).

export interface DroppedEvent {
  event: string;
  reason: string;
  /** Why, for those who act on it: `not-supported` (no counter here: no PMU), `refused` (permissions), `unknown-event`, `failed`. */
  kind?: 'not-supported' | 'refused' | 'unknown-event' | 'failed';
}

export interface ProbedProcess {
  attach: Attach;
  user: string;
  comm: string;
  commandLine: string;
}

/** What the target's perf can do, found out before counting. */
export interface PerfProbe {
  host: string;
  /** perf as resolved on the target (`/usr/bin/perf`). */
  perfPath: string;
  /** `6.1.187` from `perf version 6.1.187`. */
  perfVersion: string;
  uid: number | undefined;
  user: string;
  /** kernel.perf_event_paranoid, when readable. */
  paranoid: number | undefined;
  /** Effective capabilities (hex CapEff) of the login user's processes. */
  capEff: string | undefined;
  /** File capabilities of the perf binary (getcap), when any. */
  perfCapabilities: string | undefined;
  processes: ProbedProcess[];
  requested: string[];
  /** The requested events that can be counted, in the requested order. */
  events: string[];
  dropped: DroppedEvent[];
  /** Events perf counts in user space only (it added `:u` because kernel counting is not allowed). */
  userSpaceOnly: string[];
  /** Lines perf prints per interval for each attached process, in `processes` order. */
  linesPerInterval: number[];
}

export interface ProbeOptions {
  /** Processes the events must be countable on; without any, a short `sleep` is counted. */
  attach?: Attach[];
  perfPath?: string;
  abort?: AbortSignal;
}

export interface ProbeCtx {
  host: HostRunner;
  env: Env;
  perfPath: string;
}

export interface EventsResult {
  dropped: DroppedEvent[];
  userSpaceOnly: string[];
  /** Lines perf printed per interval for each event (hybrid CPUs print one per PMU). */
  linesByEvent: Map<string, number>;
  refusal?: LiveError;
}
