import { LiveError } from '../host/errors.ts';
import { validateId } from '../live/perfCommand.ts';
import { validatePerfPath } from '../host/target.ts';

/** What to sample: the typed input from which perf record's and perf script's argv are built. */
export interface PerfRecordSpec {
  perfPath?: string;
  pid: number;
  /** Samples per second per thread on the software clock. */
  frequencyHz: number;
  windowS: number;
  /**
   * Call chains, to credit library calls to the element that made them: `dwarf`
   * (a 4 KiB stack copy per sample, unwound by perf script; right even through
   * leaf functions and code built without frame pointers), `fp`, or `none`.
   */
  callGraph: CallGraph;
  /** The data file on the host (inside a folder made by mktemp). */
  output: string;
}

export type CallGraph = 'dwarf' | 'fp' | 'none';

export const DEFAULT_FREQUENCY_HZ = 99;
export const DEFAULT_WINDOW_S = 10;
export const MAX_FREQUENCY_HZ = 4000;
/** A folder made by `mktemp -d -t vnf-lens-cost.XXXXXXXX`: nothing else is ever removed. */
const TEMP_DIR = /^\/[A-Za-z0-9_./-]*\/vnf-lens-cost\.[A-Za-z0-9]{8}$/;

/**
 * `perf record -e cpu-clock -F HZ --call-graph dwarf,4096 -p PID -o FILE -N --quiet -- sleep S`: the
 * software clock counts without a PMU; `sleep` bounds the window (perf samples only
 * the PID, not the sleep); -N keeps perf from copying binaries into ~/.debug.
 */
export function perfRecordArgv(spec: PerfRecordSpec): string[] {
  const perf = validatePerfPath(spec.perfPath ?? 'perf');
  if (!Number.isInteger(spec.frequencyHz) || spec.frequencyHz < 1 || spec.frequencyHz > MAX_FREQUENCY_HZ) {
    throw new LiveError('invalid-spec', `sampling frequency ${spec.frequencyHz} Hz must be a whole number from 1 to ${MAX_FREQUENCY_HZ}`);
  }
  if (!Number.isFinite(spec.windowS) || spec.windowS < 0.1 || spec.windowS > 3600) throw new LiveError('invalid-spec', `sampling window ${spec.windowS} s must be from 0.1 to 3600 s`);
  checkOutput(spec.output);
  return [
    perf,
    'record',
    '-e',
    'cpu-clock',
    '-F',
    String(spec.frequencyHz),
    ...(spec.callGraph === 'dwarf' ? ['--call-graph', 'dwarf,4096'] : spec.callGraph === 'fp' ? ['--call-graph', 'fp'] : []),
    '-p',
    String(validateId(spec.pid, 'PID')),
    '-o',
    spec.output,
    '-N',
    '--quiet',
    '--',
    'sleep',
    String(spec.windowS),
  ];
}

/** `perf script` of that file: one header line per sample (comm, tid, period) and its frames (address, symbol, module). */
export function perfScriptArgv(perfPath: string | undefined, input: string): string[] {
  checkOutput(input);
  return [validatePerfPath(perfPath ?? 'perf'), 'script', '-i', input, '-F', 'comm,tid,period,ip,sym,dso'];
}

export function mktempArgv(): string[] {
  return ['mktemp', '-d', '-t', 'vnf-lens-cost.XXXXXXXX'];
}

/** The folder mktemp printed, checked before anything is written into it or removed. */
export function checkTempDir(printed: string): string {
  const dir = printed.trim();
  if (!TEMP_DIR.test(dir) || dir.includes('..')) throw new LiveError('command-failed', `mktemp printed ${JSON.stringify(dir.slice(0, 200))}, not a vnf-lens-cost folder`);
  return dir;
}

export function dataFileIn(dir: string): string {
  return `${checkTempDir(dir)}/perf.data`;
}

export function removeTempDirArgv(dir: string): string[] {
  return ['rm', '-rf', '--', checkTempDir(dir)];
}

function checkOutput(path: string): void {
  const dir = path.endsWith('/perf.data') ? path.slice(0, -'/perf.data'.length) : '';
  checkTempDir(dir);
}

/**
 * Runs an argv under a fixed sh script that prints the CPU time it used (`times`,
 * children's user and system) on stderr when it ends, so the sampling's own cost is
 * measured on the host, local or remote. A signal to the script ends the command
 * with SIGTERM (perf then writes what it has) and is still followed by `times`.
 *
 * With `folder`, the script removes that mktemp folder when the command ends and no
 * one will read it: it was the folder's last use (perf script), the command was stopped
 * by a signal (a cancelled window), or the process that started it is gone (the editor
 * closed or killed, the ssh link dropped). The script does it on the host itself, so it
 * is done even when the caller dies a moment later.
 */
export function timedArgv(argv: readonly string[], opts: { folder?: string; lastUse?: boolean } = {}): string[] {
  const script = [
    'd=$1; shift',
    'cut=$1; shift',
    'times >&2',
    "trap 'cut=1; kill -TERM $p 2>/dev/null' INT TERM HUP",
    '"$@" & p=$!',
    'wait $p; s=$?',
    'while kill -0 $p 2>/dev/null; do wait $p; s=$?; done',
    'times >&2',
    'if [ -n "$d" ] && { [ -n "$cut" ] || ! kill -0 "$PPID" 2>/dev/null; }; then rm -rf -- "$d"; fi',
    'exit $s',
  ].join('\n');
  const dir = opts.folder === undefined ? '' : checkTempDir(opts.folder);
  return ['sh', '-c', script, 'vnf-lens-cost', dir, opts.lastUse ? '1' : '', ...argv];
}

/**
 * CPU ms of the command from the two `times` reports (before and after it): the
 * growth of the children's user + system time. The first report holds what the
 * process had already waited for before the script (a login shell's start over
 * ssh), which is not the command's. Undefined when the reports are missing.
 */
export function parseTimes(stderr: string): number | undefined {
  const reports = stderr
    .split('\n')
    .map((l) => /^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000);
  // Each report is two lines: the shell's own times, then its children's.
  if (reports.length < 4) return undefined;
  return Math.max(0, reports[reports.length - 1]! - reports[1]!);
}

/** stderr without the lines `times` printed. */
export function withoutTimes(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^\d+m[\d.]+s\s+\d+m[\d.]+s$/.test(l.trim()))
    .join('\n');
}
