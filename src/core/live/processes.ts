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
}

const PS_ARGV = ['ps', '-e', '-ww', '-o', 'pid=,user:32=,pcpu=,nlwp=,etimes=,args='];
const PS_LINE = /^\s*(\d+)\s+(\S+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s(.*)$/;
/** Prints each PID's exact argv: fields split by US (\037), records by RS (\036). */
const CMDLINE_SCRIPT = `for p do printf '%s\\037' "$p"; tr '\\000' '\\037' < "/proc/$p/cmdline"; printf '\\036'; done 2>/dev/null; exit 0`;

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

async function readCmdlines(host: HostRunner, pids: number[]): Promise<Map<number, string[]>> {
  const r = await host.run(['sh', '-c', CMDLINE_SCRIPT, 'vnf-lens', ...pids.map(String)], { timeoutMs: 20_000 });
  return parseCmdlineRecords(r.stdout);
}

export function parseCmdlineRecords(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const rec of text.split('\x1e')) {
    const fields = rec.split('\x1f');
    const pid = Number(fields[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const argv = fields.slice(1);
    if (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
    out.set(pid, argv);
  }
  return out;
}
