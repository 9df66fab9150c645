import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExeca } from '../../src/core/host/exec.ts';
import type { SshTarget } from '../../src/core/host/target.ts';
import { findBinary } from './binaries.ts';
import { hostChangesAllowed } from './hostChanges.ts';
import { killQuietly, track } from './cleanup.ts';

/**
 * The unprivileged login the tests use for permission cases; created and removed by
 * the harness, with a name of its own per test process so that concurrent runs never
 * share (or remove) each other's user. Created only where host changes are allowed.
 */
export const TEST_USER = `vnflens-it-${process.pid}`;

/** Host aliases in the fixture's ssh client config. */
export const HOSTS = {
  /** root with an accepted key. */
  lab: 'vnflens-lab',
  /** The unprivileged test user. */
  user: 'vnflens-user',
  /** The test user on the port whose sessions have no perf in PATH. */
  noPerf: 'vnflens-noperf',
  /** A key the server does not accept. */
  stranger: 'vnflens-stranger',
  /** A known_hosts without the server's key. */
  unknownKey: 'vnflens-unknownkey',
} as const;

export interface SshdFixture {
  dir: string;
  port: number;
  /** ssh client config (for `ssh -F` / `--ssh-config`). */
  clientConfig: string;
  target(alias: string, extra?: Partial<SshTarget>): SshTarget;
  /** Kills sshd and its connection processes, as a crash would. */
  crash(): void;
  /** Starts sshd again on the same ports. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** What sshd logged. */
  log(): string;
}

/** Tools the no-perf sessions may use: what the probe needs, and not perf. */
const NO_PERF_TOOLS = ['sh', 'id', 'cat', 'sed', 'tr', 'stat', 'ps', 'printf', 'test', 'kill', 'sleep', 'true'];

/**
 * A real OpenSSH server on 127.0.0.1 with its own config, host key and keys, in a
 * temporary folder. Nothing of the user's ~/.ssh is read or written: the client
 * config names the identity and a known_hosts file inside the folder.
 */
export async function startSshd(): Promise<SshdFixture> {
  const sshd = findBinary('sshd');
  const keygen = findBinary('ssh-keygen');
  if (!sshd || !keygen) throw new Error('OpenSSH is not installed (Debian: apt install openssh-server openssh-client)');
  const { execa } = await loadExeca();
  const dir = mkdtempSync(join(tmpdir(), 'vnflens-sshd-'));
  // sshd reads authorized keys as the logging-in user: the folder must be readable to the test user.
  chmodSync(dir, 0o755);
  const untrackDir = track(`sshd folder ${dir}`, () => rmSync(dir, { recursive: true, force: true }), { kind: 'path', path: dir });
  for (const k of ['host_key', 'user_key', 'stranger_key']) await execa(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', `vnf-lens test ${k}`, '-f', join(dir, k)]);
  // The unprivileged user is a change to the whole host: only where allowed (its hosts then fail to log in).
  const untrackUser = hostChangesAllowed() ? await ensureTestUser(dir) : () => {};
  const ak = join(dir, 'authorized_keys');
  mkdirSync(ak, { mode: 0o755 });
  const pub = readFileSync(join(dir, 'user_key.pub'), 'utf8');
  for (const u of ['root', TEST_USER]) writeFileSync(join(ak, u), pub, { mode: 0o644 });
  const noPerfBin = join(dir, 'bin-without-perf');
  mkdirSync(noPerfBin, { mode: 0o755 });
  for (const t of NO_PERF_TOOLS) {
    const p = findBinary(t);
    if (p) symlinkSync(p, join(noPerfBin, t));
  }
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const port = await freePort();
  const noPerfPort = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1:${port}`,
      `ListenAddress 127.0.0.1:${noPerfPort}`,
      `HostKey ${join(dir, 'host_key')}`,
      'PidFile none',
      `AuthorizedKeysFile ${ak}/%u`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AllowUsers root ${TEST_USER}`,
      'MaxSessions 20',
      'LogLevel VERBOSE',
      `Match LocalPort ${noPerfPort}`,
      `  SetEnv PATH=${noPerfBin}`,
      '',
    ].join('\n'),
  );
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim();
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n[127.0.0.1]:${noPerfPort} ${hostPub}\n`);
  writeFileSync(join(dir, 'empty_known_hosts'), '');
  const clientConfig = join(dir, 'ssh_config');
  const host = (alias: string, user: string, key: string, knownHosts: string, p: number) =>
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${p}`,
      `  User ${user}`,
      `  IdentityFile ${join(dir, key)}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${join(dir, knownHosts)}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  LogLevel ERROR',
      '',
    ].join('\n');
  writeFileSync(
    clientConfig,
    [
      host(HOSTS.lab, 'root', 'user_key', 'known_hosts', port),
      host(HOSTS.user, TEST_USER, 'user_key', 'known_hosts', port),
      host(HOSTS.noPerf, TEST_USER, 'user_key', 'known_hosts', noPerfPort),
      host(HOSTS.stranger, 'root', 'stranger_key', 'known_hosts', port),
      host(HOSTS.unknownKey, 'root', 'user_key', 'empty_known_hosts', port),
    ].join('\n'),
  );

  let log = '';
  let server: Awaited<ReturnType<typeof launch>> | undefined;
  async function launch() {
    const child = execa(sshd!, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdin: 'ignore', buffer: false, reject: false });
    let done = false;
    const exited = child.then(() => (done = true));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (t: string) => (log = (log + t).slice(-200_000)));
    const untrack = track(`sshd ${child.pid}`, () => killTree(child.pid), { kind: 'process', pid: child.pid! });
    const mark = log.length;
    const started = Date.now();
    while (!/Server listening on 127\.0\.0\.1 port/.test(log.slice(mark))) {
      if (done) throw new Error(`sshd did not start:\n${log.slice(mark)}`);
      if (Date.now() - started > 10_000) throw new Error(`sshd did not listen within 10 s:\n${log.slice(mark)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { child, exited, untrack };
  }
  server = await launch();

  const fixture: SshdFixture = {
    dir,
    port,
    clientConfig,
    target: (alias, extra = {}) => ({ kind: 'ssh', host: alias, configFile: clientConfig, connectTimeoutS: 5, serverAliveIntervalS: 1, serverAliveCountMax: 3, ...extra }),
    crash() {
      if (!server) return;
      killTree(server.child.pid);
    },
    async restart() {
      if (server) {
        killTree(server.child.pid);
        await server.exited;
        server.untrack();
      }
      server = await launch();
    },
    async stop() {
      if (server) {
        killTree(server.child.pid);
        await server.exited;
        server.untrack();
        server = undefined;
      }
      untrackUser();
      removeTestUser();
      rmSync(dir, { recursive: true, force: true });
      untrackDir();
    },
    log: () => log,
  };
  return fixture;
}

/** sshd and its per-connection sshd processes (what a crash of the server takes down). */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const child of sshdChildren(pid)) killQuietly(child);
  killQuietly(pid);
}

function sshdChildren(parent: number): number[] {
  const out: number[] = [];
  const stack = [parent];
  const table = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        const ppid = Number(stat.slice(close + 2).split(' ')[1]);
        return { pid: Number(d), ppid, comm };
      } catch {
        return undefined;
      }
    })
    .filter((x) => x !== undefined);
  while (stack.length > 0) {
    const p = stack.pop()!;
    for (const e of table) {
      if (e.ppid === p && e.comm.startsWith('sshd')) {
        out.push(e.pid);
        stack.push(e.pid);
      }
    }
  }
  return out;
}

let testUid: number | undefined;
let execaSync: typeof import('execa').execaSync | undefined;

async function ensureTestUser(dir: string): Promise<() => void> {
  const { execa } = await loadExeca();
  const home = join(dir, 'home');
  const exists = (await execa('id', ['-u', TEST_USER], { reject: false })).exitCode === 0;
  if (exists) await execa('usermod', ['-d', home, TEST_USER]);
  else await execa('useradd', ['-M', '-d', home, '-s', '/bin/sh', TEST_USER]);
  // '*' (no password) instead of useradd's '!' (locked): sshd without PAM refuses locked accounts.
  await execa('usermod', ['-p', '*', TEST_USER]);
  mkdirSync(home, { mode: 0o755 });
  const { uid, gid } = await userIds(TEST_USER);
  testUid = uid;
  execaSync = (await loadExeca()).execaSync;
  chownSync(home, uid, gid);
  return track(`test user ${TEST_USER}`, removeTestUser, { kind: 'user', name: TEST_USER });
}

export async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const { execa } = await loadExeca();
  const uid = Number((await execa('id', ['-u', name])).stdout);
  const gid = Number((await execa('id', ['-g', name])).stdout);
  return { uid, gid };
}

/** Removes the test user and ends what still runs as it (only the tests start processes as this user). */
function removeTestUser(): void {
  // Synchronous: this also runs from the exit handler.
  if (!readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.startsWith(`${TEST_USER}:`))) return;
  const uid = testUid;
  if (uid !== undefined) {
    for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
        if (m && Number(m[1]) === uid) killQuietly(Number(d));
      } catch {
        // gone meanwhile
      }
    }
  }
  const r = execaSync?.('userdel', [TEST_USER], { reject: false });
  if (r && r.exitCode !== 0) process.stderr.write(`userdel ${TEST_USER} failed: ${String(r.stderr)}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
