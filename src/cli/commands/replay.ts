import { parseArgs } from 'node:util';
import type { Interval } from '../../core/perf/interval.ts';
import { intervalToJson, writeIntervalJson } from '../../core/perf/intervalJson.ts';
import { separatorProblem } from '../../core/perf/separator.ts';
import { readIntervalBatches } from '../../core/source/readIntervals.ts';
import { CliError, UsageError } from '../errors.ts';
import { ByteOutput, DiagnosticPrinter, terminalSafe } from '../output.ts';

export const replayHelp = `vnf-lens replay FILE [--format table|jsonl] [--separator C]

Reads perf stat interval output and prints one line per interval as soon as it is read.
FILE is a .vnflens recording, raw 'perf stat -I' output in any layout (-x CSV with any
separator, -j JSON, or the default human-readable text), the ITC 2021 wide CSV, or -
for standard input (perf stat -x, -I 1000 -p PID 2>&1 | vnf-lens replay -).

  --format table|jsonl   table (default) for people, jsonl for programs: one object per
                         interval {t, dt, counters, running, notCounted, unsupported[, run][, stream]}
  --separator C          perf's -x separator, if detection should not guess it
`;

export async function replayCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'table' }, separator: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(replayHelp);
    return;
  }
  if (positionals.length !== 1) throw new UsageError('replay takes exactly one FILE (or - for standard input); see vnf-lens replay --help');
  const format = values.format;
  if (format !== 'table' && format !== 'jsonl') throw new UsageError(`--format must be table or jsonl, not ${JSON.stringify(format)}`);
  const file = positionals[0]!;
  const separator = checkedSeparator(values.separator);
  const diags = new DiagnosticPrinter(file);
  const out = new ByteOutput();
  const table = new IntervalTable();
  let n = 0;
  // JSON lines are written from the slot values: the records need not be built.
  const slotValuesOnly = format === 'jsonl';
  for await (const batch of readIntervalBatches(file, { onDiagnostic: diags.report, slotValuesOnly, ...(separator !== undefined ? { separator } : {}) })) {
    for (const iv of batch) {
      if (format === 'jsonl') writeIntervalJson(out.w, iv);
      else {
        if (n === 0) out.w.text(table.header() + '\n');
        out.w.text(table.row(iv) + '\n');
      }
      n++;
    }
    // Live input (standard input) is printed as it comes; a file in large blocks.
    await out.drain(file === '-');
  }
  await out.drain(true);
  diags.summary();
  if (n === 0) throw new CliError(nothingRead(file, diags.count));
}

/** Why a file gave no interval, for the error message. */
export function nothingRead(file: string, unreadable: number): string {
  return `no intervals in ${file}${unreadable > 0 ? ` (${unreadable} unreadable line${unreadable === 1 ? '' : 's'})` : ''}: is it 'perf stat -I' output or a VNF Lens recording?`;
}

/** `--separator` as given, refused when it cannot be one of perf's separators. */
export function checkedSeparator(sep: string | undefined): string | undefined {
  if (sep === undefined) return undefined;
  const problem = separatorProblem(sep);
  if (problem) throw new UsageError(`--separator: ${problem}`);
  return sep;
}

/** The replay JSONL object; counters hold only counted events. */
export const intervalJson = intervalToJson;

const KEY_EVENTS = ['task-clock', 'instructions', 'cycles', 'branch-misses'];

class IntervalTable {
  header(): string {
    return [pad('run/stream', 12), padL('t', 12), padL('dt', 8), padL('events', 6), ...KEY_EVENTS.map((e) => padL(e, 15)), padL('min run%', 9), '  missing'].join(' ');
  }

  row(iv: Interval): string {
    let minRun = 100;
    for (const k in iv.running) minRun = Math.min(minRun, iv.running[k]!);
    const missing = [...iv.notCounted, ...iv.unsupported];
    return [
      pad(terminalSafe(iv.run ?? iv.stream ?? '-'), 12),
      padL(iv.t.toFixed(3), 12),
      padL(iv.dt.toFixed(3), 8),
      padL(String(Object.keys(iv.counters).length), 6),
      ...KEY_EVENTS.map((e) => padL(iv.counters[e] === undefined ? '-' : formatCount(iv.counters[e]!), 15)),
      padL(minRun.toFixed(1), 9),
      '  ' + (missing.length === 0 ? '-' : terminalSafe(missing.join(','))),
    ].join(' ');
  }
}

function formatCount(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padL(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}
