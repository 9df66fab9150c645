import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Exporter, DEFAULT_MAX_ROUTERS } from '../../core/exporter/exporter.ts';
import { HostWatcher } from '../../core/exporter/hostWatcher.ts';
import { ReplayRouterSource, loadReplayIntervals } from '../../core/exporter/replaySource.ts';
import { type MetricsServer, parseListen, startMetricsServer } from '../../core/exporter/server.ts';
import { type FleetConfig, TARGET_CONFIG_HELP, TargetConfigError, parseTargetConfig, readTargetConfig } from '../../core/exporter/targetConfig.ts';
import { parseEventList } from '../../core/live/events.ts';
import { parseIdList, validateInterval } from '../../core/live/perfCommand.ts';
import { loadDefaultModel, loadModel } from '../../core/model/load.ts';
import type { Model } from '../../core/model/model.ts';
import { CliError, UsageError } from '../errors.ts';
import { say } from '../output.ts';
import { asUsage } from '../hostOptions.ts';

export const serveHelp = `vnf-lens serve [--listen HOST:PORT] (--local | --ssh HOST) [--ssh-config FILE]
               (--pid PID[,PID…] | --process GLOB | --cmdline GLOB | --match REGEX | --router KIND)…
               [--interval MS] [--events LIST] [--model MODEL.json] [--poll S]
               [--max-routers N] [--replay FILE[#RUN]]… [--replay-hz HZ]
vnf-lens serve [--listen HOST:PORT] --target-config FILE [--model MODEL.json] …

A long-running Prometheus exporter. Attaches perf to the selected routers of one or
more hosts and serves, at http://HOST:PORT/metrics (OpenMetrics or Prometheus text),
per router (labels host, router, pid, comm): counter rates, IPC and miss ratios,
state, loss score and regime, matched scenario with similarity and margin, how much
perf multiplexed, and the exporter's own health. Pattern targets are matched again
every --poll seconds, so routers that start later or restart are attached; the series
of a router that is gone are removed. Stops cleanly on Ctrl-C or SIGTERM.

  --listen HOST:PORT      where to serve (default 127.0.0.1:9464; :PORT for every interface)
  --local | --ssh HOST    where the routers run (HOST: ssh config Host or [user@]host[:port])
  --ssh-config FILE       ssh config file to use instead of ~/.ssh/config
  --perf PATH             perf on the target, if not 'perf' in PATH
  --pid PID[,PID…]        routers by process id
  --process GLOB          routers by executable name, * and ? as wildcards (repeatable)
  --cmdline GLOB          routers whose whole command line matches, * and ? as
                          wildcards (repeatable)
  --match REGEX           routers whose command line matches (repeatable; write
                          --match=-… for a pattern that starts with '-'); run in linear
                          time, so backreferences and lookarounds are refused
  --router KIND           recognised routers of a kind: fastclick, vpp, ovs, snabb, bess,
                          t4p4s, dpdk, or any (repeatable)
  --interval MS           perf interval in milliseconds (default 1000)
  --events LIST           perf events (default: the events the model uses)
  --model MODEL.json      a model from 'vnf-lens calibrate' (default: the shipped model)
  --poll S                seconds between process list reads (default 5)
  --max-routers N         routers exported at most at once (default ${DEFAULT_MAX_ROUTERS})
  --target-config FILE    hosts and targets from a JSON file instead of the options above
  --replay FILE[#RUN]     also export a recording, replayed in a loop as host "replay"
                          (repeatable; demos and dashboards without a lab)
  --replay-hz HZ          intervals per second for --replay (default 1)

${TARGET_CONFIG_HELP}
`;

export async function serveCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      listen: { type: 'string', default: '127.0.0.1:9464' },
      local: { type: 'boolean' },
      ssh: { type: 'string' },
      'ssh-config': { type: 'string' },
      perf: { type: 'string' },
      pid: { type: 'string' },
      process: { type: 'string', multiple: true },
      cmdline: { type: 'string', multiple: true },
      match: { type: 'string', multiple: true },
      router: { type: 'string', multiple: true },
      interval: { type: 'string' },
      events: { type: 'string' },
      model: { type: 'string' },
      poll: { type: 'string' },
      'max-routers': { type: 'string' },
      'target-config': { type: 'string' },
      replay: { type: 'string', multiple: true },
      'replay-hz': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(serveHelp);
    return;
  }
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got ${JSON.stringify(positionals[0])}); see vnf-lens serve --help`);
  const listen = usage(() => parseListen(values.listen));
  const fleet = fleetFromOptions(values);
  const replays = values.replay ?? [];
  if (fleet.hosts.length === 0 && replays.length === 0) throw new UsageError('say what to export: --local or --ssh HOST with --pid/--process/--match/--router, --target-config FILE, or --replay FILE');
  const pollS = values.poll !== undefined ? positive(values.poll, '--poll', 0.2, 3600) : (fleet.pollSeconds ?? 5);
  const maxRouters = values['max-routers'] !== undefined ? Math.round(positive(values['max-routers'], '--max-routers', 1, 100_000)) : DEFAULT_MAX_ROUTERS;
  const replayHz = values['replay-hz'] !== undefined ? positive(values['replay-hz'], '--replay-hz', 0.01, 1000) : 1;
  const model = await (values.model ? loadModel(values.model) : loadDefaultModel()).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const exporter = new Exporter({ model, maxRouters, log: say });

  const sources: ReplayRouterSource[] = [];
  for (const [i, spec] of replays.entries()) {
    const hash = spec.lastIndexOf('#');
    const file = hash > 0 ? spec.slice(0, hash) : spec;
    const intervals = await loadReplayIntervals(file, { ...(hash > 0 ? { run: spec.slice(hash + 1) } : {}), onParseError: () => exporter.host('replay').parseErrors++ }).catch((e: Error) => {
      throw new CliError(`--replay: ${e.message}`);
    });
    const comm = basename(file).replace(/\.[^.]*$/, '').slice(0, 64);
    sources.push(new ReplayRouterSource({ labels: { host: 'replay', router: 'unknown', pid: String(i + 1), comm: hash > 0 ? `${comm}#${spec.slice(hash + 1)}` : comm }, intervals, hz: replayHz, loop: true }));
  }

  let server: MetricsServer;
  try {
    server = await startMetricsServer(exporter, listen);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const events = fleet.events ?? modelEvents(model);
  const watchers = fleet.hosts.map(
    (h) => new HostWatcher(exporter, h, { pollMs: pollS * 1000, ...(fleet.intervalMs !== undefined ? { intervalMs: fleet.intervalMs } : {}), ...(events ? { events } : {}), log: say }),
  );
  const stopped = new Promise<string>((resolve) => {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals) => {
      if (++signals > 1) process.exit(130);
      resolve(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  for (const s of sources) {
    exporter.add(s);
    await s.start();
  }
  for (const w of watchers) w.start();
  say(`serving metrics at http://${server.address.host.includes(':') ? `[${server.address.host}]` : server.address.host}:${server.address.port}/metrics (${[...fleet.hosts.map((h) => h.name), ...(sources.length > 0 ? [`${sources.length} replays`] : [])].join(', ')})`);

  const sig = await stopped;
  say(`${sig}: stopping the sessions…`);
  await Promise.allSettled(watchers.map((w) => w.stop()));
  await exporter.stopAll();
  await server.close();
  say('stopped');
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** Hosts from --target-config, or the one host of --local/--ssh with its targets. */
function fleetFromOptions(v: Values): FleetConfig {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const list = (k: string) => (Array.isArray(v[k]) ? (v[k] as string[]) : []);
  const hostOptions = ['local', 'ssh', 'ssh-config', 'perf', 'pid', 'process', 'cmdline', 'match', 'router'].filter((k) => v[k] !== undefined);
  let fleet: FleetConfig;
  const configFile = str('target-config');
  if (configFile !== undefined) {
    if (hostOptions.length > 0) throw new UsageError(`--target-config names the hosts and targets; drop --${hostOptions[0]} (or drop --target-config)`);
    try {
      fleet = readTargetConfig(configFile);
    } catch (e) {
      throw e instanceof TargetConfigError ? new CliError(e.message, 2) : e;
    }
  } else if (hostOptions.length === 0) {
    fleet = { hosts: [] };
  } else {
    const host: Record<string, unknown> = { targets: [] };
    if (v['local'] === true) host['local'] = true;
    if (str('ssh') !== undefined) host['ssh'] = str('ssh');
    if (str('ssh-config') !== undefined) host['sshConfig'] = str('ssh-config');
    if (str('perf') !== undefined) host['perf'] = str('perf');
    const targets = host['targets'] as unknown[];
    if (str('pid') !== undefined) for (const pid of usage(() => parseIdList(str('pid')!))) targets.push({ pid });
    for (const name of list('process')) targets.push({ name });
    for (const cmdline of list('cmdline')) targets.push({ cmdline });
    for (const match of list('match')) targets.push({ match });
    for (const router of list('router')) targets.push({ router });
    if (targets.length === 0) throw new UsageError('say which routers to export: --pid PID, --process GLOB, --cmdline GLOB, --match REGEX or --router KIND (e.g. --router any)');
    try {
      fleet = parseTargetConfig({ hosts: [host] }, 'options');
    } catch (e) {
      // The options were checked as a one-host config: name the option, not the JSON path.
      const flags: Record<string, string> = { pid: '--pid', name: '--process', cmdline: '--cmdline', match: '--match', router: '--router' };
      throw new UsageError((e as Error).message.replace(/^options: \/hosts\/0(?:\/targets\/\d+\/(\w+))?: /, (_m, k?: string) => (k ? `${flags[k] ?? k}: ` : '')));
    }
  }
  const ms = str('interval');
  if (ms !== undefined) {
    if (!/^\d+$/.test(ms)) throw new UsageError(`--interval ${JSON.stringify(ms)} must be a whole number of milliseconds`);
    fleet.intervalMs = asUsage(() => validateInterval(Number(ms)));
  }
  if (str('events') !== undefined) fleet.events = asUsage(() => parseEventList(str('events')!));
  return fleet;
}

function usage<T>(fn: () => T): T {
  try {
    return asUsage(fn);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new UsageError((e as Error).message);
  }
}

function positive(text: string, flag: string, min: number, max: number): number {
  const x = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(x >= min && x <= max)) throw new UsageError(`${flag} ${JSON.stringify(text)} must be a number from ${min} to ${max}`);
  return x;
}

/** The events the model reads, in its order; undefined when it names none. */
function modelEvents(model: Model): string[] | undefined {
  const names = [...new Set([...model.features.events, ...model.state.features])];
  return names.length > 0 ? parseEventList(names.join(',')) : undefined;
}
