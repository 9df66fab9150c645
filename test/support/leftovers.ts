import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a test run leaves on the host if it is killed before its exit handlers run
 * (kill -9, a crashed runner, a power cut): each host-wide or long-lived resource is
 * noted on disk with how to undo it, and the next run undoes what a dead run left
 * before it starts anything. /var/tmp survives a reboot, as a system user does.
 */
export type Leftover =
  | { kind: 'process'; pid: number }
  | { kind: 'path'; path: string }
  | { kind: 'sysctl'; path: string; value: string }
  | { kind: 'user'; name: string };

const DIR = '/var/tmp/vnf-lens-test-leftovers';
let seq = 0;

export function noteLeftover(what: string, l: Leftover): () => void {
  const stamp = processStamp(process.pid);
  const file = join(DIR, `${process.pid}-${++seq}.json`);
  const data = l.kind === 'process' ? { ...l, stamp: processStamp(l.pid) } : l;
  try {
    mkdirSync(DIR, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify({ what, owner: { pid: process.pid, stamp }, leftover: data }));
  } catch {
    return () => {};
  }
  return () => rmSync(file, { force: true });
}

/** Undoes what runs that are gone left behind; returns what was undone, for the log. */
export function reapLeftovers(): string[] {
  const done: string[] = [];
  let files: string[];
  try {
    files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return done;
  }
  // Undo in reverse order of creation (a sysctl before the processes that needed it, …).
  const notes = files
    .map((f) => {
      try {
        return { file: join(DIR, f), note: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { what: string; owner: { pid: number; stamp: string | undefined }; leftover: Leftover & { stamp?: string } } };
      } catch {
        return { file: join(DIR, f), note: undefined };
      }
    })
    .sort((a, b) => b.file.localeCompare(a.file, 'en', { numeric: true }));
  for (const { file, note } of notes) {
    if (note && processStamp(note.owner.pid) === note.owner.stamp && note.owner.stamp !== undefined) continue;
    if (note) {
      try {
        undo(note.leftover);
        done.push(note.what);
      } catch (e) {
        process.stderr.write(`cannot undo ${note.what} left by an earlier test run: ${(e as Error).message}\n`);
      }
    }
    rmSync(file, { force: true });
  }
  if (done.length > 0) process.stderr.write(`undid what an earlier, killed test run left: ${done.join('; ')}\n`);
  return done;
}

function undo(l: Leftover & { stamp?: string }): void {
  if (l.kind === 'process') {
    // Only the very process that was started (same start time), never a reused PID.
    if (l.stamp !== undefined && processStamp(l.pid) === l.stamp) process.kill(l.pid, 'SIGKILL');
  } else if (l.kind === 'path') rmSync(l.path, { recursive: true, force: true });
  else if (l.kind === 'sysctl') writeFileSync(l.path, l.value);
  else if (l.kind === 'user') {
    if (!readFileSync('/etc/passwd', 'utf8').split('\n').some((line) => line.startsWith(`${l.name}:`))) return;
    try {
      execFileSync('pkill', ['-KILL', '-u', l.name], { stdio: 'ignore' });
    } catch {
      // none running
    }
    execFileSync('userdel', [l.name], { stdio: 'ignore' });
  }
}

/** PID plus start time (field 22 of /proc/PID/stat); undefined when the process is gone. */
function processStamp(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return `${pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  } catch {
    return undefined;
  }
}
