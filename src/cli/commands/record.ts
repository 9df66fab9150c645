import { parseArgs } from 'node:util';
import { LiveError } from '../../core/host/errors.ts';
import { type LiveSession, type SessionEnd, LiveSession as Session } from '../../core/live/session.ts';
import { type SessionOptionText, sessionOptionsFromText } from '../../core/live/sessionOptions.ts';
import type { LiveSessionOptions } from '../../core/live/session.ts';
import type { RevisionRecord } from '../../core/recording/format.ts';
import { CliError, UsageError } from '../errors.ts';
import { say, terminalSafe } from '../output.ts';
import { asUsage } from '../hostOptions.ts';

export const recordHelp = `vnf-lens record (--local | --ssh HOST) [--ssh-config FILE] --pid PID[,PID…]
                [--interval MS] [--events LIST] [--duration S] [--tag KEY=VALUE]… --out PATH

Attaches 'perf stat' to running router processes and appends every interval to a
.vnflens recording as it arrives (a crash loses at most the interval in flight).
Stops on Ctrl-C, after --duration, or when the routers exit and do not come back. Over ssh, a dropped
connection is re-established and the recording goes on with the gap marked.
'vnf-lens replay PATH' and 'vnf-lens infer PATH' read the recording.

  --local                 the router runs on this machine
  --ssh HOST              a host of your ssh config, or [user@]host[:port]
  --ssh-config FILE       ssh config file to use instead of ~/.ssh/config
  --perf PATH             perf on the target, if not 'perf' in PATH
  --pid PID[,PID…]        the router process(es); several PIDs (a service chain)
                          give one stream each
  --tid TID[,TID…]        attach to single threads instead
  --interval MS           interval length in milliseconds (default 1000)
  --events LIST           perf events, comma-separated (default: the 31 events of the
                          ITC 2021 study); events the host cannot count are dropped
                          with a notice saying why
  --duration S            stop after S seconds
  --counters SOURCE       the router's own packet counters, read at every interval and
                          stored with it: auto (default: found from the process —
                          DPDK telemetry, VPP, Click ControlSocket, OVS), dpdk[:PREFIX],
                          netdev:IF[,IF…], vpp[:CLI-SOCKET], click:[HOST:]PORT,
                          click:unix:PATH, ovs, or none
  --no-router-counters    read no router counters (perf only)
  --restart-timeout S     when a router exits, wait S seconds (default 30) for a process
                          with its identity (same command line, or same executable and
                          config files) and go on with it as a new revision in the same
                          recording; 0 ends the stream when its router exits
  --tag KEY=VALUE         a label stored in the recording (repeatable)
  --out PATH              the new recording (never overwritten)
`;

export async function recordCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...LIVE_OPTIONS, out: { type: 'string' }, tag: { type: 'string', multiple: true } } });
  if (values.help) {
    process.stdout.write(recordHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`record takes no arguments (got ${JSON.stringify(positionals[0])}); see vnf-lens record --help`);
  if (values.out === undefined) throw new UsageError('give the recording to write: --out PATH (e.g. --out run1.vnflens)');
  const opts = asUsage(() => sessionOptionsFromText({ ...liveOptionText(values), out: values.out!, ...(values.tag ? { tags: values.tag } : {}) }));
  const session = new Session(opts);
  let count = 0;
  const progress = process.stderr.isTTY ? new Progress() : undefined;
  session.on('interval', (iv) => {
    count++;
    progress?.show(`recorded ${count} intervals (${iv.stream ?? ''} t=${iv.t.toFixed(1)} s)`);
  });
  const end = await runSession(session, opts, { progress });
  progress?.clear();
  say(`${count} intervals in ${values.out}; ${end.reason}`);
  failUnlessClean(end);
}

/** The options every live command takes. */
export const LIVE_OPTIONS = {
  local: { type: 'boolean' },
  ssh: { type: 'string' },
  'ssh-config': { type: 'string' },
  perf: { type: 'string' },
  pid: { type: 'string' },
  tid: { type: 'string' },
  interval: { type: 'string' },
  events: { type: 'string' },
  duration: { type: 'string' },
  counters: { type: 'string' },
  'no-router-counters': { type: 'boolean' },
  'restart-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function liveOptionText(v: Record<string, string | boolean | string[] | undefined>): SessionOptionText {
  const o: SessionOptionText = {};
  if (v['local'] === true) o.local = true;
  if (v['no-router-counters'] === true) o.noRouterCounters = true;
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const map: [keyof SessionOptionText, string][] = [
    ['ssh', 'ssh'],
    ['sshConfig', 'ssh-config'],
    ['perf', 'perf'],
    ['pid', 'pid'],
    ['tid', 'tid'],
    ['interval', 'interval'],
    ['events', 'events'],
    ['duration', 'duration'],
    ['counters', 'counters'],
    ['restartTimeout', 'restart-timeout'],
  ];
  for (const [key, flag] of map) {
    const val = s(flag);
    if (val !== undefined) (o as Record<string, unknown>)[key] = val;
  }
  return o;
}

/**
 * Starts the session, reports its status, notices and perf's stderr on stderr, and
 * stops it on Ctrl-C (a second Ctrl-C quits at once). Resolves when it has ended.
 */
export async function runSession(session: LiveSession, opts: LiveSessionOptions, ui: { progress?: Progress | undefined } = {}): Promise<SessionEnd> {
  const sayNow = (s: string) => {
    ui.progress?.clear();
    say(s);
  };
  const where = opts.target.kind === 'local' ? 'local host' : opts.target.host;
  session.on('status', (st) => {
    if (st.state === 'connecting' && opts.target.kind === 'ssh') sayNow(`connecting to ${where}…`);
    else if (st.state === 'reconnecting' && st.attempt !== undefined) sayNow(`reconnecting (attempt ${st.attempt} in ${(st.delayMs! / 1000).toFixed(1)} s): ${st.reason ?? ''}`);
    else if (st.state === 'reconnecting') sayNow(`connection lost: ${st.reason ?? ''}`);
  });
  session.on('notice', (n) => sayNow(`note: ${n}`));
  session.on('stderr', (l) => sayNow(`perf (${l.stream}): ${l.line}`));
  session.on('gap', (g) => sayNow(`${g.stream ?? ''}: gap ${g.from} – ${g.to} (${g.reason})`));
  session.on('revision', (r) => sayNow(`${r.stream}: revision ${r.n} is process ${r.pid}${describeRevision(r)}`));
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    sayNow('stopping (Ctrl-C again to quit at once)…');
    void session.stop('stopped by the user');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    await session.start();
    const p = session.probe!;
    sayNow(`perf ${p.perfVersion} on ${p.host}: counting ${p.events.length} events every ${opts.intervalMs ?? 1000} ms on ${session.streams.map((s) => s.name).join(', ')}${opts.recordTo ? ` into ${opts.recordTo}` : ''}`);
    return await session.ended;
  } catch (e) {
    if (e instanceof LiveError) {
      if (e.code === 'cancelled') return session.ended;
      throw new CliError(e.message, e.code === 'invalid-spec' || e.code === 'invalid-target' ? 2 : 1);
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** ` · config router.click 3f2a…, build-id 52390ac2…, git 1a2b3c4 (dirty)` for a revision line. */
export function describeRevision(r: RevisionRecord): string {
  const parts = [
    ...(r.configs ?? []).map((c) => `config ${c.path} ${c.sha256 ? `${c.sha256.slice(0, 12)}` : `(${c.error ?? 'unread'})`}`),
    r.binary ? (r.binary.buildId ? `build-id ${r.binary.buildId.slice(0, 12)}` : r.binary.sha256 ? `binary sha256 ${r.binary.sha256.slice(0, 12)}` : `binary ${r.binary.error ?? '?'}`) : '',
    r.git ? `git ${r.git.commit.slice(0, 10)}${r.git.dirty ? ' (dirty)' : ''}` : '',
  ].filter((x) => x !== '');
  return parts.length > 0 ? ` · ${parts.join(', ')}` : '';
}

/** Router exit, duration and Ctrl-C are normal ends; anything else is a failure. */
export function failUnlessClean(end: SessionEnd): void {
  if (end.kind === 'stopped' || end.kind === 'duration' || end.kind === 'router-exited') return;
  throw new CliError(`session ended: ${end.reason}`);
}

/** One status line on a terminal, rewritten in place. */
export class Progress {
  private shown = false;

  show(text: string): void {
    process.stderr.write(`\r\x1b[2K${terminalSafe(text)}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
