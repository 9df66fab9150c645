import { LiveError } from './errors.ts';

export interface SshErrorContext {
  /** `root@lab1:2222`, as the user gave it. */
  destination: string;
  configFile?: string;
  port?: number;
}

/** Turns the ssh client's stderr into an error that says what to do about it. */
export function classifySshFailure(stderr: string, exitCode: number | undefined, ctx: SshErrorContext): LiveError {
  const d = ctx.destination;
  const config = ctx.configFile ?? '~/.ssh/config';
  const detail = lastLines(stderr, 3);
  let m: RegExpExecArray | null;
  if ((m = /Could not resolve hostname ([^:\s]+):\s*(.*)/.exec(stderr))) {
    return new LiveError('unknown-host', `cannot resolve host ${m[1]}: it is not a Host in ${config} and not a known DNS name (${m[2]!.trim()})`);
  }
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    return new LiveError('host-key', `the host key of ${d} has changed since it was stored in known_hosts; if the host was reinstalled, remove the old key (ssh-keygen -R HOST) and connect once with ssh in a terminal to accept the new one`);
  }
  if (/Host key verification failed|No \S* ?host key is known|host key for .* not known/i.test(stderr)) {
    return new LiveError('host-key', `the host key of ${d} is not in known_hosts; connect once with 'ssh ${d}' in a terminal to check and accept it, then try again`);
  }
  if ((m = /Permission denied \(([^)]*)\)/.exec(stderr))) {
    return new LiveError(
      'auth',
      `${d} refused the login: none of the offered keys was accepted (the server allows: ${m[1]}). ` +
        `VNF Lens never asks for or stores passwords; set up key login: ssh-keygen -t ed25519, then ssh-copy-id ${d} ` +
        `(or name the key with IdentityFile in ${config}, or add it to ssh-agent); 'ssh -o BatchMode=yes ${d} true' must work without a prompt`,
    );
  }
  if (/Connection refused/.test(stderr)) {
    return new LiveError('connect', `${d} refused the connection${ctx.port !== undefined ? ` on port ${ctx.port}` : ''}: is sshd running there and is the port right? (${detail})`);
  }
  if (/timed out|Timeout/i.test(stderr)) {
    return new LiveError('connect', `no answer from ${d} in time: check the address, the network and firewalls (${detail})`);
  }
  if (/No route to host|Network is unreachable|Name or service not known/.test(stderr)) {
    return new LiveError('connect', `cannot reach ${d} (${detail})`);
  }
  if (/Can't open user config file|Bad configuration option|bad configuration options|no argument after keyword|Unsupported option/i.test(stderr)) {
    return new LiveError('invalid-target', `ssh cannot use its configuration (${config}): ${detail}`);
  }
  if (/Connection (closed|reset)|Broken pipe|closed by remote host|kex_exchange_identification/.test(stderr)) {
    return new LiveError('connect', `${d} closed the connection (${detail})`);
  }
  return new LiveError('ssh', `ssh to ${d} failed${exitCode !== undefined ? ` (exit ${exitCode})` : ''}: ${detail || 'no message from ssh'}`);
}

export function lastLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-n)
    .join('; ');
}
