import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder of one ssh master connection: its control socket `cm`, the `owner`
 * (this process) and the `master` (the ssh client holding the connection).
 * A master must not outlive its owner: a watchdog ends it when the owner dies, even
 * by kill -9, and the next start removes what a crash of both left behind.
 */
const PREFIX = 'vnf-lens-ssh-';

/** Ends the master (and removes the folder) once the owner is gone; leaves by itself when the master ends first. The script is fixed text: the PIDs and the folder arrive as arguments. */
const WATCHDOG = 'owner=$1 master=$2 dir=$3; while kill -0 "$owner" 2>/dev/null; do kill -0 "$master" 2>/dev/null || exit 0; sleep 1; done; kill "$master" 2>/dev/null; sleep 1; kill -9 "$master" 2>/dev/null; rm -rf "$dir"';

export function createControlDir(): string {
  reapStaleControlDirs();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, 'owner'), ownerStamp(process.pid) ?? String(process.pid));
  return dir;
}

/** Records the master's PID and starts its watchdog (a detached shell, so it survives its owner). */
export function guardMaster(dir: string, masterPid: number): void {
  writeFileSync(join(dir, 'master'), String(masterPid));
  const dog = spawn('sh', ['-c', WATCHDOG, 'vnf-lens-ssh-watchdog', String(process.pid), String(masterPid), dir], { detached: true, stdio: 'ignore' });
  dog.on('error', () => undefined);
  dog.unref();
}

/**
 * Removes the control folders of owners that are gone (a crash of the owner and its
 * watchdog, or a reboot of neither): ends their master if it still runs, then
 * deletes the socket. Folders of live owners, and of other users, are left alone.
 */
export function reapStaleControlDirs(base = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => n.startsWith(PREFIX));
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const dir = join(base, name);
    try {
      if (uid !== undefined && statSync(dir).uid !== uid) continue;
      const owner = readOwner(dir);
      if (owner !== undefined && ownerAlive(owner)) continue;
      const master = Number(readText(join(dir, 'master')));
      if (Number.isInteger(master) && master > 0 && isMasterOf(master, dir)) killQuietly(master);
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Raced with its owner or another reaper: leave it.
    }
  }
  return removed;
}

function ownerAlive(owner: { pid: number; stamp: string }): boolean {
  const now = ownerStamp(owner.pid);
  if (now !== undefined) return now === owner.stamp;
  if (readText('/proc/self/stat') !== undefined) return false;
  // No /proc (not Linux): the PID alone.
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PID and start time: a PID reused by another process does not count as the owner. */
function ownerStamp(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // Field 22 (start time) counts after the command name, which may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return `${pid} ${fields[19] ?? ''}`;
}

function readOwner(dir: string): { pid: number; stamp: string } | undefined {
  const stamp = readText(join(dir, 'owner'))?.trim();
  const pid = Number(stamp?.split(' ')[0]);
  return stamp !== undefined && Number.isInteger(pid) && pid > 0 ? { pid, stamp } : undefined;
}

/** Only an ssh process whose arguments name this folder's socket is ended. */
function isMasterOf(pid: number, dir: string): boolean {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  return cmdline !== undefined && cmdline.includes(`ControlPath=${join(dir, 'cm')}`);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // gone already
  }
}
