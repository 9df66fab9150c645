import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { loadExeca } from '../host/exec.ts';
import type { HostRunner } from '../host/host.ts';
import type { BinaryIdentity, FileIdentity, RevisionRecord } from '../recording/format.ts';
import { elfBuildId } from './elfBuildId.ts';

/** What identifies a revision, without its place in the session (stream, number, time). */
export type RevisionIdentity = Pick<RevisionRecord, 'cmdline' | 'configs' | 'binary' | 'git'>;

export interface IdentifiedRevision {
  identity: RevisionIdentity;
  /** Each readable config file's text, by path as named (for a diff against the previous revision; not recorded). */
  configTexts: Map<string, string>;
}

/** Config files bigger than this are hashed as far as read and marked. */
const MAX_CONFIG_BYTES = 4 << 20;

/**
 * Reads the config files (relative ones from the process's working folder, as the router
 * resolved them), the executable and the workspace's git commit. Each part that cannot
 * be read says why in its record; it never fails the session.
 */
export async function identifyRevision(host: HostRunner, pid: number, argv: readonly string[], configFiles: readonly string[], gitDir?: string): Promise<IdentifiedRevision> {
  const configTexts = new Map<string, string>();
  // The parts are independent: read at once, so a restart is picked up without waiting on each in turn.
  const [texts, binary, git] = await Promise.all([
    Promise.all(configFiles.map((path) => readConfig(host, pid, path).catch((e: Error) => e))),
    binaryIdentity(host, pid),
    gitDir !== undefined ? gitCommit(gitDir) : undefined,
  ]);
  const configs: FileIdentity[] = configFiles.map((path, i) => {
    const text = texts[i]!;
    if (text instanceof Error) return { path, error: text.message };
    configTexts.set(path, text);
    return { path, sha256: sha256(text), bytes: Buffer.byteLength(text) };
  });
  const identity: RevisionIdentity = { cmdline: argv.join(' '), configs, binary };
  if (git) identity.git = git;
  return { identity, configTexts };
}

const CAT_SCRIPT = 'cd "/proc/$1/cwd" 2>/dev/null || exit 3; head -c "$2" -- "$3"';

async function readConfig(host: HostRunner, pid: number, path: string): Promise<string> {
  const r = await host.run(['sh', '-c', CAT_SCRIPT, 'vnf-lens', String(pid), String(MAX_CONFIG_BYTES), path], { timeoutMs: 10_000 });
  if (r.exitCode === 3) throw new Error(`cannot enter the working folder of process ${pid} on ${host.label}`);
  if (r.exitCode !== 0) throw new Error(`cannot read ${path} on ${host.label}: ${r.stderr.trim().split('\n').pop() || `exit ${r.exitCode ?? r.signal}`}`);
  return r.stdout;
}

/**
 * The build-id from the ELF note, read here in TypeScript through /proc/PID/exe (the
 * binary the process runs, even when the file was since rebuilt), or by `readelf -n`
 * on a remote host; the file's SHA-256 when there is no build-id.
 */
async function binaryIdentity(host: HostRunner, pid: number): Promise<BinaryIdentity> {
  if (!host.remote) {
    const exe = `/proc/${pid}/exe`;
    let path = exe;
    try {
      path = await readlink(exe);
      const buildId = withFile(exe, (read) => elfBuildId(read));
      if (buildId !== undefined) return { path, buildId };
      return { path, sha256: await fileHash(exe) };
    } catch (e) {
      return { path, error: `cannot read the executable of process ${pid}: ${(e as Error).message}` };
    }
  }
  const script =
    'exe=$(readlink "/proc/$1/exe") || exit 3; printf "path=%s\\n" "$exe"; ' +
    'id=$(readelf -n "/proc/$1/exe" 2>/dev/null | sed -n "s/^[[:space:]]*Build ID:[[:space:]]*//p" | head -n 1); ' +
    'if [ -n "$id" ]; then printf "buildid=%s\\n" "$id"; else printf "sha256=%s\\n" "$(sha256sum < "/proc/$1/exe" | cut -d " " -f 1)"; fi';
  const r = await host.run(['sh', '-c', script, 'vnf-lens', String(pid)], { timeoutMs: 20_000 });
  const field = (k: string) => new RegExp(`^${k}=([^\\n]*)$`, 'm').exec(r.stdout)?.[1]?.trim();
  const path = field('path');
  if (r.exitCode !== 0 || path === undefined) return { path: `/proc/${pid}/exe`, error: `cannot read the executable of process ${pid} on ${host.label} (exit ${r.exitCode ?? r.signal})` };
  const buildId = field('buildid');
  if (buildId && /^[0-9a-f]+$/.test(buildId)) return { path, buildId };
  const sha = field('sha256');
  if (sha && /^[0-9a-f]{64}$/.test(sha)) return { path, sha256: sha };
  return { path, error: `no build-id and no sha256sum on ${host.label}` };
}

function withFile<T>(path: string, fn: (read: (offset: number, length: number) => Buffer) => T): T {
  const fd = openSync(path, 'r');
  try {
    return fn((offset, length) => {
      const b = Buffer.alloc(length);
      const n = readSync(fd, b, 0, length, offset);
      return b.subarray(0, n);
    });
  } finally {
    closeSync(fd);
  }
}

async function fileHash(path: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** HEAD of the git work tree holding `dir`, and whether it has uncommitted changes; undefined outside one. */
export async function gitCommit(dir: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  const { execa } = await loadExeca();
  const [head, status] = await Promise.all([
    execa('git', ['-C', dir, 'rev-parse', '--verify', 'HEAD'], { reject: false, timeout: 5000 }),
    execa('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { reject: false, timeout: 5000 }),
  ]);
  if (head.exitCode !== 0) return undefined;
  return { commit: String(head.stdout).trim(), dirty: status.exitCode === 0 && String(status.stdout).trim() !== '' };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
