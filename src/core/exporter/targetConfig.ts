import { readFileSync } from 'node:fs';
import { parseEventList } from '../live/events.ts';
import { stripBom } from '../model/load.ts';
import { validateId, validateInterval } from '../live/perfCommand.ts';
import type { RouterKind } from '../host/routers.ts';
import { type Target, describeTarget, targetFromOptions } from '../host/target.ts';
import { compileRegexMatcher } from './patterns.ts';
import { ROUTER_KINDS, type TargetSpec } from './targets.ts';

/** One host the exporter watches and what to attach to there. */
export interface HostSpec {
  /** The `host` label of its series. */
  name: string;
  target: Target;
  targets: TargetSpec[];
  intervalMs?: number;
  events?: string[];
}

export interface FleetConfig {
  hosts: HostSpec[];
  intervalMs?: number;
  events?: string[];
  pollSeconds?: number;
}

export class TargetConfigError extends Error {}

export const TARGET_CONFIG_HELP = `A target config is a JSON file:

  {
    "intervalMs": 1000,                      optional, default 1000
    "events": ["task-clock", "branch-misses"],  optional, default: the model's events
    "pollSeconds": 5,                        optional: how often patterns are matched again
    "hosts": [
      { "local": true, "targets": [{ "router": "any" }] },
      { "ssh": "root@lab1:22", "name": "lab1", "sshConfig": "/path/ssh_config", "perf": "/usr/bin/perf",
        "intervalMs": 500, "events": ["task-clock"],
        "targets": [{ "pid": 4242 }, { "name": "vpp_main" }, { "cmdline": "*click *bridge.click*" },
                    { "match": "click .*bridge\\\\.click" }, { "router": "dpdk" }] }
    ]
  }

Each host is "local": true or "ssh": "[user@]host[:port]" ("name" sets its host label;
"sshConfig", "perf", "intervalMs" and "events" are optional). Targets: "pid" a process;
"name" the executable's base name, * and ? as wildcards; "cmdline" the whole command
line, * and ? as wildcards; "match" a regular expression searched in the command line
(run in linear time: no backreferences or lookarounds); "router" a recognised router kind (fastclick, vpp, ovs,
snabb, bess, t4p4s, dpdk) or "any". Pattern targets follow routers across restarts.`;

/** Reads and checks a target config file; errors name the file and the JSON path. */
export function readTargetConfig(file: string): FleetConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new TargetConfigError(`target config ${file}: cannot read it: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(stripBom(text));
  } catch (e) {
    throw new TargetConfigError(`target config ${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseTargetConfig(json, `target config ${file}`);
}

export function parseTargetConfig(json: unknown, source: string): FleetConfig {
  const fail = (where: string, what: string): never => {
    throw new TargetConfigError(`${source}: ${where || '(top level)'}: ${what}`);
  };
  const top = obj(json, '', fail);
  known(top, '', ['hosts', 'intervalMs', 'events', 'pollSeconds'], fail);
  const out: FleetConfig = { hosts: [] };
  if (top['intervalMs'] !== undefined) out.intervalMs = interval(top['intervalMs'], '/intervalMs', fail);
  if (top['events'] !== undefined) out.events = events(top['events'], '/events', fail);
  if (top['pollSeconds'] !== undefined) {
    const p = top['pollSeconds'];
    if (typeof p !== 'number' || !(p >= 0.2 && p <= 3600)) fail('/pollSeconds', 'must be a number of seconds from 0.2 to 3600');
    out.pollSeconds = p as number;
  }
  const hosts = top['hosts'];
  if (!Array.isArray(hosts) || hosts.length === 0) fail('/hosts', 'must be a non-empty array of hosts');
  const names = new Set<string>();
  (hosts as unknown[]).forEach((h, i) => {
    const at = `/hosts/${i}`;
    const o = obj(h, at, fail);
    known(o, at, ['local', 'ssh', 'name', 'sshConfig', 'perf', 'targets', 'intervalMs', 'events'], fail);
    let target: Target;
    try {
      target = targetFromOptions({
        ...(o['local'] === true ? { local: true } : {}),
        ...(typeof o['ssh'] === 'string' ? { ssh: o['ssh'] } : {}),
        ...(typeof o['sshConfig'] === 'string' ? { sshConfig: o['sshConfig'] } : {}),
        ...(typeof o['perf'] === 'string' ? { perf: o['perf'] } : {}),
      });
    } catch (e) {
      return fail(at, (e as Error).message.replace('--local, or --ssh', '"local": true, or "ssh":').replace('--local or --ssh HOST', '"local" or "ssh"').replace('--ssh-config', '"sshConfig"'));
    }
    for (const k of ['ssh', 'sshConfig', 'perf', 'name'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') fail(`${at}/${k}`, 'must be a string');
    const name = typeof o['name'] === 'string' ? o['name'] : target.kind === 'local' ? 'local' : describeTarget(target);
    if (!/^[\w.@:[\]-]{1,64}$/.test(name)) fail(`${at}/name`, `${JSON.stringify(name)} must be 1-64 letters, digits or . _ - @ : [ ]`);
    if (names.has(name)) fail(`${at}/name`, `host name ${JSON.stringify(name)} is used twice; give each host its own "name"`);
    names.add(name);
    const spec: HostSpec = { name, target, targets: targets(o['targets'], `${at}/targets`, fail) };
    if (o['intervalMs'] !== undefined) spec.intervalMs = interval(o['intervalMs'], `${at}/intervalMs`, fail);
    if (o['events'] !== undefined) spec.events = events(o['events'], `${at}/events`, fail);
    out.hosts.push(spec);
  });
  return out;
}

type Fail = (where: string, what: string) => never;

function obj(v: unknown, at: string, fail: Fail): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(at, 'must be a JSON object');
  return v as Record<string, unknown>;
}

function known(o: Record<string, unknown>, at: string, keys: string[], fail: Fail): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(at, `unknown key ${JSON.stringify(k)} (known: ${keys.join(', ')})`);
}

function interval(v: unknown, at: string, fail: Fail): number {
  try {
    if (typeof v !== 'number') throw new Error('must be a number of milliseconds');
    return validateInterval(v);
  } catch (e) {
    return fail(at, (e as Error).message);
  }
}

function events(v: unknown, at: string, fail: Fail): string[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) fail(at, 'must be a non-empty array of perf event names');
  try {
    return parseEventList((v as string[]).join(','));
  } catch (e) {
    return fail(at, (e as Error).message);
  }
}

function targets(v: unknown, at: string, fail: Fail): TargetSpec[] {
  if (!Array.isArray(v) || v.length === 0) fail(at, 'must be a non-empty array of targets ({"pid": N}, {"name": GLOB}, {"cmdline": GLOB}, {"match": REGEX} or {"router": KIND})');
  return (v as unknown[]).map((t, i) => target(t, `${at}/${i}`, fail));
}

function target(v: unknown, at: string, fail: Fail): TargetSpec {
  const o = obj(v, at, fail);
  const keys = Object.keys(o);
  if (keys.length !== 1 || !['pid', 'name', 'cmdline', 'match', 'router'].includes(keys[0]!)) fail(at, 'give exactly one of "pid", "name", "cmdline", "match", "router"');
  const [k, val] = [keys[0]!, o[keys[0]!]];
  if (k === 'pid') {
    try {
      return { pid: validateId(val as number, 'PID') };
    } catch (e) {
      return fail(`${at}/pid`, (e as Error).message);
    }
  }
  if (typeof val !== 'string' || val === '') return fail(`${at}/${k}`, 'must be a non-empty string');
  if (val.length > 1024) return fail(`${at}/${k}`, 'must be at most 1024 characters');
  if (k === 'name') return { name: val };
  if (k === 'cmdline') return { cmdline: val };
  if (k === 'match') {
    try {
      compileRegexMatcher(val);
    } catch (e) {
      return fail(`${at}/match`, (e as Error).message);
    }
    return { match: val };
  }
  if (!(ROUTER_KINDS as readonly string[]).includes(val)) fail(`${at}/router`, `${JSON.stringify(val)} is not a router kind (${ROUTER_KINDS.join(', ')})`);
  return { router: val as RouterKind | 'any' };
}
