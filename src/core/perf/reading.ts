/** One counter line of `perf stat` interval output, whatever layout it came in. */
export type ReadingStatus = 'counted' | 'not-counted' | 'not-supported';

export interface Reading {
  /** Interval end time in seconds, as perf printed it. */
  t: number;
  /** Aggregation key when perf split the counts: `CPU3`, `S0-D0-C1`, `N0`, `click-4242`, … */
  prefix?: string;
  /** How many CPUs perf folded into this aggregate (`--per-core`, `--per-socket`, …). */
  aggrCount?: number;
  /** The value as printed (already scaled by perf for multiplexing); null unless counted. */
  value: number | null;
  status: ReadingStatus;
  unit: string;
  event: string;
  /** Percentage of the interval the counter was really counting (multiplexing); 100 when perf did not say. */
  running: number;
  runtime?: number;
  /** Relative standard deviation perf printed with `-r`, in percent. */
  variance?: number;
  cgroup?: string;
}

/** A line that could not be read: where, why, and what it said. */
export interface ParseDiagnostic {
  line: number;
  message: string;
  text: string;
}

/** What a line turned out to be. `skip` is for lines that carry no counter (headers, metric-only lines). */
export type LineResult =
  | { kind: 'reading'; reading: Reading }
  | { kind: 'skip' }
  | { kind: 'error'; message: string };
