/**
 * The VNF Lens recording: one text file (`*.vnflens`) that holds perf's output
 * verbatim, line for line, with our metadata on lines starting `#@vnf-lens `.
 * perf itself treats `#` lines as comments, so the perf text stays readable by
 * any perf tooling, and the file can be appended to while a session is live:
 * every line is complete when written, so a crash loses at most the line in flight.
 *
 *   #@vnf-lens {"format":"vnf-lens-recording","version":1,"meta":{…}}    first line
 *   #@vnf-lens {"stream":"pid-4242"}        following perf lines belong to this stream
 *   <perf stat lines, verbatim>
 *   #@vnf-lens {"packets":{"stream":"pid-4242","t":1.0,"rx":…,"tx":…,"dropped":…}}   router counters of the interval ending at t
 *   #@vnf-lens {"mark":{"t":12.0,"text":"started traffic"}}
 *   #@vnf-lens {"gap":{"stream":"pid-4242","from":"<iso>","to":"<iso>","reason":"ssh reconnect"}}
 *   #@vnf-lens {"label":{"from":21,"to":25,"state":"processing","scenario":"5000-64"}}
 *   #@vnf-lens {"revision":{"stream":"pid-4242","n":2,"pid":5151,"t":31.0,"at":"<iso>",…}}   the router restarted: intervals after it belong to revision n
 *   #@vnf-lens {"revisionEnd":{"stream":"pid-4242","n":1,"pid":4242,"t":30.0,"at":"<iso>","reason":"process 4242 exited"}}
 *   #@vnf-lens {"cost":{"stream":"pid-4242","at":"<iso>","source":"perf-record","windowS":10,…}}   where the router's CPU went
 *   #@vnf-lens {"end":{"at":"<iso>","reason":"router exited"}}
 *
 * Readers that predate revisions report the two revision directives as unknown and
 * skip them; a recording without them is one revision per stream.
 */
import type { PacketCounts } from '../perf/interval.ts';

export const DIRECTIVE_PREFIX = '#@vnf-lens ';
export const RECORDING_FORMAT = 'vnf-lens-recording';
export const RECORDING_VERSION = 1;

export interface ProcessInfo {
  pid: number;
  comm?: string;
  cmdline?: string;
}

export interface RecordingMeta {
  host: string;
  processes: ProcessInfo[];
  perfVersion?: string;
  /** The perf argv that produced the text. */
  perfCommand?: string[];
  events: string[];
  /** Requested events perf reported `<not supported>` for on this host (no hardware PMU): not counted, not in `events`. */
  unsupported?: string[];
  intervalMs: number;
  /** ISO time the session started. */
  startedAt: string;
  /** perf's CSV separator, so the reader need not guess. */
  separator?: string;
  /** Free-form labels given by the user (`build=A`, `traffic=64B`). */
  tags?: Record<string, string>;
}

export interface Mark {
  t: number;
  text: string;
  stream?: string;
}

export interface Gap {
  stream?: string;
  from: string;
  to: string;
  reason: string;
}

export interface RangeLabel {
  from: number;
  to: number;
  state?: 'idle' | 'processing';
  loss?: 'lossy' | 'clean';
  scenario?: string;
  stream?: string;
}

/** The router's own packet counts for one interval of one stream (written after the interval's perf lines). */
export interface PacketsRecord extends PacketCounts {
  stream?: string;
  /** End time of the interval, as perf printed it. */
  t: number;
}

/**
 * Where a router's CPU went over a window: element classes and modules from perf
 * record, per-node deltas of VPP's `show runtime`, or cycles per packet per OVS PMD.
 */
export interface CostRecord {
  stream?: string;
  /** ISO end of the window. */
  at: string;
  source: 'perf-record' | 'vpp-runtime' | 'ovs-pmd';
  windowS: number;
  frequencyHz?: number;
  samples?: number;
  perfCpuMs?: number;
  classes?: { className: string; elements: string[]; samples: number; share: number; cpuNs: number }[];
  modules?: { dso: string; samples: number; share: number }[];
  stripped?: string;
  nodes?: { name: string; calls: number; vectors: number; suspends: number; clocks: number }[];
  pmds?: { thread: string; packets: number; cycles: number; cyclesPerPacket: number | null }[];
}

export interface EndRecord {
  at: string;
  reason: string;
}

/** What a file on the router's host was when a revision started. */
export interface FileIdentity {
  path: string;
  /** SHA-256 of the content, hex; absent when the file could not be read (then `error` says why). */
  sha256?: string;
  bytes?: number;
  error?: string;
}

/** The router's executable: its build-id (ELF note) when it has one, else the file's hash. */
export interface BinaryIdentity {
  path: string;
  buildId?: string;
  sha256?: string;
  error?: string;
}

/**
 * One process of a router followed across restarts: revision 1 is the process attached
 * first, each restart opens the next. Written when the revision starts.
 */
export interface RevisionRecord {
  stream: string;
  n: number;
  pid: number;
  /** Stream time (s) at which the revision's first interval starts. */
  t: number;
  /** Wall-clock start (ISO). */
  at: string;
  cmdline?: string;
  configs?: FileIdentity[];
  binary?: BinaryIdentity;
  /** The workspace's git commit when the revision started (`dirty`: uncommitted changes). */
  git?: { commit: string; dirty: boolean };
}

/** The end of one revision's process (it exited, or the session ended while it ran). */
export interface RevisionEndRecord {
  stream: string;
  n: number;
  pid: number;
  /** Stream time (s) of the revision's last interval end. */
  t: number;
  at: string;
  reason: string;
}

export type Directive =
  | { format: typeof RECORDING_FORMAT; version: number; meta: RecordingMeta }
  | { stream: string }
  | { mark: Mark }
  | { gap: Gap }
  | { label: RangeLabel }
  | { packets: PacketsRecord }
  | { revision: RevisionRecord }
  | { revisionEnd: RevisionEndRecord }
  | { cost: CostRecord }
  | { end: EndRecord };

export function directiveLine(d: Directive): string {
  return DIRECTIVE_PREFIX + JSON.stringify(d) + '\n';
}
