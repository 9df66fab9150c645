import { parseArgs } from 'node:util';
import { LiveError } from '../../core/host/errors.ts';
import { offeredProcesses } from '../../core/host/processNoise.ts';
import type { ProcessEntry } from '../../core/host/processes.ts';
import { listProcessesWithCounters } from '../../core/counters/processCounters.ts';
import { CliError, UsageError } from '../errors.ts';
import { HOST_OPTIONS, hostTarget } from '../hostOptions.ts';
import { Output, terminalSafe } from '../output.ts';

export const psHelp = `vnf-lens ps (--local | --ssh [user@]host[:port]) [--ssh-config FILE] [--all] [--routers] [--format table|json]

Lists the processes of the local machine or of a lab host, routers first (FastClick,
VPP, OVS, snabb, BESS, t4p4s, DPDK applications), with the configuration file
named on each router's command line and the packet counters it publishes
(COUNTERS: dpdk-telemetry:PREFIX, vppctl, click:ADDRESS, ovs-appctl), which
'record' and 'watch' read by default.

  --local                this machine
  --ssh HOST             a host of your ssh config, or [user@]host[:port]; uses your
                         ssh client, keys and agent (never a password)
  --ssh-config FILE      ssh config file to use instead of ~/.ssh/config
  --all                  include kernel threads, this listing's own ps and the
                         editor's and browser's processes (left out by default)
  --routers              only the recognised routers
  --format table|json    table (default) for people, json for programs
`;

export async function psCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...HOST_OPTIONS,
      all: { type: 'boolean' },
      routers: { type: 'boolean' },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(psHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`ps takes no arguments (got ${JSON.stringify(positionals[0])}); see vnf-lens ps --help`);
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format must be table or json, not ${JSON.stringify(values.format)}`);
  const target = hostTarget(values);
  let list: ProcessEntry[];
  try {
    list = await listProcessesWithCounters(target);
  } catch (e) {
    throw e instanceof LiveError ? new CliError(e.message) : e;
  }
  if (!values.all) list = offeredProcesses(list).shown;
  if (values.routers) list = list.filter((p) => p.router !== undefined);
  const out = new Output();
  if (values.format === 'json') out.line(JSON.stringify(list, null, 2));
  else for (const l of processTable(list)) out.line(l);
  await out.flush();
}


export function processTable(list: readonly ProcessEntry[]): string[] {
  const rows = list.map((p) => cellsOf(p).map((c) => terminalSafe(c)));
  return formatTable(rows);
}

function cellsOf(p: ProcessEntry): string[] {
  return [
    String(p.pid),
    p.user,
    p.cpuPercent.toFixed(1),
    String(p.threads),
    shortTime(p.startedAt),
    p.router ? p.router.name : '-',
    p.router ? [...p.router.configFiles, ...(p.router.detail ? [p.router.detail] : [])].join(' ') || '-' : '-',
    p.counters ?? '-',
    p.commandLine,
  ];
}

function formatTable(rows: string[][]): string[] {
  const head = ['PID', 'USER', 'CPU%', 'THR', 'STARTED', 'ROUTER', 'CONFIG', 'COUNTERS', 'COMMAND'];
  const widths = head.map((h, i) => (i === head.length - 1 ? 0 : Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length)))));
  const right = new Set([0, 2, 3]);
  const fmt = (r: string[]) =>
    r
      .map((c, i) => {
        if (i === r.length - 1) return c;
        const cell = c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c;
        return right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ');
  return [fmt(head), ...rows.map(fmt)];
}

function shortTime(iso: string): string {
  const d = new Date(iso);
  const today = new Date();
  const hhmm = d.toTimeString().slice(0, 8);
  return d.toDateString() === today.toDateString() ? hhmm : d.toISOString().slice(0, 10);
}
