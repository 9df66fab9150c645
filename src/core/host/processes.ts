import { readFile } from 'node:fs/promises';
import { LiveError } from './errors.ts';
import type { HostRunner } from './host.ts';
import { withHost } from './openHost.ts';
import { type RouterInfo, recognizeRouter } from './routers.ts';
import { lastLines } from './sshErrors.ts';
import type { Target } from './target.ts';

export interface ProcessEntry {
  pid: number;
  user: string;
  /** CPU time over the process's lifetime, in percent of one CPU (as ps reports it). */
  cpuPercent: number;
  threads: number;
  /** ISO time the process started (from its elapsed time, on this machine's clock). */
  startedAt: string;
  /** The command line as ps shows it (arguments joined by spaces). */
  commandLine: string;
  /** Exact argv from /proc (routers only); otherwise the command line split at spaces. */
  argv: string[];
  kernelThread: boolean;
  router?: RouterInfo;
  /**
   * The router's own packet counters, as found from its command line (`dpdk-telemetry:rte`,
   * `vppctl`, …); set by `listProcessesWithCounters` (counters/), not by this floor.
   */
  counters?: string;
}

const PS_ARGV = ['ps', '-e', '-ww', '-o', 'pid=,user:32=,pcpu=,nlwp=,etimes=,args='];
const PS_LINE = /^\s*(\d+)\s+(\S+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s(.*)$/;
/**
 * Prints, for each PID given as an argument, a line `P<pid>` and then the bytes of
 * /proc/PID/cmdline in hex (od). The output holds only hex digits besides those
 * lines, so no process can forge another's record by putting bytes in its own
 * arguments. The script is fixed text: the PIDs arrive as positional arguments.
 */
export const CMDLINE_SCRIPT = `for p do echo "P$p"; od -An -v -tx1 "/proc/$p/cmdline" 2>/dev/null; done; exit 0`;

/** Processes on the target, routers first (each by CPU use, highest first). */
export async function listProcesses(where: Target | HostRunner, abort?: AbortSignal): Promise<ProcessEntry[]> {
  return withHost(
    where,
    async (host) => {
      const r = await host.run(PS_ARGV, { timeoutMs: 20_000 });
      if (r.exitCode !== 0) {
        throw new LiveError('command-failed', `cannot list processes on ${host.label}: ps ${r.notFound ? 'is not installed' : `failed (${lastLines(r.stderr, 2) || `exit ${r.exitCode ?? r.signal}`})`}; VNF Lens needs procps' ps`);
      }
      const list = parsePsOutput(r.stdout, Date.now());
      const routers = list.filter((p) => p.router !== undefined);
      if (routers.length > 0) {
        const exact = await readCmdlines(
          host,
          routers.map((p) => p.pid),
        );
        for (const p of routers) {
          const argv = exact.get(p.pid);
          if (argv === undefined || argv.length === 0) continue;
          p.argv = argv;
          const router = recognizeRouter(argv);
          if (router) p.router = router;
        }
      }
      return sortRoutersFirst(list);
    },
    abort,
  );
}

/** Reads `ps -o pid=,user:32=,pcpu=,nlwp=,etimes=,args=` output. */
export function parsePsOutput(text: string, nowMs: number): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = PS_LINE.exec(line);
    if (!m) continue;
    const commandLine = m[6]!.trim();
    const kernelThread = /^\[.*\]$/.test(commandLine);
    const argv = kernelThread ? [] : commandLine.split(/\s+/);
    const e: ProcessEntry = {
      pid: Number(m[1]),
      user: m[2]!,
      cpuPercent: Number(m[3]),
      threads: Number(m[4]),
      startedAt: new Date(nowMs - Number(m[5]) * 1000).toISOString(),
      commandLine,
      argv,
      kernelThread,
    };
    const router = kernelThread ? undefined : recognizeRouter(argv);
    if (router) e.router = router;
    out.push(e);
  }
  return out;
}

export function sortRoutersFirst(list: ProcessEntry[]): ProcessEntry[] {
  return [...list].sort((a, b) => Number(b.router !== undefined) - Number(a.router !== undefined) || b.cpuPercent - a.cpuPercent || a.pid - b.pid);
}

/** The exact argv of each PID: read from /proc directly here, through a fixed script over ssh. */
async function readCmdlines(host: HostRunner, pids: number[]): Promise<Map<number, string[]>> {
  return host.remote ? readCmdlinesWithScript(host, pids) : readLocalCmdlines(pids);
}

export async function readLocalCmdlines(pids: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  await Promise.all(
    pids.map(async (pid) => {
      try {
        out.set(pid, splitCmdline(await readFile(`/proc/${pid}/cmdline`)));
      } catch {
        // Gone since ps listed it, or not ours to read: ps's view stays.
      }
    }),
  );
  return out;
}

export async function readCmdlinesWithScript(host: HostRunner, pids: readonly number[]): Promise<Map<number, string[]>> {
  const r = await host.run(['sh', '-c', CMDLINE_SCRIPT, 'vnf-lens', ...pids.map((p) => String(Math.trunc(p)))], { timeoutMs: 20_000 });
  return parseCmdlineDump(r.stdout);
}

/** Reads CMDLINE_SCRIPT's output; a record whose bytes are not all hex is dropped. */
export function parseCmdlineDump(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let pid: number | undefined;
  let hex = '';
  let bad = false;
  const flush = () => {
    if (pid !== undefined && !bad) out.set(pid, splitCmdline(Buffer.from(hex, 'hex')));
  };
  for (const line of text.split('\n')) {
    const head = /^P(\d{1,10})$/.exec(line);
    if (head) {
      flush();
      pid = Number(head[1]);
      hex = '';
      bad = false;
    } else if (pid !== undefined) {
      const bytes = line.replace(/\s+/g, '');
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(bytes)) bad = true;
      else hex += bytes;
    }
  }
  flush();
  return out;
}

/** /proc/PID/cmdline: arguments each ended by a NUL byte. */
export function splitCmdline(bytes: Uint8Array): string[] {
  const argv: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    argv.push(Buffer.from(bytes.subarray(start, i)).toString('utf8'));
    start = i + 1;
  }
  // A process that rewrote its arguments may leave the last one without its NUL.
  if (start < bytes.length) argv.push(Buffer.from(bytes.subarray(start)).toString('utf8'));
  return argv;
}
