import { LiveError } from './errors.ts';

/** The machine perf runs on: this one, or a lab host reached with the system OpenSSH client. */
export type Target = LocalTarget | SshTarget;

export interface LocalTarget {
  kind: 'local';
  /** perf to run: a name looked up in PATH or a path; `perf` by default. */
  perfPath?: string;
}

export interface SshTarget {
  kind: 'ssh';
  /** A `Host` of the ssh config, a DNS name or an address. */
  host: string;
  user?: string;
  port?: number;
  /** ssh config file used instead of ~/.ssh/config (`ssh -F`). */
  configFile?: string;
  perfPath?: string;
  /** The ssh client; `ssh` from PATH by default. */
  sshPath?: string;
  connectTimeoutS?: number;
  /** Keep-alive probes: the connection counts as lost after interval × count seconds of silence. */
  serverAliveIntervalS?: number;
  serverAliveCountMax?: number;
}

// Host names, config aliases and user names are restricted to characters that need no
// quoting anywhere and cannot be read as an ssh option (no leading '-') or a % token.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;
const PERF_PATH = /^[A-Za-z0-9_./+-]+$/;

/** Parses `[user@]host[:port]` (IPv6 as `[addr]` or `[addr]:port`). */
export function parseSshDestination(text: string): { host: string; user?: string; port?: number } {
  const where = `ssh destination ${JSON.stringify(text)}`;
  let rest = text.trim();
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!NAME.test(user)) throw new LiveError('invalid-target', `${where}: user ${JSON.stringify(user)} must be letters, digits, '.', '_' or '-' (not starting with '-')`);
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new LiveError('invalid-target', `${where}: '[' without ']' around an IPv6 address`);
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw new LiveError('invalid-target', `${where}: unexpected ${JSON.stringify(after)} after ']'`);
      portText = after.slice(1);
    }
    if (!IPV6.test(host)) throw new LiveError('invalid-target', `${where}: ${JSON.stringify(host)} is not an IPv6 address`);
  } else {
    const colon = rest.indexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    if (colon >= 0) portText = rest.slice(colon + 1);
    if (!NAME.test(host)) {
      throw new LiveError('invalid-target', `${where}: host ${JSON.stringify(host)} must be an ssh config Host, a DNS name or an address (letters, digits, '.', '_', '-'; not starting with '-')`);
    }
  }
  const out: { host: string; user?: string; port?: number } = { host };
  if (user !== undefined) out.user = user;
  if (portText !== undefined) out.port = parsePort(portText, where);
  return out;
}

function parsePort(text: string, where: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new LiveError('invalid-target', `${where}: port ${JSON.stringify(text)} must be a number from 1 to 65535`);
  return port;
}

/** Checks a target built by code (settings, the editor) the same way the CLI's are checked. */
export function validateTarget(t: Target): Target {
  if (t.perfPath !== undefined) validatePerfPath(t.perfPath);
  if (t.kind === 'local') return t;
  if (!NAME.test(t.host) && !IPV6.test(t.host)) throw new LiveError('invalid-target', `ssh host ${JSON.stringify(t.host)} is not a valid host name, alias or address`);
  if (t.user !== undefined && !NAME.test(t.user)) throw new LiveError('invalid-target', `ssh user ${JSON.stringify(t.user)} is not a valid user name`);
  if (t.port !== undefined && !(Number.isInteger(t.port) && t.port >= 1 && t.port <= 65535)) throw new LiveError('invalid-target', `ssh port ${t.port} must be from 1 to 65535`);
  for (const [name, v] of [
    ['configFile', t.configFile],
    ['sshPath', t.sshPath],
  ] as const) {
    if (v !== undefined && (v === '' || v.startsWith('-') || v.includes('\0'))) throw new LiveError('invalid-target', `ssh ${name} ${JSON.stringify(v)} is not a usable path`);
  }
  return t;
}

export function validatePerfPath(p: string): string {
  if (!PERF_PATH.test(p) || p.startsWith('-')) {
    throw new LiveError('invalid-target', `perf path ${JSON.stringify(p)} must be a command name or path of letters, digits and _ . / + - (not starting with '-')`);
  }
  return p;
}

/** Builds a target from CLI-style options: exactly one of `--local` and `--ssh HOST`. */
export function targetFromOptions(o: { local?: boolean; ssh?: string; sshConfig?: string; perf?: string }): Target {
  if (o.local && o.ssh !== undefined) throw new LiveError('invalid-target', 'give either --local or --ssh HOST, not both');
  if (!o.local && o.ssh === undefined) throw new LiveError('invalid-target', 'say where the router runs: --local, or --ssh [user@]host[:port]');
  if (o.sshConfig !== undefined && o.ssh === undefined) throw new LiveError('invalid-target', '--ssh-config applies to --ssh targets only');
  let t: Target;
  if (o.local) t = { kind: 'local' };
  else {
    t = { kind: 'ssh', ...parseSshDestination(o.ssh!) };
    if (o.sshConfig !== undefined) t.configFile = o.sshConfig;
  }
  if (o.perf !== undefined) t.perfPath = o.perf;
  return validateTarget(t);
}

/** A short name for messages: `local host`, `root@lab1:2222`. */
export function describeTarget(t: Target): string {
  if (t.kind === 'local') return 'local host';
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user !== undefined ? `${t.user}@` : ''}${host}${t.port !== undefined ? `:${t.port}` : ''}`;
}
